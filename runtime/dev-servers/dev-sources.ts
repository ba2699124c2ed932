/**
 * Local stand-ins for every declared source, for the quickstart and end-to-end runs: one loopback
 * Snowflake server, one loopback Salesforce org and a real Kafka broker, filled with deterministic
 * rows generated from the declarations (anchored at today 00:00 UTC, so a rerun the same day serves
 * the same data). Returns the environment that points `etl ingest` at them, and stop().
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { generateRows } from './reference-data.js';
import { generateSampleData, SAMPLE_TABLES } from '../sample-data/generate.js';
import { snowflakeTableFor, startSnowflakeServer, type SnowflakeTable } from './snowflake-server.js';
import { salesforceObjectFor, startSalesforceServer, type SalesforceObject } from './salesforce-server.js';
import { ensureKafkaInstalled, startKafkaBroker } from './kafka-broker.js';

export interface DevSources {
  env: Record<string, string>;
  summary: string[];
  /** Rows (records, events) each stand-in serves, by ingestion job id. */
  served: Record<string, number>;
  stop(): Promise<void>;
}

type EnvRef = { env: string };
const envName = (v: unknown): string | undefined => (typeof v === 'object' && v !== null && 'env' in v ? (v as EnvRef).env : undefined);

/** Stand-ins for the systems of `jobs` that need a server (Snowflake, Salesforce, Kafka); other systems' jobs read what is already there. */
export async function startDevSources(projectDir: string, jobs: IngestionJobSpec[], options: { rows?: number; days?: number; end?: Date } = {}): Promise<DevSources> {
  const rows = options.rows ?? 2000;
  const days = options.days ?? 7;
  const today = new Date();
  const end = options.end ?? new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
  const env: Record<string, string> = {};
  const summary: string[] = [];
  const stops: Array<() => Promise<void>> = [];
  const keysDir = join(projectDir, '.etl', 'dev-sources');
  await mkdir(keysDir, { recursive: true });
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPath = join(keysDir, 'dev_rsa_key.p8');
  await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const reference = referenceRows(jobs, rows);
  const served: Record<string, number> = {};
  const data = (job: IngestionJobSpec, seed: number) => {
    const out =
      reference?.get(`${job.sourceName}.${job.table}`) ??
      generateRows(job.columns, { rows, seed, days, end, ...(job.cursor ? { timeColumn: job.cursor.column } : job.extract.kind === 'kafka' && job.extract.eventTimeColumn ? { timeColumn: job.extract.eventTimeColumn } : {}) });
    served[job.id] = out.length;
    return out;
  };
  const total = (some: IngestionJobSpec[]) => some.reduce((n, j) => n + (served[j.id] ?? 0), 0);

  try {
    const snowflakeJobs = jobs.filter((j) => j.system === 'snowflake');
    if (snowflakeJobs.length) {
      const tables: Record<string, SnowflakeTable> = {};
      snowflakeJobs.forEach((j, i) => {
        const [name, table] = snowflakeTableFor(j, data(j, 100 + i));
        tables[name] = table;
      });
      const users: Record<string, { password?: string; publicKeyPem?: string }> = { ETL_DEV: { password: 'dev-password', publicKeyPem } };
      for (const j of snowflakeJobs) {
        const auth = (j.connection as { auth?: Record<string, unknown> }).auth ?? {};
        const set = (ref: unknown, value: string) => {
          const name = envName(ref);
          if (name) env[name] = value;
        };
        set(auth.username, 'etl_dev');
        set(auth.password, 'dev-password');
        set(auth.privateKeyPath, keyPath);
        set(auth.token, 'dev-oauth-token');
      }
      const server = await startSnowflakeServer({ tables, users, oauthTokens: ['dev-oauth-token'], rowsPerChunk: 1000 });
      stops.push(server.stop);
      env.ETL_SNOWFLAKE_ACCESS_URL = server.url;
      summary.push(`Snowflake (loopback) ${server.url}: ${Object.keys(tables).length} tables, ${total(snowflakeJobs)} rows`);
    }

    const salesforceJobs = jobs.filter((j) => j.system === 'salesforce');
    if (salesforceJobs.length) {
      const objects: Record<string, SalesforceObject> = {};
      salesforceJobs.forEach((j, i) => {
        const [name, object] = salesforceObjectFor(j, data(j, 200 + i));
        objects[name] = object;
      });
      const jwtUsers: Record<string, string> = { 'etl-dev@example.com': publicKeyPem };
      for (const j of salesforceJobs) {
        const auth = (j.connection as { auth?: Record<string, unknown> }).auth ?? {};
        for (const [key, value] of Object.entries({ clientId: 'dev-client', clientSecret: 'dev-secret', refreshToken: 'dev-refresh', username: 'etl-dev@example.com', privateKeyPath: keyPath })) {
          const name = envName(auth[key]);
          if (name) env[name] = value;
        }
      }
      const server = await startSalesforceServer({ objects, clientId: 'dev-client', clientSecret: 'dev-secret', refreshTokens: ['dev-refresh'], jwtUsers });
      stops.push(server.stop);
      env.ETL_SALESFORCE_LOGIN_URL = server.url;
      summary.push(`Salesforce (loopback) ${server.url}: ${Object.keys(objects).length} objects, ${total(salesforceJobs)} records`);
    }

    const kafkaJobs = jobs.filter((j) => j.system === 'kafka');
    if (kafkaJobs.length) {
      await ensureKafkaInstalled();
      const broker = await startKafkaBroker();
      stops.push(broker.stop);
      const kafka = new Kafka({ brokers: broker.brokers, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: kafkaJobs.map((j) => ({ topic: (j.extract as { topic: string }).topic, numPartitions: (j.extract as { partitions: number }).partitions, replicationFactor: 1 })),
        waitForLeaders: true,
      });
      await admin.disconnect();
      // Idempotent: a retried send after a slow broker start must not write the same events twice.
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      for (const [i, j] of kafkaJobs.entries()) {
        const extract = j.extract as { topic: string; keyColumn?: string };
        const events = data(j, 300 + i);
        for (let at = 0; at < events.length; at += 1000) {
          await producer.send({
            topic: extract.topic,
            acks: -1,
            // Events carry each column under its JSON key (`.from(...)`), as the ingestion reads them.
            messages: events.slice(at, at + 1000).map((e) => ({ key: extract.keyColumn ? String(e[extract.keyColumn] ?? '') : null, value: JSON.stringify(Object.fromEntries(j.columns.map((c) => [c.sourceName, e[c.name]]))) })),
          });
        }
      }
      await producer.disconnect();
      env.ETL_KAFKA_BROKERS = broker.brokers.join(',');
      env.ETL_KAFKA_SECURITY_PROTOCOL = 'PLAINTEXT';
      env.ETL_KAFKA_SESSION_TIMEOUT_MS = '6000';
      summary.push(`Kafka 4 (KRaft) ${broker.brokers.join(',')}: ${kafkaJobs.length} topics, ${total(kafkaJobs)} events`);
    }
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw err;
  }
  return {
    env,
    summary,
    served,
    stop: async () => {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}

/**
 * For the reference project's tables, the sample-data generator's rows (realistic values, planted
 * dirt the tests expect, cursors up to now so freshness holds) without their bronze metadata: the
 * ingestion adds its own. Other projects get rows generated from their declarations.
 */
function referenceRows(jobs: IngestionJobSpec[], rows: number): Map<string, Record<string, unknown>[]> | undefined {
  const keys = jobs.map((j) => `${j.sourceName}.${j.table}`);
  if (!keys.some((k) => SAMPLE_TABLES.includes(k))) return undefined;
  const now = new Date();
  const sample = generateSampleData({
    scale: Math.max(0.1, rows / 2000),
    seed: 'dev-sources',
    day: now.toISOString().slice(0, 10),
    increment: false,
    extractionMinute: now.getUTCHours() * 60 + now.getUTCMinutes(),
  });
  const out = new Map<string, Record<string, unknown>[]>();
  for (const [table, landed] of sample.batches[0]!.rows) {
    out.set(table, landed.map(({ values }) => Object.fromEntries(Object.entries(values).filter(([k]) => !k.startsWith('_')))));
  }
  return out;
}
