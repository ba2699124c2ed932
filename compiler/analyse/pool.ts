/**
 * Parses and analyses models on worker threads, stage by stage: models of one stage do not depend
 * on each other, so they are split across workers; each worker holds a copy of the catalog, kept
 * up to date with every stage's results before the next stage is sent.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerEntryUrl } from '../threads/worker-bundle.js';
import { CODE_EXT, ownModule } from '../own-files.js';
import { analyseSql, toCatalogEntry, type SerialCatalogEntry, type SqlAnalysisRequest, type SqlAnalysisResult } from './analyse-sql.js';
import type { CatalogEntry } from './analyser.js';

export interface Analyser {
  /** Adds catalog entries (sources, analysed models) that later requests may read. */
  addToCatalog(entries: SerialCatalogEntry[]): void;
  analyse(requests: SqlAnalysisRequest[]): Promise<SqlAnalysisResult[]>;
  close(): Promise<void>;
}

/** In-process analysis: small projects, and wherever threads do not pay for their start-up. */
export function localAnalyser(): Analyser {
  const catalog = new Map<string, CatalogEntry>();
  return {
    addToCatalog(entries) {
      for (const e of entries) catalog.set(e.relation, toCatalogEntry(e));
    },
    async analyse(requests) {
      return requests.map((r) => analyseSql(r, catalog));
    },
    async close() {},
  };
}

export async function workerAnalyser(threads: number): Promise<Analyser> {
  const entry = await workerEntryUrl({
    name: 'analysis-worker',
    entry: fileURLToPath(ownModule('./worker-main', import.meta.url)),
    // Compiled JavaScript needs no loader: its entry is its own fallback.
    fallback: CODE_EXT === '.ts' ? new URL('./worker.mjs', import.meta.url) : ownModule('./worker-main', import.meta.url),
    external: ['@guanmingchiu/sqlparser-ts'],
  });
  const workers = await Promise.all(
    Array.from({ length: threads }, async () => {
      const worker = new Worker(entry);
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      // Idle from here on: held open only while a batch is in flight (below).
      worker.unref();
      return worker;
    }),
  );
  let batch = 0;
  // A worker is held open only while it has batches in flight (several may be, from concurrent
  // analyse calls), so an idle pool never stops the process exiting.
  const inFlight = workers.map(() => 0);
  const hold = (w: number) => {
    if (inFlight[w]!++ === 0) workers[w]!.ref();
  };
  const release = (w: number) => {
    if (--inFlight[w]! === 0) workers[w]!.unref();
  };
  return {
    addToCatalog(entries) {
      if (entries.length) for (const w of workers) w.postMessage({ kind: 'catalog', entries });
    },
    async analyse(requests) {
      if (requests.length === 0) return [];
      // Round-robin by size keeps the chunks even; results come back in request order.
      const chunks: SqlAnalysisRequest[][] = workers.map(() => []);
      const bySize = requests.map((r, i) => ({ r, i, size: r.full.length })).sort((a, b) => b.size - a.size);
      const load = workers.map(() => 0);
      const slot = new Map<number, number>();
      for (const item of bySize) {
        const w = load.indexOf(Math.min(...load));
        chunks[w]!.push(item.r);
        load[w]! += item.size;
        slot.set(item.i, w);
      }
      const answers = await Promise.all(
        workers.map((worker, w) => {
          if (chunks[w]!.length === 0) return Promise.resolve([] as SqlAnalysisResult[]);
          const id = ++batch;
          return new Promise<SqlAnalysisResult[]>((resolve, reject) => {
            const onMessage = (m: { batch: number; results: SqlAnalysisResult[] }) => {
              if (m.batch !== id) return;
              release(w);
              worker.off('message', onMessage);
              worker.off('error', reject);
              resolve(m.results);
            };
            worker.on('message', onMessage);
            worker.once('error', reject);
            hold(w);
            worker.postMessage({ kind: 'analyse', batch: id, requests: chunks[w] });
          });
        }),
      );
      const byId = new Map<string, SqlAnalysisResult>();
      for (const list of answers) for (const r of list) byId.set(r.id, r);
      return requests.map((r) => byId.get(r.id)!);
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
