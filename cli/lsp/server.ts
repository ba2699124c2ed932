/**
 * The language server: an incremental compile session behind LSP. Diagnostics are published per
 * file after the first compile and after every edit (open buffers are compiled as typed, unsaved);
 * definition, hover and completion answer from the session's compiled project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextDocuments, TextDocumentSyncKind, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompileSession } from '../../compiler/session/session.js';
import { diagnosticsByUri, type LinesOf } from './diagnostics.js';
import { completion, definition, hover } from './features.js';

/** Wires the session to `connection` and starts listening. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let projectDir = process.cwd();
  let session: Promise<CompileSession> | undefined;
  let published = new Set<string>();

  const fileOf = (uri: string) => path.relative(projectDir, fileURLToPath(uri)).split(path.sep).join('/');
  const lines: LinesOf = (file) => {
    const open = documents.get(new URL(`file://${path.join(projectDir, file)}`).href);
    if (open) return open.getText().split(/\r?\n/);
    try {
      return readFileSync(path.join(projectDir, file), 'utf8').split(/\r?\n/);
    } catch {
      return undefined;
    }
  };
  const publish = (s: CompileSession) => {
    const byUri = diagnosticsByUri(s.diagnostics, published, lines, projectDir);
    published = new Set([...byUri].filter(([, ds]) => ds.length > 0).map(([uri]) => uri));
    for (const [uri, diagnostics] of byUri) void connection.sendDiagnostics({ uri, diagnostics });
  };
  const lineAt = (uri: string, line: number) => documents.get(uri)?.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '') ?? lines(fileOf(uri))?.[line] ?? '';

  connection.onInitialize((params) => {
    const root = params.workspaceFolders?.[0]?.uri ?? params.rootUri;
    if (root) projectDir = fileURLToPath(root);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        definitionProvider: true,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ["'", '"', ' ', ',', '.'] },
      },
      serverInfo: { name: 'lakehouse-etl' },
    };
  });
  connection.onInitialized(() => {
    session = CompileSession.open({ projectDir });
    session.then(publish, (err: unknown) => connection.console.error(`etl lsp: the project did not compile: ${String(err)}`));
  });

  // Edits in a burst (typing) are compiled once the burst settles.
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const changed = (file: string, text: string | undefined) => {
    void session?.then((s) => s.setOverlay(file, text));
    pending.add(file);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      void session?.then(async (s) => {
        await s.update(files);
        publish(s);
      });
    }, 30);
  };
  documents.onDidChangeContent((e) => changed(fileOf(e.document.uri), e.document.getText()));
  documents.onDidClose((e) => changed(fileOf(e.document.uri), undefined));

  const compiled = async () => (await session)?.compiled;
  connection.onDefinition(async ({ textDocument, position }) => {
    const c = await compiled();
    return c ? (definition(c, projectDir, lineAt(textDocument.uri, position.line), position) ?? null) : null;
  });
  connection.onHover(async ({ textDocument, position }) => {
    const c = await compiled();
    return c ? (hover(c, fileOf(textDocument.uri), lineAt(textDocument.uri, position.line), position) ?? null) : null;
  });
  connection.onCompletion(async ({ textDocument, position }) => {
    const c = await compiled();
    return c ? completion(c, fileOf(textDocument.uri), lineAt(textDocument.uri, position.line), position) : [];
  });

  documents.listen(connection);
  connection.listen();
}
