/**
 * Ingestion metrics: per source table and run, the records landed, bytes written, duration,
 * errors, quarantined records and the mean source call latency (runtime/aws/metric-names.ts).
 * Bytes are counted by wrapping the table's object store: every object written outside the
 * table's `_etl/` bookkeeping (data and quarantine files).
 */
import type { ObjectStore } from '../bronze/object-store.js';
import { DIMENSIONS, INGEST_METRICS as I } from '../aws/metric-names.js';
import type { JobResult } from '../ingest/job-context.js';
import { meanLatencyMs } from '../ingest/source-latency.js';
import { point, type MetricPoint } from './points.js';

/** An object store that counts the bytes of the data and quarantine files put through it. */
export class ByteCountingStore implements ObjectStore {
  bytes = 0;
  constructor(private readonly inner: ObjectStore) {}
  get url(): string {
    return this.inner.url;
  }
  private count(key: string, body: Uint8Array | string): void {
    if (!key.startsWith('_etl/')) this.bytes += typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  }
  async put(key: string, body: Uint8Array | string): Promise<void> {
    await this.inner.put(key, body);
    this.count(key, body);
  }
  async putIfAbsent(key: string, body: string): Promise<boolean> {
    const done = await this.inner.putIfAbsent(key, body);
    if (done) this.count(key, body);
    return done;
  }
  async putIfVersion(key: string, body: string, version: string): Promise<boolean> {
    const done = await this.inner.putIfVersion(key, body, version);
    if (done) this.count(key, body);
    return done;
  }
  get(key: string) {
    return this.inner.get(key);
  }
  getVersioned(key: string) {
    return this.inner.getVersioned(key);
  }
  delete(key: string) {
    return this.inner.delete(key);
  }
  list(prefix?: string) {
    return this.inner.list(prefix);
  }
}

export interface IngestMeasure {
  project: string;
  /** `<source>.<table>`, as `etl ingest --select` names it. */
  source: string;
  result: JobResult;
  bytes: number;
  runId: string;
  at: Date;
}

/** The points of one source table's ingestion. */
export function ingestPoints(m: IngestMeasure): MetricPoint[] {
  const dims = { [DIMENSIONS.source]: m.source };
  const p = (spec: (typeof I)[keyof typeof I], value: number) => point(spec, m.project, dims, value, m.at, { runId: m.runId });
  const out = [
    p(I.records, m.result.rows),
    p(I.bytes, m.bytes),
    p(I.duration, Math.round(m.result.seconds * 1000)),
    p(I.errors, m.result.status === 'error' ? 1 : 0),
    p(I.quarantined, m.result.quarantined),
  ];
  const latency = meanLatencyMs(m.result.sourceLatency);
  if (latency !== undefined) out.push(p(I.apiLatency, latency));
  return out;
}
