/**
 * Latency of the calls a batch source makes to its system (schema lookup, next cursor, the first
 * row of a window's query or API page), measured around the WindowSource the window loop uses.
 * Reported in the job result and sent as the SourceApiLatency metric (mean per call).
 */
import type { WindowSource } from './window-loop.js';

export interface SourceLatency {
  calls: number;
  totalMs: number;
}

export function meanLatencyMs(l: SourceLatency | undefined): number | undefined {
  return l && l.calls > 0 ? Math.round((l.totalMs / l.calls) * 10) / 10 : undefined;
}

/** The same source, timing each call into `stats` (a row stream: until its first row, or its end). */
export function timedWindowSource(source: WindowSource, stats: SourceLatency): WindowSource {
  const timed = async <T>(call: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await call();
    } finally {
      stats.calls++;
      stats.totalMs += performance.now() - t0;
    }
  };
  async function* firstRowTimed(rows: AsyncIterable<Record<string, unknown>>): AsyncIterable<Record<string, unknown>> {
    const it = rows[Symbol.asyncIterator]();
    const first = await timed(() => it.next());
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return {
    caseInsensitiveNames: source.caseInsensitiveNames,
    ...(source.deletedField !== undefined ? { deletedField: source.deletedField } : {}),
    ...(source.metadata ? { metadata: (record: Record<string, unknown>) => source.metadata!(record) } : {}),
    observedColumns: () => timed(() => source.observedColumns()),
    nextCursor: (start, end) => timed(() => source.nextCursor(start, end)),
    rows: (start, end, fields) => firstRowTimed(source.rows(start, end, fields)),
    allRows: (fields) => firstRowTimed(source.allRows(fields)),
    close: () => source.close(),
  };
}
