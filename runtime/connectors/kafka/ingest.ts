/**
 * Kafka topic -> bronze, exactly once. Reads every partition up to the high watermark seen at the
 * start of the run, lands records in deterministic file groups (see file-group.ts), writes the group
 * manifest last and only then commits `last offset + 1` to the consumer group. A crash anywhere
 * leaves the committed offset at a group boundary, and the next run rewrites the same files.
 */
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { KafkaExtract } from '../../../compiler/emit/ingestion-jobs.js';
import { jsonSafe, partitionDir, type BatchManifest, type QuarantineRecord } from '../../bronze/bronze-table.js';
import { encodeParquetColumns } from '../../bronze/parquet-writer.js';
import { encodeMetadata, RecordValidator } from '../../bronze/record-validation.js';
import { IngestError } from '../../bronze/errors.js';
import type { DriftFinding, JobContext, JobResult } from '../../ingest/job-context.js';
import { kafkaClient } from './client.js';
import { FileGroup, padOffset, type GroupLimits } from './file-group.js';

interface PartitionProgress {
  target: bigint;
  /** First offset not yet landed in a committed group. */
  committed: bigint;
  done: boolean;
  group?: FileGroup;
  /** Set after a failed commit: wait for the records from `committed` again before going on. */
  rewinding?: boolean;
  /** Offset we last seeked back to, so a real gap in offsets cannot loop forever. */
  soughtTo?: bigint;
}

/** Errors that mean this consumer lost its partitions; the next owner rebuilds the same files. */
function lostMembership(err: unknown): boolean {
  const types = new Set(['UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION', 'NOT_COORDINATOR', 'NOT_COORDINATOR_FOR_GROUP', 'FENCED_INSTANCE_ID']);
  for (let e = err as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.type && types.has(e.type)) return true;
  return false;
}

export async function runKafkaJob(ctx: JobContext): Promise<JobResult> {
  const started = Date.now();
  const { job, store, env } = ctx;
  const extract = job.extract as KafkaExtract;
  if (extract.valueFormat !== 'json') {
    throw new IngestError(`${job.id}: value format ${extract.valueFormat} is not supported yet`, {
      code: 'INGEST_UNSUPPORTED',
      hint: "use valueFormat: 'json'",
    });
  }
  const kafka = kafkaClient(job, env);
  const limits: GroupLimits = extract.rotation;
  const validator = new RecordValidator(job.columns);
  const metadataColumns = job.bronze.fileColumns.slice(job.columns.length);
  const eventColumn = extract.eventTimeColumn;
  const fileColumnNames = job.bronze.fileColumns.map((c) => c.name);
  const statisticsColumns = [eventColumn ?? '_kafka_timestamp', '_offset'];
  const PER_RECORD = ['_cursor_value', '_partition', '_offset', '_kafka_timestamp', '_key'];
  const constantValues: Record<string, unknown> = { _run_id: ctx.runId, _extracted_at: ctx.startedAt, _source: job.id, _is_deleted: false, _topic: extract.topic };
  const known = new Set(metadataColumns.map((c) => c.name));
  const runConstants: Record<string, unknown> = {};
  encodeMetadata(metadataColumns.filter((c) => c.name in constantValues), constantValues, runConstants);
  const otherMetadata = metadataColumns.filter((c) => !(c.name in constantValues) && !PER_RECORD.includes(c.name));
  const result: JobResult = { jobId: job.id, status: 'success', rows: 0, quarantined: 0, batches: 0, files: 0, position: {}, drift: [], warnings: [], seconds: 0 };
  const driftSeen = new Map<string, DriftFinding>();

  // Where each partition should stop: the high watermark when the run started.
  const admin = kafka.admin();
  await admin.connect();
  const partitions = new Map<number, PartitionProgress>();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(extract.topic)) {
      throw new IngestError(`topic ${extract.topic} does not exist`, { code: 'INGEST_KAFKA_TOPIC', where: job.id, hint: 'check the topic name in the source declaration' });
    }
    const watermarks = await retriable(() => admin.fetchTopicOffsets(extract.topic));
    const committed = await retriable(() => admin.fetchOffsets({ groupId: extract.consumerGroup, topics: [extract.topic] }));
    const committedBy = new Map<number, bigint>();
    for (const t of committed) for (const p of t.partitions) committedBy.set(p.partition, BigInt(p.offset));
    for (const w of watermarks) {
      const target = BigInt(w.high);
      const from = committedBy.get(w.partition) ?? -1n;
      const start = from >= 0n ? from : BigInt(w.low);
      partitions.set(w.partition, { target, committed: start, done: start >= target });
    }
  } finally {
    await admin.disconnect();
  }
  const positions = () => Object.fromEntries([...partitions].map(([p, s]) => [p, s.target.toString()]));
  if ([...partitions.values()].every((p) => p.done)) {
    result.position = positions();
    result.seconds = (Date.now() - started) / 1000;
    ctx.progress({ jobId: job.id, phase: 'done', message: 'no new records', rows: 0 });
    return result;
  }

  const sessionTimeout = Number(env.ETL_KAFKA_SESSION_TIMEOUT_MS ?? 30_000);
  const consumer: Consumer = kafka.consumer({
    groupId: extract.consumerGroup,
    sessionTimeout,
    rebalanceTimeout: Math.max(sessionTimeout, 10_000),
    heartbeatInterval: Math.max(200, Math.floor(sessionTimeout / 5)),
    maxBytesPerPartition: 4 * 1024 * 1024,
    allowAutoTopicCreation: false,
  });
  // After a rebalance kafkajs fetches again from the committed offset. The open group is kept and
  // records it already holds are skipped by offset (see eachBatch), so nothing lands twice.
  let finish!: () => void;
  let fail!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const checkDone = () => {
    if ([...partitions.values()].every((p) => p.done)) finish();
  };
  ctx.signal?.addEventListener('abort', () => fail(new IngestError('interrupted', { code: 'INGEST_INTERRUPTED' })), { once: true });

  const flush = async (partition: number, group: FileGroup): Promise<boolean> => {
    const batchId = `${extract.topic}+${partition}+${padOffset(group.firstOffset)}`;
    const files: BatchManifest['files'] = [];
    for (const [date, slot] of [...group.dates].sort(([a], [b]) => a.localeCompare(b))) {
      const key = `${partitionDir(job, date)}/${extract.topic}+${partition}+${padOffset(slot.firstOffset)}.parquet`;
      await store.put(key, encodeParquetColumns(job.bronze.fileColumns, slot.columns, { statisticsColumns }));
      files.push({ key, rows: slot.rows, ingestDate: date });
    }
    const quarantine: BatchManifest['quarantine'] = [];
    if (group.quarantine.length) {
      const key = `${job.bronze.quarantinePrefix}${batchId}.jsonl`;
      await store.put(key, group.quarantine.map((q) => JSON.stringify(q, jsonSafe)).join('\n') + '\n');
      quarantine.push({ key, records: group.quarantine.length });
    }
    const next = (group.lastOffset + 1n).toString();
    const manifest: BatchManifest = {
      manifestVersion: 1,
      jobId: job.id,
      runId: ctx.runId,
      batchId,
      committedAt: new Date().toISOString(),
      files,
      quarantine,
      rows: files.reduce((n, f) => n + f.rows, 0),
      quarantined: group.quarantine.length,
      position: next,
      details: { topic: extract.topic, partition, firstOffset: group.firstOffset.toString(), lastOffset: group.lastOffset.toString() },
    };
    await store.put(`${job.bronze.manifestsPrefix}${batchId}.json`, JSON.stringify(manifest, null, 2));
    const state = partitions.get(partition)!;
    try {
      await consumer.commitOffsets([{ topic: extract.topic, partition, offset: next }]);
    } catch (err) {
      if (!lostMembership(err)) throw err;
      // The group was rebalanced under us: the files stay (the same group is rebuilt from the
      // committed offset and overwrites them); read again from there.
      state.rewinding = true;
      ctx.progress({ jobId: job.id, phase: 'warning', message: `partition ${partition}: commit lost to a rebalance; re-reading from offset ${state.committed}` });
      return false;
    }
    state.committed = group.lastOffset + 1n;
    result.rows += manifest.rows;
    result.quarantined += manifest.quarantined;
    result.batches++;
    result.files += files.length + quarantine.length;
    ctx.progress({ jobId: job.id, phase: 'batch', message: `partition ${partition} offsets ${group.firstOffset}..${group.lastOffset}`, rows: manifest.rows, quarantined: manifest.quarantined });
    return true;
  };

  const land = (partition: number, message: KafkaMessage): { eventMicros?: bigint; landing: { date: string; row: Record<string, unknown> } | { quarantine: QuarantineRecord } } => {
    const origin = { topic: extract.topic, partition, offset: message.offset, timestamp: message.timestamp, key: message.key?.toString('utf8') ?? null };
    const text = message.value?.toString('utf8');
    const quarantine = (reason: string, record: unknown = text ?? null) => ({ landing: { quarantine: { reason, origin, record } } });
    if (text === undefined) return quarantine('tombstone: the message has no value');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return quarantine(`malformed JSON: ${(err as Error).message}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return quarantine('the value is not a JSON object');
    const check = validator.check(value as Record<string, unknown>);
    for (const key of check.unknownKeys) {
      if (!driftSeen.has(key)) driftSeen.set(key, { kind: 'added', column: key });
    }
    if (check.unknownKeys.length && job.drift === 'fail') {
      throw new IngestError(`${job.id}: message at ${extract.topic}/${partition}@${message.offset} has undeclared fields ${check.unknownKeys.join(', ')}`, {
        code: 'INGEST_SCHEMA_DRIFT',
        hint: 'declare the new fields in the source, or set drift to evolve or quarantine',
      });
    }
    if (check.problems.length) {
      if (job.drift === 'fail') {
        throw new IngestError(`${job.id}: message at ${extract.topic}/${partition}@${message.offset} does not match the declared schema: ${check.problems.join('; ')}`, {
          code: 'INGEST_SCHEMA_DRIFT',
          hint: 'fix the producer or the declaration, or set drift to quarantine',
        });
      }
      return quarantine(`schema: ${check.problems.join('; ')}`, value);
    }
    if (check.unknownKeys.length && job.drift === 'quarantine') return quarantine(`schema: undeclared fields ${check.unknownKeys.join(', ')}`, value);
    const kafkaMicros = BigInt(message.timestamp) * 1000n;
    const eventMicros = eventColumn ? (check.row[eventColumn] as bigint | null) ?? kafkaMicros : kafkaMicros;
    // Metadata in Parquet form directly: this runs per record, so no per-value type dispatch.
    const row = check.row;
    Object.assign(row, runConstants);
    if (known.has('_cursor_value')) row._cursor_value = message.offset;
    if (known.has('_partition')) row._partition = partition;
    if (known.has('_offset')) row._offset = BigInt(message.offset);
    if (known.has('_kafka_timestamp')) row._kafka_timestamp = kafkaMicros;
    if (known.has('_key')) row._key = message.key?.toString('utf8') ?? null;
    if (otherMetadata.length) encodeMetadata(otherMetadata, {}, row);
    return { eventMicros, landing: { date: microsToDate(eventMicros), row: check.row } };
  };

  await consumer.connect();
  try {
    await consumer.subscribe({ topic: extract.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(4, Math.max(1, partitions.size)),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        try {
          const state = partitions.get(batch.partition);
          if (!state || state.done) return;
          let seen = 0;
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) return;
            if (++seen % 500 === 0) await heartbeat();
            const offset = BigInt(message.offset);
            if (state.rewinding) {
              if (offset !== state.committed && state.soughtTo !== state.committed) {
                // Not re-delivered from the committed offset yet: ask for it, drop this batch.
                state.soughtTo = state.committed;
                consumer.seek({ topic: extract.topic, partition: batch.partition, offset: state.committed.toString() });
                return;
              }
              state.rewinding = false;
            }
            const expected = state.group ? state.group.lastOffset + 1n : state.committed;
            if (offset < expected) {
              // Delivered again (rebalance, retried fetch): this record is already buffered or landed.
              resolveOffset(message.offset);
              continue;
            }
            if (offset >= state.target) {
              // Past the target without meeting it exactly (offset gaps): close what is open.
              const group = state.group;
              delete state.group;
              if (group && !(await flush(batch.partition, group))) return;
              state.done = true;
              checkDone();
              return;
            }
            const { eventMicros, landing } = land(batch.partition, message);
            if (state.group && state.group.wouldExceedSpan('date' in landing ? landing.date : undefined, eventMicros, limits)) {
              const group = state.group;
              delete state.group;
              if (!(await flush(batch.partition, group))) return;
              await heartbeat();
            }
            state.group ??= new FileGroup(offset, fileColumnNames);
            state.group.add(offset, message.value?.length ?? 0, eventMicros, landing);
            resolveOffset(message.offset);
            if (state.group.isFull(limits) || offset + 1n >= state.target) {
              const group = state.group;
              delete state.group;
              if (!(await flush(batch.partition, group))) return;
              await heartbeat();
            }
            if (offset + 1n >= state.target) {
              state.done = true;
              checkDone();
              return;
            }
          }
        } catch (err) {
          fail(err);
          throw err;
        }
      },
    });
    checkDone();
    await finished;
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  result.drift = [...driftSeen.values()];
  if (result.drift.length) result.warnings.push(`undeclared fields seen: ${result.drift.map((d) => d.column).join(', ')} (policy ${job.drift})`);
  result.position = positions();
  result.seconds = (Date.now() - started) / 1000;
  ctx.progress({ jobId: job.id, phase: 'done', message: `${result.rows} rows, ${result.quarantined} quarantined`, rows: result.rows, quarantined: result.quarantined });
  return result;
}

/**
 * Retries calls the broker answers with a retriable error (e.g. NOT_COORDINATOR while a fresh
 * broker creates __consumer_offsets); kafkajs's admin client does not retry those itself.
 */
async function retriable<T>(fn: () => Promise<T>, attempts = 30): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      const e = err as { retriable?: boolean; type?: string };
      if (i >= attempts || !(e.retriable || e.type === 'NOT_COORDINATOR' || e.type === 'COORDINATOR_LOAD_IN_PROGRESS' || e.type === 'COORDINATOR_NOT_AVAILABLE')) throw err;
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * i)));
    }
  }
}

const dayNames = new Map<number, string>();
/** UTC date of an instant; called per record, so day names are cached. */
function microsToDate(micros: bigint): string {
  const day = Math.floor(Number(micros / 1000n) / 86_400_000);
  let name = dayNames.get(day);
  if (name === undefined) dayNames.set(day, (name = new Date(day * 86_400_000).toISOString().slice(0, 10)));
  return name;
}
