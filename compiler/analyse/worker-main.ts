/** Worker side of the analysis pool: keeps its own copy of the catalog, analyses what it is sent. */
import { parentPort } from 'node:worker_threads';
import { analyseSql, toCatalogEntry, type SerialCatalogEntry, type SqlAnalysisRequest } from './analyse-sql.js';
import type { CatalogEntry } from './analyser.js';
import { initParser } from './parse.js';

type Message = { kind: 'catalog'; entries: SerialCatalogEntry[] } | { kind: 'analyse'; batch: number; requests: SqlAnalysisRequest[] };

const catalog = new Map<string, CatalogEntry>();
await initParser();
parentPort!.on('message', (message: Message) => {
  if (message.kind === 'catalog') {
    for (const e of message.entries) catalog.set(e.relation, toCatalogEntry(e));
    return;
  }
  const results = message.requests.map((r) => analyseSql(r, catalog));
  parentPort!.postMessage({ batch: message.batch, results });
});
parentPort!.postMessage({ ready: true });
