/**
 * `etl ingest` without the CLI: builds each selected source's job spec from the manifest, runs the
 * jobs one after another into bronze (local or S3), and writes a run record to target/ingest/.
 * A job that fails does not stop the others; its state stays at its last commit.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { Manifest } from '../../compiler/manifest/types.js';
import { ingestionJobFor, type IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { IngestError } from '../bronze/errors.js';
import { LocalObjectStore, type ObjectStore } from '../bronze/object-store.js';
import type { JobContext, JobResult, ProgressEvent } from './job-context.js';
import { selectSources } from './select-sources.js';
import { acquireRunLock } from './run-lock.js';

export interface IngestRunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: 'success' | 'partial' | 'error';
  jobs: Array<JobResult & { relation: string; location: string }>;
}

export interface IngestOptions {
  projectDir: string;
  manifest: Manifest;
  select?: string[];
  env?: NodeJS.ProcessEnv;
  progress?: (event: ProgressEvent) => void;
  runId?: string;
  signal?: AbortSignal;
  /** Store factory (tests inject S3 clients pointed at moto). */
  storeFor?: (location: string, job: IngestionJobSpec) => ObjectStore;
}

export function newRunId(now = new Date()): string {
  return `ingest-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const isS3Url = (location: string) => /^s3a?:\/\//.test(location);

export function resolveLocation(projectDir: string, location: string): string {
  return isS3Url(location) || isAbsolute(location) ? location : resolve(projectDir, location);
}

export async function runIngestion(options: IngestOptions): Promise<IngestRunRecord> {
  const startedAt = new Date();
  const runId = options.runId ?? newRunId(startedAt);
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  const sources = selectSources(Object.values(options.manifest.sources), options.select);
  if (options.select?.length && sources.length === 0) {
    throw new IngestError(`--select ${options.select.join(' ')} matches no source table`, {
      code: 'INGEST_SELECT',
      hint: `known: ${Object.values(options.manifest.sources).map((s) => `${s.sourceName}.${s.table}`).join(', ')}`,
    });
  }
  const record: IngestRunRecord = { runId, startedAt: startedAt.toISOString(), finishedAt: '', status: 'success', jobs: [] };
  for (const source of sources) {
    const job = ingestionJobFor(source, options.manifest);
    const location = resolveLocation(options.projectDir, job.bronze.location);
    job.bronze.location = location;
    const store = options.storeFor?.(location, job) ?? (await defaultStore(location, env));
    const ctx: JobContext = { job, store, runId, startedAt, env, progress, ...(options.signal ? { signal: options.signal } : {}) };
    progress({ jobId: job.id, phase: 'start', message: `${job.system} -> ${job.bronze.relation}` });
    const t0 = Date.now();
    let result: JobResult;
    try {
      result = await runJob(ctx);
    } catch (err) {
      const e = err instanceof IngestError ? err : undefined;
      result = {
        jobId: job.id,
        status: 'error',
        rows: 0,
        quarantined: 0,
        batches: 0,
        files: 0,
        position: null,
        drift: [],
        warnings: [],
        error: { code: e?.details.code ?? 'INGEST_INTERNAL', message: (err as Error).message, ...(e?.details.hint ? { hint: e.details.hint } : {}) },
        seconds: (Date.now() - t0) / 1000,
      };
      if (!e) result.error!.hint = (err as Error).stack?.split('\n').slice(0, 4).join(' | ');
      progress({ jobId: job.id, phase: 'done', message: `failed: ${result.error!.message}` });
    }
    record.jobs.push({ ...result, relation: job.bronze.relation, location });
    if (options.signal?.aborted) break;
  }
  record.finishedAt = new Date().toISOString();
  record.status = record.jobs.some((j) => j.status === 'error') ? 'error' : record.jobs.some((j) => j.status === 'partial') ? 'partial' : 'success';
  const dir = join(options.projectDir, 'target', 'ingest');
  await mkdir(join(dir, 'runs'), { recursive: true });
  const text = JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  await writeFile(join(dir, 'runs', `${runId}.json`), text);
  await writeFile(join(dir, 'last_run.json'), text);
  return record;
}

/** Local directory, or S3 (ETL_AWS_ENDPOINT_URL points the client at an emulator such as moto). */
async function defaultStore(location: string, env: NodeJS.ProcessEnv): Promise<ObjectStore> {
  if (!isS3Url(location)) return new LocalObjectStore(location);
  // Loaded on demand: the AWS SDK is large and only S3 locations need it.
  const { S3ObjectStore } = await import('../bronze/s3-object-store.js');
  const endpoint = env.ETL_AWS_ENDPOINT_URL;
  return new S3ObjectStore(location, { clientConfig: endpoint ? { endpoint, forcePathStyle: true, region: env.AWS_REGION ?? 'us-east-1' } : {} });
}

/** Connectors load on demand: each pulls in a heavy client (kafkajs, snowflake-sdk, jsforce). */
export async function runJob(ctx: JobContext): Promise<JobResult> {
  const lock = await acquireRunLock(ctx.store, ctx.job, ctx.runId);
  if (lock.tookOverFrom) {
    const from = lock.tookOverFrom;
    ctx.progress({ jobId: ctx.job.id, phase: 'warning', message: `took over the lock of run ${from.runId} (pid ${from.pid} on ${from.host}), which is gone` });
  }
  try {
    switch (ctx.job.system) {
      case 'kafka':
        return await (await import('../connectors/kafka/ingest.js')).runKafkaJob(ctx);
      case 'snowflake':
        return await (await import('../connectors/snowflake/ingest.js')).runSnowflakeJob(ctx);
      case 'salesforce':
        return await (await import('../connectors/salesforce/ingest.js')).runSalesforceJob(ctx);
      default:
        throw new IngestError(`unknown source system ${String(ctx.job.system)}`, { code: 'INGEST_CONFIG' });
    }
  } finally {
    await lock.release();
  }
}
