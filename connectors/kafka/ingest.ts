/**
 * Kafka topic -> bronze, exactly once. Reads every partition up to the high watermark seen at the
 * start of the run. The main thread fetches and hands records to a landing worker, which decodes,
 * checks and groups them into deterministic file groups and encodes the Parquet files
 * (record-landing.ts); back on the main thread each group's files are written, its manifest last,
 * and only then `last offset + 1` is committed to the consumer group. A crash anywhere leaves the
 * committed offset at a group boundary, and the next run rewrites the same files.
 */
import { availableParallelism } from 'node:os';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { KafkaExtract } from './definition.js';
import type { BatchManifest } from '../../runtime/bronze/bronze-table.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import type { DriftFinding, JobContext, JobResult } from '../../runtime/ingest/job-context.js';
import { kafkaClient } from './client.js';
import { LandingThread } from './landing-thread.js';
import type { EncodedGroup } from './record-landing.js';

interface PartitionProgress {
  target: bigint;
  /** First offset not yet landed in a committed group. */
  committed: bigint;
  /** Next offset to hand to the landing worker. */
  forwarded: bigint;
  /** The worker was told this partition reached the target (in the current epoch). */
  ended: boolean;
  done: boolean;
  /** Bumped on every rewind: groups and replies of older epochs are stale. */
  epoch: number;
  /** Writes and commits of this partition's groups, strictly in offset order. */
  chain: Promise<void>;
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
  const workerEntry = LandingThread.entry();
  workerEntry.catch(() => {}); // awaited by the threads' start; this only keeps it from counting as unhandled meanwhile
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
      partitions.set(w.partition, { target, committed: start, forwarded: start, ended: false, done: start >= target, epoch: 0, chain: Promise.resolve() });
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
  const heartbeatInterval = Math.max(200, Math.floor(sessionTimeout / 5));
  const consumer: Consumer = kafka.consumer({
    groupId: extract.consumerGroup,
    sessionTimeout,
    rebalanceTimeout: Math.max(sessionTimeout, 10_000),
    heartbeatInterval,
    maxBytesPerPartition: 4 * 1024 * 1024,
    // The broker answers at once when there is data; the wait only matters once every partition is
    // read, when the fetch in flight holds up the consumer's exit by up to this long (kafkajs default 5 s).
    maxWaitTimeInMs: 50,
    allowAutoTopicCreation: false,
  });
  // After a rebalance kafkajs fetches again from the committed offset. Records already handed to
  // the worker are skipped by offset (see eachBatch), so nothing lands twice.
  let finish!: () => void;
  let failed = false;
  let rejectRun!: (err: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = resolve;
    rejectRun = reject;
  });
  // After a failure nothing more is written or committed: the next run starts from the last commit.
  const fail = (err: unknown) => {
    failed = true;
    rejectRun(err);
  };
  finished.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
  const checkDone = () => {
    if ([...partitions.values()].every((p) => p.done)) finish();
  };
  ctx.signal?.addEventListener('abort', () => fail(new IngestError('interrupted', { code: 'INGEST_INTERRUPTED' })), { once: true });

  const rewind = (partition: number, state: PartitionProgress) => {
    state.epoch++;
    state.rewinding = true;
    state.forwarded = state.committed;
    state.ended = false;
    landingFor(partition).reset(partition, state.epoch);
  };

  /** Writes one group (data files, quarantine, manifest last), then commits its offsets. */
  const landGroup = async (state: PartitionProgress, epoch: number, group: EncodedGroup) => {
    if (failed || epoch !== state.epoch) return;
    const { partition } = group;
    for (const field of group.newUndeclaredFields) if (!driftSeen.has(field)) driftSeen.set(field, { kind: 'added', column: field });
    for (const file of group.files) await store.put(file.key, file.body);
    if (group.quarantine) await store.put(group.quarantine.key, group.quarantine.body);
    const next = (group.lastOffset + 1n).toString();
    const files = group.files.map(({ key, rows, ingestDate }) => ({ key, rows, ingestDate }));
    const quarantine = group.quarantine ? [{ key: group.quarantine.key, records: group.quarantine.records }] : [];
    const manifest: BatchManifest = {
      manifestVersion: 1,
      jobId: job.id,
      runId: ctx.runId,
      batchId: group.batchId,
      committedAt: new Date().toISOString(),
      files,
      quarantine,
      rows: files.reduce((n, f) => n + f.rows, 0),
      quarantined: group.quarantine?.records ?? 0,
      position: next,
      details: { topic: extract.topic, partition, firstOffset: group.firstOffset.toString(), lastOffset: group.lastOffset.toString() },
    };
    await store.put(`${job.bronze.manifestsPrefix}${group.batchId}.json`, JSON.stringify(manifest, null, 2));
    try {
      await consumer.commitOffsets([{ topic: extract.topic, partition, offset: next }]);
    } catch (err) {
      if (!lostMembership(err)) throw err;
      // The group was rebalanced under us: the files stay (the same group is rebuilt from the
      // committed offset and overwrites them); read again from there.
      ctx.progress({ jobId: job.id, phase: 'warning', message: `partition ${partition}: commit lost to a rebalance; re-reading from offset ${state.committed}` });
      rewind(partition, state);
      return;
    }
    state.committed = group.lastOffset + 1n;
    result.rows += manifest.rows;
    result.quarantined += manifest.quarantined;
    result.batches++;
    result.files += files.length + quarantine.length;
    ctx.progress({ jobId: job.id, phase: 'batch', message: `partition ${partition} offsets ${group.firstOffset}..${group.lastOffset}`, rows: manifest.rows, quarantined: manifest.quarantined });
  };

  // Partitions are spread over the landing workers; each partition stays on one worker, in order.
  const workerCount = Math.max(1, Math.min(Number(env.ETL_KAFKA_LANDING_THREADS ?? Math.min(4, availableParallelism())), partitions.size));
  // Started now, awaited after the consumer connects: the threads boot while the client connects.
  const starting = Array.from({ length: workerCount }, () =>
    LandingThread.start(
      workerEntry,
      { job, runId: ctx.runId, startedAt: ctx.startedAt.toISOString() },
      {
        group(epoch, group) {
          const state = partitions.get(group.partition)!;
          state.chain = state.chain.then(() => landGroup(state, epoch, group)).catch(fail);
        },
        ended(partition, epoch) {
          const state = partitions.get(partition)!;
          state.chain = state.chain.then(() => {
            if (epoch !== state.epoch) return;
            state.done = true;
            checkDone();
          });
        },
        error: (err) => fail(err),
      },
    ),
  );
  // Marked handled now: a thread that fails to start rejects the Promise.all below, not the process.
  for (const thread of starting) thread.catch(() => {});
  let workers: LandingThread[] = [];
  const landingFor = (partition: number) => workers[partition % workerCount]!;

  /** Tells the worker the partition is complete up to the target. */
  const endPartition = (partition: number, state: PartitionProgress) => {
    state.ended = true;
    landingFor(partition).end(partition, state.epoch);
  };

  try {
    await consumer.connect();
    await consumer.subscribe({ topic: extract.topic, fromBeginning: true });
    workers = await Promise.all(starting);
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(4, Math.max(1, partitions.size)),
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        try {
          const state = partitions.get(batch.partition);
          if (!state || state.done) return;
          const forward: KafkaMessage[] = [];
          const forwardOffsets: bigint[] = [];
          const landing = landingFor(batch.partition);
          // Resolved once per batch, at the last offset handled: per message, kafkajs's Long arithmetic
          // costs more than the hand-over itself.
          let handled: string | undefined;
          // Checked per batch: isStale() costs a map lookup with a string key in kafkajs.
          if (!isRunning() || isStale()) return;
          for (const message of batch.messages) {
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
            if (state.ended || offset < state.forwarded) {
              // Delivered again (rebalance, retried fetch), or past the end: already handed over.
              handled = message.offset;
              continue;
            }
            if (offset >= state.target) {
              // Past the target without meeting it exactly (offset gaps): close what is open.
              endPartition(batch.partition, state);
              break;
            }
            forward.push(message);
            forwardOffsets.push(offset);
            state.forwarded = offset + 1n;
            handled = message.offset;
            if (offset + 1n >= state.target) {
              landing.records(batch.partition, state.epoch, forward.splice(0), forwardOffsets.splice(0));
              endPartition(batch.partition, state);
              break;
            }
          }
          landing.records(batch.partition, state.epoch, forward, forwardOffsets);
          if (handled !== undefined) resolveOffset(handled);
          // Back-pressure: fetch more only when the worker has room; keep the membership alive meanwhile.
          while (!(await landing.roomOrTimeout(heartbeatInterval))) await heartbeat();
          await heartbeat();
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
    // Every thread that started is stopped, also when another failed to start.
    await Promise.all(starting.map((w) => w.then((thread) => thread.close(), () => {})));
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
