/**
 * Kafka -> bronze, the landing worker's share alone: per-record microseconds of the worker's work
 * (RecordLanding over packed record batches of reference order events, in this one thread, no
 * broker), split into UTF-8 decoding, JSON.parse, checks and grouping, and Parquet encoding, in CPU
 * time of this process. Prints figures with the load average beside them; asserts nothing.
 * Run: node --import tsx bench/kafka-landing-bench.ts [--records 150000] [--rounds 4]
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceJobs, withOverrides } from '../spec/ingest/helpers/jobs.js';
import { orderEvent } from '../spec/ingest/helpers/kafka.js';
import { RecordLanding, type RecordBatch } from '../connectors/kafka/record-landing.js';
import { ParquetFileBuilder } from '../runtime/bronze/parquet-writer.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('records', 150_000);
const ROUNDS = arg('rounds', 4);
const BATCH = 2000;

const jobs = await referenceJobs(join(tmpdir(), 'kafka-landing-bench'));
const job = withOverrides(jobs['source.kafka.order_events']!, { topic: 'bench_orders' });

/** The same records as bench/ingest-bench.ts produces, packed as the main thread packs them. */
function packedBatches(): RecordBatch[] {
  const encoder = new TextEncoder();
  const perDay = Math.ceil(RECORDS / 5);
  const out: RecordBatch[] = [];
  for (let at = 0; at < RECORDS; at += BATCH) {
    const n = Math.min(BATCH, RECORDS - at);
    const values = Array.from({ length: n }, (_, k) => encoder.encode(JSON.stringify(orderEvent(at + k, Math.floor((at + k) / perDay)))));
    const keys = Array.from({ length: n }, (_, k) => encoder.encode(`o-${at + k}`));
    const batch: RecordBatch = {
      partition: 0,
      offsets: new BigInt64Array(n),
      timestamps: new Float64Array(n),
      valueLengths: new Int32Array(n),
      values: new Uint8Array(values.reduce((s, v) => s + v.length, 0)),
      keyLengths: new Int32Array(n),
      keys: new Uint8Array(keys.reduce((s, v) => s + v.length, 0)),
    };
    let valueAt = 0;
    let keyAt = 0;
    for (let i = 0; i < n; i++) {
      batch.offsets[i] = BigInt(at + i);
      batch.timestamps[i] = 1_709_000_000_000 + at + i;
      batch.values.set(values[i]!, valueAt);
      valueAt += values[i]!.length;
      batch.valueLengths[i] = values[i]!.length;
      batch.keys.set(keys[i]!, keyAt);
      keyAt += keys[i]!.length;
      batch.keyLengths[i] = keys[i]!.length;
    }
    out.push(batch);
  }
  return out;
}

const input = packedBatches();
const valueBytes = input.reduce((s, b) => s + b.values.byteLength, 0);

/**
 * CPU time of this process in nanoseconds (user + system): on a loaded machine wall time counts the
 * time other processes ran, CPU time only this (single-threaded) script's.
 */
function cpuNow(): bigint {
  const { user, system } = process.cpuUsage();
  return BigInt(user + system) * 1000n;
}

// Parquet encoding is timed by wrapping the builder's two encoding calls.
let encodeNs = 0n;
const builder = ParquetFileBuilder.prototype as unknown as Record<'writeRowGroup' | 'finish', (...args: unknown[]) => unknown>;
for (const method of ['writeRowGroup', 'finish'] as const) {
  const original = builder[method];
  builder[method] = function (this: unknown, ...args: unknown[]) {
    const t = cpuNow();
    try {
      return original.apply(this, args);
    } finally {
      encodeNs += cpuNow() - t;
    }
  };
}

const perRecord = (ns: bigint) => Number(ns) / 1000 / RECORDS;

/** The whole worker: RecordLanding over every batch, then the end of the partition. */
function land(): { total: number; parquet: number; fileBytes: number } {
  encodeNs = 0n;
  const landing = new RecordLanding({ job, runId: 'bench', startedAt: '2024-03-02T00:00:00Z' });
  let fileBytes = 0;
  const t = cpuNow();
  for (const batch of input) for (const group of landing.add(batch)) for (const f of group.files) fileBytes += f.body.byteLength;
  for (const f of landing.end(0)?.files ?? []) fileBytes += f.body.byteLength;
  return { total: perRecord(cpuNow() - t), parquet: perRecord(encodeNs), fileBytes };
}

/** Per-record UTF-8 decoding alone, and followed by JSON.parse (what the worker did before batch decoding). */
function decodeAndParse(parse: boolean): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let sink = 0;
  const t = cpuNow();
  for (const batch of input) {
    let at = 0;
    for (let i = 0; i < batch.valueLengths.length; i++) {
      const length = batch.valueLengths[i]!;
      const text = decoder.decode(batch.values.subarray(at, at + length));
      sink += parse ? (JSON.parse(text) as { event_id: string }).event_id.length : text.length;
      at += length;
    }
  }
  if (sink < 0) console.log(sink);
  return perRecord(cpuNow() - t);
}

/** One decode per batch (all ASCII), then JSON.parse of each record's slice: what the worker does now. */
function batchDecodeAndParse(): number {
  let sink = 0;
  const t = cpuNow();
  for (const batch of input) {
    const text = Buffer.from(batch.values.buffer, batch.values.byteOffset, batch.values.byteLength).toString('latin1');
    let at = 0;
    for (let i = 0; i < batch.valueLengths.length; i++) {
      const length = batch.valueLengths[i]!;
      sink += (JSON.parse(text.slice(at, at + length)) as { event_id: string }).event_id.length;
      at += length;
    }
  }
  if (sink < 0) console.log(sink);
  return perRecord(cpuNow() - t);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`kafka landing worker, one thread: ${RECORDS} records, ${(valueBytes / RECORDS).toFixed(0)} value bytes each, ${job.bronze.fileColumns.length} file columns (node ${process.version})`);
for (let round = 1; round <= ROUNDS; round++) {
  const { total, parquet, fileBytes } = land();
  const decode = decodeAndParse(false);
  const parsed = decodeAndParse(true);
  const batchParsed = batchDecodeAndParse();
  console.log(
    `round ${round}: worker total ${total.toFixed(2)} us/record = parquet ${parquet.toFixed(2)} + the rest ${(total - parquet).toFixed(2)}` +
      ` | per-record decode ${decode.toFixed(2)}, + JSON.parse ${(parsed - decode).toFixed(2)}; batch decode + parse ${batchParsed.toFixed(2)}` +
      ` | ${(fileBytes / RECORDS).toFixed(1)} Parquet bytes/record | load ${load()}`,
  );
}
