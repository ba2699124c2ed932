/**
 * Issue 11, item 4 end to end: poison records through real connector runs. Kafka with the real
 * kafkajs client against a real broker; Snowflake with snowflake-sdk against the loopback server;
 * files through `runFilesJob` on a folder. In each, the bad records are quarantined with their
 * reason and origin, every good record lands exactly once, and the run advances (offsets committed,
 * cursor moved), so the next run does not meet the same records again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaBroker } from '../../runtime/dev-servers/kafka-broker.js';
import { ingestionJobFor, type IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { loadSources } from '../../compiler/load/sources.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { ManifestSource } from '../../compiler/manifest/types.js';
import { runKafkaJob } from '../../connectors/kafka/ingest.js';
import { runSnowflakeJob } from '../../connectors/snowflake/ingest.js';
import { decodeKafkaKey } from '../../connectors/kafka/landing-keys.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { BronzeTable } from '../../runtime/bronze/bronze-table.js';
import { timestampMicros } from '../../runtime/bronze/value-encoding.js';
import type { JobContext } from '../../runtime/ingest/job-context.js';
import { referenceJobs, withOverrides } from './helpers/jobs.js';
import { committedOffsets, createTopic, orderEvent, produce, setupBroker } from './helpers/kafka.js';
import { readBronzeRows, readQuarantine } from './helpers/read-bronze.js';

let dir: string;
let jobs: Record<string, IngestionJobSpec>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'poison-e2e-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Kafka: poison messages through kafkajs and a real broker', () => {
  let broker: KafkaBroker;
  beforeAll(async () => {
    broker = await setupBroker();
  }, 600_000);
  afterAll(async () => {
    await broker?.stop();
  });

  const context = (job: IngestionJobSpec, runId: string): JobContext => ({
    job,
    store: new LocalObjectStore(job.bronze.location),
    runId,
    startedAt: new Date('2024-06-01T00:00:00Z'),
    env: { ETL_KAFKA_BROKERS: broker.brokers.join(','), ETL_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT', ETL_KAFKA_SESSION_TIMEOUT_MS: '6000' },
    progress: () => {},
  });

  it('quarantines 1e999999999, +99:99, bad UTF-8 and lone surrogates with their offsets; lands the rest once; binary keys stay exact', async () => {
    const topic = 'order_events_poison';
    await createTopic(broker.brokers, topic, 2);
    const job = withOverrides(jobs['source.kafka.order_events']!, { topic, consumerGroup: 'g-poison', location: join(dir, 'kafka'), rotation: { maxRecords: 100 } });
    const json = (i: number, patch: Record<string, unknown> = {}) => JSON.stringify({ ...orderEvent(i), ...patch });
    const badUtf8 = Buffer.concat([Buffer.from(json(9003).slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from(json(9003).slice(20))]);
    const binaryKeys = [Buffer.from([0xff, 0x00, 0x01]), Buffer.from([0xfe, 0x00, 0x01])];
    const valid = Array.from({ length: 300 }, (_, i) => ({ partition: i % 2, key: `o-${i}`, value: json(i) }));
    const poison = [
      { partition: 0, key: 'p1', value: json(9001, { amount: '1e999999999' }) },
      { partition: 1, key: 'p2', value: json(9002, { event_timestamp: '2024-01-02T12:00:00+99:99' }) },
      { partition: 0, key: 'p3', value: badUtf8 },
      { partition: 1, key: 'p4', value: json(9004).replace('"o-', '"\\udc00o-') },
    ];
    const binary = binaryKeys.map((key, i) => ({ partition: i, key, value: json(8000 + i) }));
    await produce(broker.brokers, topic, [...valid.slice(0, 150), ...poison, ...binary, ...valid.slice(150)]);

    const result = await runKafkaJob(context(job, 'run-1'));
    expect(result.status).toBe('success');
    expect(result.rows).toBe(302);
    expect(result.quarantined).toBe(4);
    expect(await committedOffsets(broker.brokers, 'g-poison', topic)).toEqual({ 0: '153', 1: '153' });

    const rows = await readBronzeRows(job.bronze.location);
    expect(rows).toHaveLength(302);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(302);
    const landedKeys = rows.filter((r) => ['e-8000', 'e-8001'].includes(r.event_id as string)).sort((a, b) => String(a.event_id).localeCompare(String(b.event_id)));
    expect(landedKeys.map((r) => decodeKafkaKey(r._key as string))).toEqual(binaryKeys);
    expect(landedKeys[0]!._key).not.toBe(landedKeys[1]!._key);

    const quarantined = await readQuarantine(job.bronze.location);
    const byKey = Object.fromEntries(quarantined.map((q) => [q.origin.key as string, q]));
    expect(Object.keys(byKey).sort()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(byKey.p1).toMatchObject({ reason: expect.stringMatching(/amount \(decimal\(18,2\)\): "1e999999999" does not fit/), origin: { topic, partition: 0 } });
    expect(byKey.p2!.reason).toMatch(/event_timestamp \(timestamp\): .*zone offset/);
    expect(byKey.p3).toMatchObject({ reason: 'the value is not valid UTF-8', record: { base64: badUtf8.toString('base64') } });
    expect(byKey.p4!.reason).toMatch(/order_id \(string\): .*surrogate/);
    for (const q of quarantined) expect(q.origin.offset).toMatch(/^\d+$/);

    // The next run meets none of them again: the offsets moved past the poison.
    const again = await runKafkaJob(context(job, 'run-2'));
    expect(again).toMatchObject({ rows: 0, quarantined: 0 });
    expect(await readBronzeRows(job.bronze.location)).toHaveLength(302);
  }, 300_000);
});

describe('Snowflake: a poison decimal through snowflake-sdk and the loopback server', () => {
  let server: SnowflakeServer;
  afterAll(async () => {
    await server?.stop();
  });

  it('quarantines "1e999999999", lands every other row once and moves the cursor', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPath = join(dir, 'rsa_key.p8');
    await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const job = structuredClone(jobs['source.snowflake.customer_orders']!);
    job.bronze.location = join(dir, 'snowflake');
    const rows = generateRows(job.columns, { rows: 200, timeColumn: 'updated_at', days: 4, seed: 11 });
    rows[17]!.amount = '1e999999999';
    rows[18]!.unit_price = '-1E-999999999';
    server = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(job, rows)]), users: { ETL: { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), password: 'x' } } });
    const context: JobContext = {
      job,
      store: new LocalObjectStore(job.bronze.location),
      runId: 'run-1',
      startedAt: new Date('2024-03-02T00:00:00Z'),
      env: { ETL_SNOWFLAKE_ACCESS_URL: server.url, SNOWFLAKE_USERNAME: 'ETL', SNOWFLAKE_PRIVATE_KEY_PATH: keyPath },
      progress: () => {},
    };
    const result = await runSnowflakeJob(context);
    expect(result).toMatchObject({ status: 'success', rows: 198, quarantined: 2 });
    const landed = await readBronzeRows(job.bronze.location);
    expect(new Set(landed.map((r) => r.order_id)).size).toBe(198);
    const quarantined = await readQuarantine(job.bronze.location);
    expect(quarantined.map((q) => q.reason).sort()).toEqual([
      expect.stringMatching(/^schema: amount \(decimal\(18,2\)\): "1e999999999" does not fit/),
      expect.stringMatching(/^schema: unit_price \(decimal\(18,2\)\): "-1E-999999999" has more than 2 decimal places/),
    ]);
    expect(quarantined.every((q) => q.origin.window !== undefined)).toBe(true);
    const state = await new BronzeTable(context.store, job).readState();
    // Past every row, the poison ones included: the next run does not read them again.
    const last = rows.map((r) => timestampMicros(r.updated_at)).reduce((a, b) => (a > b ? a : b));
    expect(timestampMicros(state.cursor)).toBeGreaterThan(last);
    expect(await runSnowflakeJob({ ...context, runId: 'run-2' })).toMatchObject({ rows: 0, quarantined: 0 });
  }, 120_000);
});

describe('files: a line that is not UTF-8, through runFilesJob', () => {
  it('quarantines the line once with its exact bytes and a poison decimal with its reason; lands the others', async () => {
    const { runFilesJob } = await import('../../connectors/files/ingest.js');
    // The fixture project's job, as `etl compile` emits it; its folder is landing/events under projectDir.
    const fixture = join(import.meta.dirname, 'fixtures', 'files-project');
    const [source] = await referenceSourcesOf(fixture, join(dir, 'files-bronze'));
    const job = ingestionJobFor(source!, { project: { name: 'files_project', root: fixture, vars: {} } });
    const projectDir = join(dir, 'files-project');
    await mkdir(join(projectDir, 'landing', 'events'), { recursive: true });
    const line = (id: string, patch: Record<string, unknown> = {}) => Buffer.from(JSON.stringify({ event_id: id, updated_at: '2024-03-01T10:00:00Z', ...patch }) + '\n');
    const bad = Buffer.concat([Buffer.from('{"event_id": "b'), Buffer.from([0xff, 0xfe]), Buffer.from('", "updated_at": "2024-03-01T10:00:00Z"}\n')]);
    await writeFile(join(projectDir, 'landing', 'events', 'part-1.jsonl'), Buffer.concat([line('a'), bad, line('c', { amount: '1e999999999' }), line('d', { amount: '2.5' })]));
    const context = (runId: string): JobContext => ({ job, store: new LocalObjectStore(job.bronze.location), runId, startedAt: new Date('2024-03-02T00:00:00Z'), env: {}, progress: () => {}, projectDir });
    const first = await runFilesJob(context('run-1'));
    expect(first).toMatchObject({ rows: 2, quarantined: 2 });
    const quarantined = await readQuarantine(job.bronze.location);
    expect(quarantined).toHaveLength(2);
    expect(quarantined).toEqual(
      expect.arrayContaining([
        { reason: 'unreadable line: not valid UTF-8', origin: { file: 'part-1.jsonl', line: 2 }, record: { base64: bad.subarray(0, bad.length - 1).toString('base64') } },
        expect.objectContaining({ reason: expect.stringMatching(/^schema: amount \(decimal\(10,2\)\): "1e999999999" does not fit/) }),
      ]),
    );
    expect((await readBronzeRows(job.bronze.location)).map((r) => [r.event_id, r.amount])).toEqual([
      ['a', null],
      ['d', 2.5],
    ]);
    const second = await runFilesJob(context('run-2'));
    expect(second).toMatchObject({ rows: 0, quarantined: 0 });
    expect(await readQuarantine(job.bronze.location)).toHaveLength(2);
  }, 60_000);
});

async function referenceSourcesOf(projectDir: string, bronzeRoot: string): Promise<ManifestSource[]> {
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSources(projectDir, { root: bronzeRoot, database: 'bronze' }, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  return loaded.map((l) => l.manifest);
}
