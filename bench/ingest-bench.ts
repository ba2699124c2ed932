/**
 * Ingestion throughput on this machine. Prints figures, asserts nothing.
 *   Kafka: records/s into bronze vs the raw consume rate of the same client (kafkajs) on the same
 *          broker and topic (target ratio >= 0.7).
 *   Snowflake and Salesforce: rows/s through the real drivers against the loopback servers.
 * Run: node --import tsx bench/ingest-bench.ts [--records 200000] [--rows 100000] [--kafka-runs 1] [--only kafka] [--marks]
 * Each Kafka run reads the same topic twice, raw then into bronze, each with a new consumer group;
 * every figure is printed with the machine's load average (1/5/15 min) when it was taken.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafkaInstalled, startKafkaBroker } from '../runtime/dev-servers/kafka-broker.js';
import { startSnowflakeServer, snowflakeTableFor } from '../runtime/dev-servers/snowflake-server.js';
import { salesforceObjectFor, startSalesforceServer } from '../runtime/dev-servers/salesforce-server.js';
import { generateRows } from '../runtime/dev-servers/reference-data.js';
import { LocalObjectStore } from '../runtime/bronze/object-store.js';
import { runJob } from '../runtime/ingest/run-ingestion.js';
import type { JobContext } from '../runtime/ingest/job-context.js';
import { referenceJobs, withOverrides } from '../spec/ingest/helpers/jobs.js';
import { orderEvent } from '../spec/ingest/helpers/kafka.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RECORDS = arg('records', 200_000);
const ROWS = arg('rows', 100_000);
const KAFKA_RUNS = arg('kafka-runs', 1);
const onlyAt = process.argv.indexOf('--only');
const ONLY = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
/** CPU time of this process (all its threads) since `from`, per Kafka record, in microseconds. */
const cpuPerRecord = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return ((used.user + used.system) / RECORDS).toFixed(2);
};
/** With --marks: monotonic microseconds at phase starts (to cut a --cpu-prof profile into phases). */
const mark = (phase: string) => {
  if (process.argv.includes('--marks')) console.error(`mark ${phase} ${process.hrtime.bigint() / 1000n}`);
};
const load = () => `load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
const PARTITIONS = 4;

const dir = await mkdtemp(join(tmpdir(), 'ingest-bench-'));
const jobs = await referenceJobs(join(dir, 'bronze'));
const ctx = (job: JobContext['job'], env: Record<string, string>): JobContext => ({
  job,
  store: new LocalObjectStore(job.bronze.location),
  runId: 'bench',
  startedAt: new Date('2024-03-02T00:00:00Z'),
  env,
  progress: () => {},
});
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms);
const figures: string[] = [];

// --- Kafka ---------------------------------------------------------------------------------
if (ONLY === undefined || ONLY === 'kafka') {
  await ensureKafkaInstalled();
  const broker = await startKafkaBroker();
  try {
    const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'bench_orders', numPartitions: PARTITIONS, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const perDay = Math.ceil(RECORDS / 5);
    for (let at = 0; at < RECORDS; at += 5000) {
      const messages = [];
      for (let i = at; i < Math.min(RECORDS, at + 5000); i++) messages.push({ partition: i % PARTITIONS, key: `o-${i}`, value: JSON.stringify(orderEvent(i, Math.floor(i / perDay))) });
      await producer.send({ topic: 'bench_orders', acks: -1, messages });
    }
    await producer.disconnect();

    for (let run = 1; run <= KAFKA_RUNS; run++) {
      // Raw consume: the same client, group and fetch settings, doing nothing with the messages.
      const consumer = kafka.consumer({ groupId: `bench-raw-${run}`, maxBytesPerPartition: 4 * 1024 * 1024 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'bench_orders', fromBeginning: true });
      let seen = 0;
      const t0 = Date.now();
      const rawCpu0 = process.cpuUsage();
      mark(`raw-${run}`);
      await new Promise<void>((resolve) => {
        void consumer.run({
          autoCommit: false,
          partitionsConsumedConcurrently: PARTITIONS,
          eachBatch: async ({ batch }) => {
            seen += batch.messages.length;
            if (seen >= RECORDS) resolve();
          },
        });
      });
      const rawMs = Date.now() - t0;
      const rawCpu = cpuPerRecord(rawCpu0);
      const rawLoad = load();
      await consumer.disconnect();

      const job = withOverrides(jobs['source.kafka.order_events']!, { topic: 'bench_orders', consumerGroup: `bench-bronze-${run}`, location: join(dir, `kafka-${run}`) });
      const t1 = Date.now();
      const bronzeCpu0 = process.cpuUsage();
      mark(`bronze-${run}`);
      const threads = process.env.ETL_KAFKA_LANDING_THREADS;
      const result = await runJob(ctx(job, { ETL_KAFKA_BROKERS: broker.brokers.join(','), ETL_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT', ...(threads ? { ETL_KAFKA_LANDING_THREADS: threads } : {}) }));
      const bronzeMs = Date.now() - t1;
      const bronzeCpu = cpuPerRecord(bronzeCpu0);
      mark(`end-${run}`);
      if (result.rows !== RECORDS) throw new Error(`expected ${RECORDS} rows in bronze, got ${result.rows}`);
      const raw = rate(RECORDS, rawMs);
      const bronze = rate(RECORDS, bronzeMs);
      figures.push(`kafka raw consume (kafkajs)      ${raw.toLocaleString('en-US').padStart(10)} records/s  (${RECORDS} records, ${PARTITIONS} partitions, ${rawMs} ms, ${rawCpu} us CPU/record in this process; ${rawLoad})`);
      figures.push(`kafka -> bronze (exactly once)   ${bronze.toLocaleString('en-US').padStart(10)} records/s  (${result.files} files, ${result.batches} commits, ${bronzeMs} ms, ${bronzeCpu} us CPU/record in this process, all threads; ${load()})`);
      figures.push(`kafka bronze / raw ratio         ${(bronze / raw).toFixed(2).padStart(10)}   (target >= 0.70; run ${run} of ${KAFKA_RUNS})`);
    }
  } finally {
    await broker.stop();
  }
}

// --- Snowflake -----------------------------------------------------------------------------
if (ONLY === undefined || ONLY === 'snowflake') {
  const job = structuredClone(jobs['source.snowflake.customer_orders']!);
  job.bronze.location = join(dir, 'snowflake');
  (job.connection as Record<string, unknown>).auth = { kind: 'password', username: { env: 'U' }, password: { env: 'P' } };
  const rows = generateRows(job.columns, { rows: ROWS, timeColumn: 'updated_at', days: 10 });
  const server = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(job, rows)]), users: { ETL: { password: 'pw' } }, rowsPerChunk: 5000 });
  try {
    const t = Date.now();
    const result = await runJob(ctx(job, { ETL_SNOWFLAKE_ACCESS_URL: server.url, U: 'etl', P: 'pw' }));
    const ms = Date.now() - t;
    figures.push(`snowflake -> bronze              ${rate(result.rows, ms).toLocaleString('en-US').padStart(10)} rows/s     (${result.rows} rows, ${result.batches} windows, ${server.stats.chunks} chunks, ${ms} ms; ${load()})`);
  } finally {
    await server.stop();
  }
}

// --- Salesforce ----------------------------------------------------------------------------
for (const mode of ONLY === undefined || ONLY === 'salesforce' ? (['rest', 'bulk'] as const) : []) {
  const job = structuredClone(jobs['source.salesforce.leads']!);
  job.bronze.location = join(dir, `salesforce-${mode}`);
  job.extract = { ...(job.extract as object), windowSeconds: 30 * 86400, bulkThreshold: mode === 'bulk' ? 0 : 10_000_000 } as never;
  const rows = generateRows(job.columns, { rows: ROWS, timeColumn: 'system_modstamp', days: 10 });
  const server = await startSalesforceServer({ objects: Object.fromEntries([salesforceObjectFor(job, rows)]), clientId: 'c', clientSecret: 's', refreshTokens: ['r'] });
  process.env.ETL_SALESFORCE_BULK_POLL_MS = '50';
  try {
    const t = Date.now();
    const result = await runJob(ctx(job, { ETL_SALESFORCE_LOGIN_URL: server.url, SALESFORCE_CLIENT_ID: 'c', SALESFORCE_CLIENT_SECRET: 's', SALESFORCE_REFRESH_TOKEN: 'r' }));
    const ms = Date.now() - t;
    const detail = mode === 'rest' ? `${server.stats.pages} pages` : `${server.stats.bulkPages} bulk result pages`;
    figures.push(`salesforce -> bronze (${mode})      ${rate(result.rows, ms).toLocaleString('en-US').padStart(10)} rows/s     (${result.rows} rows, ${detail}, ${ms} ms; ${load()})`);
  } finally {
    await server.stop();
  }
}

await rm(dir, { recursive: true, force: true });
console.log(`\ningest bench (${new Date().toISOString()}, node ${process.version})\n${figures.join('\n')}`);
process.exit(0);
