/**
 * Kafka -> bronze: hyparquet-writer configurations (codec, native or JavaScript Snappy, dictionary or
 * PLAIN) timed on the exact row groups the landing worker builds for reference order events, all in
 * one process, one after the other (wall time of the third round; load beside each figure). Asserts nothing.
 * Run: node --import tsx bench/kafka-parquet-variants.ts [records, default 50000]
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import { referenceJobs, withOverrides } from '../spec/ingest/helpers/jobs.js';
import { orderEvent } from '../spec/ingest/helpers/kafka.js';
import { RecordLanding, type RecordBatch } from '../connectors/kafka/record-landing.js';
import { ParquetFileBuilder, typeOf } from '../runtime/bronze/parquet-writer.js';
import { schemaElements, type SchemaElement } from '../runtime/bronze/parquet-schema.js';

const N = Number(process.argv[2] ?? 50_000);
const jobs = await referenceJobs(join(tmpdir(), 'eb'));
const job = withOverrides(jobs['source.kafka.order_events']!, { topic: 'bench_orders' });
const columns = job.bronze.fileColumns;

// Capture the row groups the worker hands to the builder.
const groups: unknown[][][] = [];
const proto = ParquetFileBuilder.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
const orig = proto.writeRowGroup!;
proto.writeRowGroup = function (this: unknown, data: unknown) {
  groups.push((data as unknown[][]).map((c) => c.slice()));
  return orig.call(this, data);
};
const enc = new TextEncoder();
const landing = new RecordLanding({ job, runId: 'bench', startedAt: '2024-03-02T00:00:00Z' });
for (let at = 0; at < N; at += 2000) {
  const n = Math.min(2000, N - at);
  const vals = Array.from({ length: n }, (_, k) => enc.encode(JSON.stringify(orderEvent(at + k, Math.floor((at + k) / (N / 2))))));
  const keys = Array.from({ length: n }, (_, k) => enc.encode(`o-${at + k}`));
  const b: RecordBatch = { partition: 0, offsets: new BigInt64Array(n), timestamps: new Float64Array(n), valueLengths: new Int32Array(n), values: new Uint8Array(vals.reduce((s, v) => s + v.length, 0)), keyLengths: new Int32Array(n), keys: new Uint8Array(keys.reduce((s, v) => s + v.length, 0)) };
  let va = 0, ka = 0;
  for (let i = 0; i < n; i++) {
    b.offsets[i] = BigInt(at + i); b.timestamps[i] = 1_709_000_000_000 + at + i;
    b.values.set(vals[i]!, va); va += vals[i]!.length; b.valueLengths[i] = vals[i]!.length;
    b.keys.set(keys[i]!, ka); ka += keys[i]!.length; b.keyLengths[i] = keys[i]!.length;
  }
  landing.add(b);
}
landing.end(0);
proto.writeRowGroup = orig;
const rows = groups.reduce((s, g) => s + (g[0]?.length ?? 0), 0);
console.log(`captured ${groups.length} row groups, ${rows} rows`);

const schema: SchemaElement[] = [{ name: 'spark_schema', num_children: columns.length }];
columns.forEach((c) => schema.push(...schemaElements(c.name, typeOf(c), c.nullable)));
const stats = new Set(['event_timestamp', '_offset']);

type Compressor = (b: Uint8Array) => Uint8Array;
let native: Compressor | undefined;
try {
  const snappy = (await import('snappy')) as unknown as { compressSync(b: Uint8Array): Buffer };
  native = (b) => snappy.compressSync(b);
} catch { /* not installed */ }

interface Variant { name: string; codec: 'SNAPPY' | 'UNCOMPRESSED'; compressors?: Record<string, Compressor>; encoding?: (name: string) => string | undefined; offsetIndex?: boolean; rowGroup?: number }
const variants: Variant[] = [
  { name: 'current (snappy js, auto dict)', codec: 'SNAPPY' },
  { name: 'uncompressed, auto dict', codec: 'UNCOMPRESSED' },
  { name: 'snappy js, plain all', codec: 'SNAPPY', encoding: () => 'PLAIN' },
  { name: 'uncompressed, plain all', codec: 'UNCOMPRESSED', encoding: () => 'PLAIN' },
  { name: 'snappy js, auto dict, no offset index', codec: 'SNAPPY', offsetIndex: false },
  ...(native
    ? [
        { name: 'snappy native, auto dict', codec: 'SNAPPY' as const, compressors: { SNAPPY: native } },
        { name: 'snappy native, auto dict, no offset idx', codec: 'SNAPPY' as const, compressors: { SNAPPY: native }, offsetIndex: false },
        { name: 'snappy native, plain all', codec: 'SNAPPY' as const, compressors: { SNAPPY: native }, encoding: () => 'PLAIN' },
      ]
    : []),
];

for (let round = 0; round < 3; round++) {
  for (const v of variants) {
    const t = process.hrtime.bigint();
    let size = 0;
    const w = new ByteWriter();
    const pw = new ParquetWriter({ writer: w, schema, codec: v.codec, ...(v.compressors ? { compressors: v.compressors } : {}) });
    for (const g of groups) {
      const columnData = columns.map((c, i) => ({ name: c.name, data: g[i]!, statistics: stats.has(c.name), ...(v.encoding?.(c.name) ? { encoding: v.encoding(c.name) } : {}), ...(v.offsetIndex === false ? { offsetIndex: false } : {}) }));
      void pw.write({ columnData: columnData as never, rowGroupSize: g[0]!.length, pageSize: 4 * 1024 * 1024 });
    }
    void pw.finish();
    size = w.getBytes().byteLength;
    const us = Number(process.hrtime.bigint() - t) / 1000 / rows;
    if (round === 2) console.log(`${v.name.padEnd(42)} ${us.toFixed(2)} us/rec  ${(size / rows).toFixed(1)} B/rec  load ${loadavg()[0]!.toFixed(2)}`);
  }
}
