/**
 * Analysis in dependency order without stage barriers: a model is sent for analysis as soon as every
 * model it reads is analysed (its columns are then in the workers' catalogs), so the threads never
 * wait for the slowest model of a stage. Unchanged models come from the cache.
 */
import { refKey } from './analyser.js';
import type { SerialCatalogEntry, SqlAnalysisRequest, SqlAnalysisResult } from './analyse-sql.js';
import type { AnalysisCache } from './cache.js';
import type { Analyser } from './pool.js';
import type { Graph } from '../plan/graph.js';
import type { RenderedModel } from '../resolve/models.js';

export interface ScheduleInput {
  analyser: Analyser;
  graph: Graph;
  rendered: Map<string, RenderedModel>;
  cache: AnalysisCache;
  /** Requests in flight at once (threads x 2 on a pool, 1 in process). */
  maxInFlight: number;
  requestFor(id: string): SqlAnalysisRequest | undefined;
  /** Signature of each analysed node's columns, for the cache keys of what reads it. */
  signatures: Map<string, string>;
  sign(entry: SerialCatalogEntry): void;
}

export async function analyseInDependencyOrder(input: ScheduleInput): Promise<{ results: Map<string, SqlAnalysisResult>; cacheHits: number }> {
  const { analyser, graph, rendered, cache, maxInFlight, requestFor, signatures, sign } = input;
  const results = new Map<string, SqlAnalysisResult>();
  let cacheHits = 0;
  // Dependency order without stage barriers: a model is sent for analysis as soon as every model it
  // reads is analysed (its columns are then in the workers' catalogs), so the threads never wait for
  // the slowest model of a stage. Results are turned into manifest entries afterwards, in stage order.
  const children = new Map<string, string[]>();
  const waitingOn = new Map<string, number>();
  for (const [id, parents] of graph.parents) {
    const inGraph = parents.filter((p) => graph.parents.has(p));
    waitingOn.set(id, inGraph.length);
    for (const p of inGraph) (children.get(p) ?? children.set(p, []).get(p)!).push(id);
  }
  const ready = [...waitingOn].filter(([, n]) => n === 0).map(([id]) => id).sort();
  // Catalog entries not yet sent to the workers; sent in one message before the next requests.
  const unsent: SerialCatalogEntry[] = [];
  const complete = (id: string, result: SqlAnalysisResult | undefined) => {
    if (result) {
      results.set(id, result);
      const r = rendered.get(id.slice(6))!;
      const entry: SerialCatalogEntry =
        result.columns && result.rowDeps
          ? { relation: r.relation.fqn.toLowerCase(), node: r.id, columns: result.columns.map((c) => ({ ...c, refs: [refKey(r.id, c.name)] })) }
          : { relation: r.relation.fqn.toLowerCase(), node: r.id, columns: [], opaque: true };
      sign(entry);
      unsent.push(entry);
    }
    for (const child of children.get(id) ?? []) {
      const left = waitingOn.get(child)! - 1;
      waitingOn.set(child, left);
      if (left === 0) ready.push(child);
    }
  };
  await new Promise<void>((resolve, reject) => {
    let inFlight = 0;
    const pump = () => {
      while (ready.length > 0 && inFlight < maxInFlight) {
        // Chunks small enough to spread the ready models over every thread, large enough to keep
        // the per-message cost low.
        const chunk = ready.splice(0, Math.max(4, Math.min(64, Math.ceil(ready.length / maxInFlight))));
        const requests: SqlAnalysisRequest[] = [];
        const keys = new Map<string, string>();
        for (const id of chunk) {
          const request = requestFor(id);
          if (!request) {
            complete(id, undefined);
            continue;
          }
          const r = rendered.get(id.slice(6))!;
          const upstream = [...r.refs.map((x) => `model.${x.name}`), ...r.sources.map((x) => `source.${x.source}.${x.table}`), ...(r.seeds ?? []).map((x) => `seed.${x.name}`)].sort().map((u) => `${u}=${signatures.get(u) ?? '?'}`);
          const key = cache.key(request, upstream);
          const hit = cache.get(id, key);
          if (hit) {
            cacheHits++;
            complete(id, hit);
          } else {
            keys.set(id, key);
            requests.push(request);
          }
        }
        if (requests.length === 0) continue;
        analyser.addToCatalog(unsent.splice(0));
        inFlight++;
        analyser.analyse(requests).then((fresh) => {
          inFlight--;
          for (const result of fresh) {
            cache.set(result.id, keys.get(result.id)!, result);
            complete(result.id, result);
          }
          pump();
        }, reject);
      }
      if (inFlight === 0 && ready.length === 0) resolve();
    };
    pump();
  });
  return { results, cacheHits };
}
