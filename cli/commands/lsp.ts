import { Command } from '@oclif/core';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer } from '../lsp/server.js';

export default class Lsp extends Command {
  static override summary = 'Language server over stdio: diagnostics as you type, go to ref/source, column types and lineage on hover, column completion.';
  static override description =
    "Speaks the Language Server Protocol on stdin/stdout for any LSP editor (VS Code, Neovim, Helix...). The workspace folder is the project (holds project.yaml). Diagnostics are published per file; definition follows ref('x') / {{ ref 'x' }} to the model file and source('a', 'b') to its declaration; hover shows a column's type and lineage; completion offers the columns the model reads and model names inside ref.";
  static override examples = ['<%= config.bin %> lsp   # started by the editor, e.g. cmd: ["npx", "etl", "lsp"]'];

  async run(): Promise<void> {
    const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
    startServer(connection);
    await new Promise<void>((resolve) => connection.onExit(() => resolve()));
  }
}
