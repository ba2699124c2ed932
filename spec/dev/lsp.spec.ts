/**
 * `etl lsp` driven over stdio by a JSON-RPC client: diagnostics published for an open, unsaved
 * buffer with the exact range, re-published on change; definition of ref/source; hover with a
 * column's type and lineage; completion of upstream columns and of model names inside ref.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFixture, repoRoot, type ProjectCopy } from './helpers.js';

interface Published {
  uri: string;
  diagnostics: Array<{ range: { start: { line: number; character: number }; end: { line: number; character: number } }; code: string; severity: number; message: string }>;
}

let project: ProjectCopy;
let server: ChildProcess;
let client: MessageConnection;
const published: Published[] = [];
const uri = (file: string) => pathToFileURL(path.join(project.dir, file)).href;

/** The first diagnostics published for `file` after `from` publications, matching `test`. */
async function diagnosticsFor(file: string, from: number, test: (p: Published) => boolean, timeoutMs = 60_000): Promise<Published> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = published.slice(from).find((p) => p.uri === uri(file) && test(p));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no diagnostics for ${file}: ${JSON.stringify(published.slice(from))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const FCT = 'models/gold/fct_orders.sql';
let fctText = '';

beforeAll(async () => {
  project = copyFixture('shop');
  fctText = project.read(FCT);
  server = spawn(process.execPath, [path.join(repoRoot, 'bin/etl.js'), 'lsp'], { cwd: project.dir, stdio: ['pipe', 'pipe', 'inherit'] });
  client = createMessageConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  client.onNotification('textDocument/publishDiagnostics', (p: unknown) => {
    published.push(p as Published);
  });
  client.listen();
  const init = await client.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(project.dir).href, workspaceFolders: [{ uri: pathToFileURL(project.dir).href, name: 'shop' }], capabilities: {} });
  expect(init).toMatchObject({ capabilities: { definitionProvider: true, hoverProvider: true } });
  await client.sendNotification('initialized', {});
}, 120_000);

afterAll(async () => {
  await client?.sendRequest('shutdown').catch(() => undefined);
  await client?.sendNotification('exit').catch(() => undefined);
  client?.dispose();
  server?.kill();
  project?.remove();
});

describe('etl lsp', () => {
  it('publishes the diagnostics of an unsaved buffer with their exact range, and again on change', async () => {
    const from = published.length;
    const broken = fctText.replace('  sum(amount) AS revenue', '  sum(amount) AS revenue,\n  max(shipped_at) AS last_ship');
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(FCT), languageId: 'sql', version: 1, text: broken } });
    const p = await diagnosticsFor(FCT, from, (x) => x.diagnostics.length > 0, 90_000);
    expect(p.diagnostics.map((d) => ({ code: d.code, severity: d.severity, range: d.range }))).toEqual([
      { code: 'ETL161', severity: 1, range: { start: { line: 5, character: 6 }, end: { line: 5, character: 16 } } },
    ]);
    expect(p.diagnostics[0]!.message).toContain("Unknown column 'shipped_at' (in model fct_orders)");

    const next = published.length;
    await client.sendNotification('textDocument/didChange', { textDocument: { uri: uri(FCT), version: 2 }, contentChanges: [{ text: fctText }] });
    const clean = await diagnosticsFor(FCT, next, () => true);
    expect(clean.diagnostics).toEqual([]);
  }, 120_000);

  it('definition: a ref goes to the model file (SQL and TypeScript), a source to its declaration', async () => {
    const refLine = fctText.split('\n').findIndex((l) => l.includes("ref 'stg_orders'"));
    const fromSql = await client.sendRequest('textDocument/definition', { textDocument: { uri: uri(FCT) }, position: { line: refLine, character: 14 } });
    expect(fromSql).toEqual({ uri: uri('models/silver/stg_orders.sql'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const fromTs = await client.sendRequest('textDocument/definition', { textDocument: { uri: uri('models/gold/big_orders.ts') }, position: { line: 6, character: 16 } });
    expect(fromTs).toMatchObject({ uri: uri('models/silver/stg_orders.sql') });
    const source = await client.sendRequest('textDocument/definition', { textDocument: { uri: uri('models/silver/stg_orders.sql') }, position: { line: 7, character: 12 } });
    expect(source).toEqual({ uri: uri('sources/shop.ts'), range: { start: { line: 13, character: 4 }, end: { line: 13, character: 4 } } });
  });

  it('hover: the column type and its lineage to the source (a column of the model, and one it reads)', async () => {
    const hover = async (line: number, character: number) => ((await client.sendRequest('textDocument/hover', { textDocument: { uri: uri(FCT) }, position: { line, character } })) as { contents: { value: string } }).contents.value;
    // Line 5 of fct_orders.sql: `  sum(amount) AS revenue`.
    expect(await hover(4, 19)).toBe('**fct_orders.revenue**: `decimal(28,2)`  \nfrom `stg_orders.amount`  \nsources: `shop.orders.amount`');
    expect(await hover(4, 8)).toBe('**stg_orders.amount**: `decimal(18,2)`  \nfrom `shop.orders.amount`  \nsources: `shop.orders.amount`');
  });

  it('completion: the columns of what the model reads, and model names inside ref', async () => {
    const items = (await client.sendRequest('textDocument/completion', { textDocument: { uri: uri(FCT) }, position: { line: 2, character: 2 } })) as Array<{ label: string; detail: string }>;
    expect(items.map((i) => i.label)).toEqual(['order_id', 'customer_id', 'amount', 'quantity', 'order_ts']);
    expect(items.find((i) => i.label === 'amount')?.detail).toBe('decimal(18,2) (stg_orders)');
    const refLine = fctText.split('\n').findIndex((l) => l.includes("ref 'stg_orders'"));
    const names = (await client.sendRequest('textDocument/completion', { textDocument: { uri: uri(FCT) }, position: { line: refLine, character: 14 } })) as Array<{ label: string }>;
    expect(names.map((i) => i.label)).toEqual(['stg_orders']);
  });
});
