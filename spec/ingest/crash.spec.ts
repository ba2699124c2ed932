/**
 * The crash test: ingestion processes are SIGKILLed at random points, many times, during large runs;
 * after restarts every source record must be in bronze exactly once (none lost, none duplicated).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import type { KafkaBroker } from '../../runtime/dev-servers/kafka-broker.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows, prng } from '../../runtime/dev-servers/reference-data.js';
import { projectRoot, referenceJobs, withOverrides } from './helpers/jobs.js';
import { createTopic, orderEvent, produce, setupBroker } from './helpers/kafka.js';
import { readBronzeRows } from './helpers/read-bronze.js';

const KILLS = Number(process.env.CRASH_KILLS ?? 8);
let dir: string;
let broker: KafkaBroker;
let snowflake: SnowflakeServer;
let jobs: Record<string, IngestionJobSpec>;
const random = prng(Number(process.env.CRASH_SEED ?? Date.now() % 100000));

beforeAll(async () => {
  [broker, dir] = await Promise.all([setupBroker(), mkdtemp(join(tmpdir(), 'crash-'))]);
  jobs = await referenceJobs(join(dir, 'bronze'));
}, 240_000);

afterAll(async () => {
  await broker?.stop();
  await snowflake?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * Where to kill a child: after it reports `afterBatches` written batches (0 = right after start), plus
 * `delayMs`. Kill points follow the job's progress, not the wall clock, so a faster machine cannot
 * finish the whole job before the first kill.
 */
interface KillPoint { afterBatches: number; delayMs: number }

/** Runs the job in a child; SIGKILLs it at `kill` (or lets it finish when no kill point is given). */
function runChild(jobFile: string, env: Record<string, string>, kill?: KillPoint): Promise<{ killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'spec/ingest/helpers/crash-child.ts'), jobFile, `run-${Date.now()}`], {
      cwd: projectRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let batches = 0;
    let timer: NodeJS.Timeout | undefined;
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      pending += d.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('batch')) batches++;
        const due = line === 'started' ? kill?.afterBatches === 0 : line.startsWith('batch') && batches === kill?.afterBatches;
        if (kill && !timer && due) timer = setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal === 'SIGKILL') resolve({ killed: true, output });
      else if (code === 0) resolve({ killed: false, output });
      else reject(new Error(`child failed (${code}):\n${output}`));
    });
  });
}

/** Kills the job at random progress points `KILLS` times, then lets one run finish. */
async function crashUntilDone(jobFile: string, env: Record<string, string>, maxBatchesPerRun: number) {
  let kills = 0;
  for (let attempt = 0; kills < KILLS && attempt < KILLS * 3; attempt++) {
    const kill = { afterBatches: Math.floor(random() * (maxBatchesPerRun + 1)), delayMs: Math.floor(random() * 120) };
    const r = await runChild(jobFile, env, kill);
    if (r.killed) kills++;
    else return { kills, finishedEarly: true };
  }
  const last = await runChild(jobFile, env);
  expect(last.output).toMatch(/done \d+/);
  return { kills, finishedEarly: false };
}

describe('crash test: SIGKILL at random points, restart, exactly once', () => {
  it('Kafka topic -> bronze', async () => {
    const topic = 'order_events_crash';
    const total = 40_000;
    await createTopic(broker.brokers, topic, 4);
    await produce(broker.brokers, topic, Array.from({ length: total }, (_, i) => ({ partition: i % 4, key: `k${i}`, value: JSON.stringify(orderEvent(i, Math.floor(i / 10_000))) })));
    const job = withOverrides(jobs['source.kafka.order_events']!, { topic, consumerGroup: 'g-crash', location: join(dir, 'kafka'), rotation: { maxRecords: 1500 } });
    const jobFile = join(dir, 'kafka-job.json');
    await writeFile(jobFile, JSON.stringify(job));
    const env = { ETL_KAFKA_BROKERS: broker.brokers.join(','), ETL_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT', ETL_KAFKA_SESSION_TIMEOUT_MS: '6000' };
    const { kills } = await crashUntilDone(jobFile, env, 2);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 3));

    const rows = await readBronzeRows(job.bronze.location);
    const ids = rows.map((r) => r.event_id as string);
    const unique = new Set(ids);
    expect(unique.size).toBe(total);
    expect(ids.length).toBe(total);
    // Each record sits in the file named after its group's first offset for its date and partition.
    for (const r of rows.slice(0, 200)) expect(r.__file).toContain(`${topic}+${r._partition}+`);
  }, 170_000);

  it('Snowflake table -> bronze', async () => {
    const job = structuredClone(jobs['source.snowflake.customer_orders']!);
    job.bronze.location = join(dir, 'snowflake');
    const total = 20_000;
    const source = generateRows(job.columns, { rows: total, timeColumn: 'updated_at', days: 40, seed: 11 });
    snowflake = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(job, source)]), users: { ETL: { password: 'pw' } }, rowsPerChunk: 500 });
    (job.connection as Record<string, unknown>).auth = { kind: 'password', username: { env: 'SF_USER' }, password: { env: 'SF_PASSWORD' } };
    const jobFile = join(dir, 'snowflake-job.json');
    await writeFile(jobFile, JSON.stringify(job));
    const env = { ETL_SNOWFLAKE_ACCESS_URL: snowflake.url, SF_USER: 'etl', SF_PASSWORD: 'pw', ETL_BRONZE_ROWS_PER_FILE: '300' };
    const { kills } = await crashUntilDone(jobFile, env, 3);
    expect(kills).toBeGreaterThanOrEqual(Math.min(KILLS, 3));

    const rows = await readBronzeRows(job.bronze.location);
    const ids = rows.map((r) => r.order_id as string);
    expect(new Set(ids).size).toBe(total);
    expect(ids.length).toBe(total);
  }, 170_000);
});
