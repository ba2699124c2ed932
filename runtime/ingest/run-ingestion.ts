/**
 * `etl ingest` without the CLI: runs the job specs a compile emitted (read-jobs.ts), as they are,
 * one after another into bronze (local or S3), each through its system's connector from the
 * registry, and writes a run record to target/ingest/. A job that fails does not stop the others;
 * its state stays at its last commit. Secrets resolved for a job are masked (redact.ts) in its
 * error, its progress lines and the run record.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { connectorFor, SYSTEM_NAMES } from '../../connectors/registry.js';
import { IngestError } from '../bronze/errors.js';
import { LocalObjectStore, type ObjectStore } from '../bronze/object-store.js';
import type { JobContext, JobResult, ProgressEvent } from './job-context.js';
import { selectSources } from './select-sources.js';
import { acquireRunLock } from './run-lock.js';
import { redactDeep, redactor, resolvedSecrets, type Redactor } from './redact.js';
import { describeRetry, retryPolicyFrom } from './retry-policy.js';
import { resolveManifestLocation } from '../plan/locations.js';
import type { OpsContext } from '../metrics/ops-context.js';
import { ByteCountingStore, ingestPoints } from '../metrics/ingest-metrics.js';
import { fanOut, type SendOutcome } from '../metrics/sink.js';
import type { MetricPoint } from '../metrics/points.js';

export interface IngestRunRecord {
  runId: string;
  startedAt: string;
  finishedAt: string;
  status: 'success' | 'partial' | 'error';
  jobs: Array<JobResult & { relation: string; location: string }>;
  /** Where the run's metric points went (runtime/metrics), one entry per sink. */
  metrics?: SendOutcome[];
}

export interface IngestOptions {
  /** Relative bronze locations and folders resolve against it; the run record goes to its target/ingest/. */
  projectDir: string;
  /** Job specs as read by readJobSpecs() (or built by ingestionJobFor in specs). */
  jobs: IngestionJobSpec[];
  select?: string[];
  env?: NodeJS.ProcessEnv;
  progress?: (event: ProgressEvent) => void;
  runId?: string;
  signal?: AbortSignal;
  /** Store factory (tests inject S3 clients pointed at moto). */
  storeFor?: (location: string, job: IngestionJobSpec) => ObjectStore;
  /** Project name, KMS key for S3 writes and metric sinks (runtime/metrics/ops-context.ts); without it no metrics are sent. */
  ops?: OpsContext;
}

export function newRunId(now = new Date()): string {
  return `ingest-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

const isS3Url = (location: string) => /^s3a?:\/\//.test(location);

/**
 * Where a job's bronze table is on this machine: a URI or absolute path as is, a relative path
 * against the project directory. The one place job locations are resolved at run time.
 */
export function resolveBronzeLocation(location: string, projectDir: string): string {
  return resolveManifestLocation(location, projectDir);
}

export async function runIngestion(options: IngestOptions): Promise<IngestRunRecord> {
  const startedAt = new Date();
  const runId = options.runId ?? newRunId(startedAt);
  const env = options.env ?? process.env;
  const progress = options.progress ?? (() => {});
  const selected = selectSources(options.jobs, options.select);
  if (options.select?.length && selected.length === 0) {
    throw new IngestError(`--select ${options.select.join(' ')} matches no source table`, {
      code: 'INGEST_SELECT',
      hint: `known: ${options.jobs.map((s) => `${s.sourceName}.${s.table}`).join(', ')}`,
    });
  }
  const record: IngestRunRecord = { runId, startedAt: startedAt.toISOString(), finishedAt: '', status: 'success', jobs: [] };
  const allSecrets = new Set<string>();
  const points: MetricPoint[] = [];
  for (const emitted of selected) {
    const location = resolveBronzeLocation(emitted.bronze.location, options.projectDir);
    const job = { ...emitted, bronze: { ...emitted.bronze, location } };
    for (const s of resolvedSecrets(job.connection, env)) allSecrets.add(s);
    const redact = redactor(resolvedSecrets(job.connection, env));
    const jobProgress = (e: ProgressEvent) => progress({ ...e, message: redact(e.message) });
    const t0 = Date.now();
    let result: JobResult;
    let counted: ByteCountingStore | undefined;
    try {
      counted = new ByteCountingStore(options.storeFor?.(location, job) ?? (await defaultStore(location, env, job.id, jobProgress, options.ops?.kmsKeyId)));
      const store = counted;
      const ctx: JobContext = { job, store, runId, startedAt, env, projectDir: options.projectDir, progress: jobProgress, ...(options.signal ? { signal: options.signal } : {}) };
      jobProgress({ jobId: job.id, phase: 'start', message: `${job.system} -> ${job.bronze.relation}` });
      result = await runJob(ctx);
    } catch (err) {
      result = failedResult(job.id, err, (Date.now() - t0) / 1000, redact);
      jobProgress({ jobId: job.id, phase: 'done', message: `failed: ${result.error!.message}` });
    }
    record.jobs.push(redactDeep({ ...result, relation: job.bronze.relation, location }, redact));
    if (options.ops) points.push(...ingestPoints({ project: options.ops.project, source: `${job.sourceName}.${job.table}`, result, bytes: counted?.bytes ?? 0, runId, at: new Date() }));
    if (options.signal?.aborted) break;
  }
  if (options.ops) record.metrics = await fanOut(options.ops.sinks, points);
  record.finishedAt = new Date().toISOString();
  record.status = record.jobs.some((j) => j.status === 'error') ? 'error' : record.jobs.some((j) => j.status === 'partial') ? 'partial' : 'success';
  // The record as written and returned (the CLI prints from it): masked once more with every job's secrets.
  const safe = redactDeep(record, redactor(allSecrets));
  const dir = join(options.projectDir, 'target', 'ingest');
  await mkdir(join(dir, 'runs'), { recursive: true });
  const text = JSON.stringify(safe, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
  await writeFile(join(dir, 'runs', `${runId}.json`), text);
  await writeFile(join(dir, 'last_run.json'), text);
  return safe;
}

/** A failed job's result: a user-facing IngestError as it is, anything else with the top of its stack; both masked. */
function failedResult(jobId: string, err: unknown, seconds: number, redact: Redactor): JobResult {
  const e = err instanceof IngestError ? err : undefined;
  const hint = e ? e.details.hint : (err as Error).stack?.split('\n').slice(0, 4).join(' | ');
  return {
    jobId,
    status: 'error',
    rows: 0,
    quarantined: 0,
    batches: 0,
    files: 0,
    position: null,
    drift: [],
    warnings: [],
    error: { code: e?.details.code ?? 'INGEST_INTERNAL', message: redact(e?.details.where ? `${(err as Error).message} (at ${e.details.where})` : String((err as Error)?.message ?? err)), ...(hint ? { hint: redact(hint) } : {}) },
    seconds,
  };
}

/** Local directory, or S3 (ETL_AWS_ENDPOINT_URL points the client at an emulator such as moto). */
async function defaultStore(location: string, env: NodeJS.ProcessEnv, jobId: string, progress: (e: ProgressEvent) => void, kmsKeyId?: string): Promise<ObjectStore> {
  if (!isS3Url(location)) return new LocalObjectStore(location);
  // Loaded on demand: the AWS SDK is large and only S3 locations need it.
  const { S3ObjectStore } = await import('../bronze/s3-object-store.js');
  const endpoint = env.ETL_AWS_ENDPOINT_URL;
  return new S3ObjectStore(location, {
    clientConfig: endpoint ? { endpoint, forcePathStyle: true, region: env.AWS_REGION ?? 'us-east-1' } : {},
    retry: retryPolicyFrom(env),
    ...(kmsKeyId ? { kmsKeyId } : {}),
    retryHooks: { onRetry: (e) => progress({ jobId, phase: 'warning', message: describeRetry(e) }) },
  });
}

/** Runs one job through its system's connector, under the table's lock. Connectors load on demand: each pulls in a heavy client. */
export async function runJob(ctx: JobContext): Promise<JobResult> {
  const connector = connectorFor(ctx.job.system);
  if (!connector) {
    throw new IngestError(`${ctx.job.id}: unknown source system '${ctx.job.system}'`, { code: 'INGEST_CONFIG', hint: `this etl knows ${SYSTEM_NAMES.join(', ')}` });
  }
  const run = await connector.run();
  const lock = await acquireRunLock(ctx.store, ctx.job, ctx.runId, {
    onLost: (holder) =>
      ctx.progress({
        jobId: ctx.job.id,
        phase: 'warning',
        message: `lost the table lock${holder ? ` to run ${holder.runId} (pid ${holder.pid} on ${holder.host})` : ''}: its heartbeat was late past the TTL; this run no longer refreshes it`,
      }),
  });
  if (lock.tookOverFrom) {
    const from = lock.tookOverFrom;
    ctx.progress({ jobId: ctx.job.id, phase: 'warning', message: `took over the lock of run ${from.runId} (pid ${from.pid} on ${from.host}), which is gone` });
  }
  try {
    return await run(ctx);
  } finally {
    await lock.release();
  }
}
