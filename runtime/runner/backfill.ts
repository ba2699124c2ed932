/**
 * `etl build --select m --start D1 --end D2`: runs a model's backfill batches in order, each one
 * ReplaceRange operation (one Delta commit replacing that range only), recording each finished batch
 * in the model's interval state. A run that stops (a failing batch, a killed process) leaves the
 * pending backfill in the state; the same command then resumes at the first unfinished batch.
 * Progress goes through the run reporter: one node per batch.
 */
import { dirname } from 'node:path';
import { batchOperation, type BackfillJob } from '../../compiler/plan/backfill.js';
import { covered, type Interval } from '../../compiler/plan/intervals.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { relationName } from '../../compiler/plan/operations.js';
import type { EngineSession } from '../engines/engine.js';
import type { SparkEngine } from '../engines/spark/engine.js';
import type { Reporter } from './events.js';
import { intervalStateFile, readIntervalState, withBatchDone, writeIntervalState, type IntervalState } from './interval-state.js';
import { errorResult } from './node-error.js';
import type { NodeResult } from './results.js';
import { acquireProjectEngine } from './project-engine.js';

export interface BackfillOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  jobs: BackfillJob[];
  /** Only batches no earlier run processed (else the whole range, resuming an unfinished run of it). */
  onlyMissing?: boolean;
  reporter: Reporter;
  spark?: SparkEngine;
}

export interface BackfillOutcome {
  success: boolean;
  results: NodeResult[];
}

const label = (b: Interval) => `[${b.start}, ${b.end})`;
const sameRange = (a: Interval, b: Interval) => a.start === b.start && a.end === b.end;

/** The state a backfill of `job` starts from: its pending run when it is the same range (a resume). */
function startState(job: BackfillJob, file: string): { state: IntervalState; resumed: boolean } {
  const prior = readIntervalState(file);
  const base: IntervalState = prior ?? { version: 1, model: job.id, relation: relationName(job.relation), column: job.spec.column, batchSize: job.spec.batchSize, processed: [], pending: null, updatedAt: '' };
  if (prior?.pending && sameRange(prior.pending.range, job.range)) return { state: prior, resumed: true };
  return { state: { ...base, column: job.spec.column, batchSize: job.spec.batchSize, pending: { range: job.range, done: [], failed: null } }, resumed: false };
}

export async function runBackfill(opts: BackfillOptions): Promise<BackfillOutcome> {
  const started = Date.now();
  const emit = opts.reporter.emit.bind(opts.reporter);
  const total = opts.jobs.reduce((n, j) => n + j.batches.length, 0);
  emit({ event: 'run_start', command: 'build', nodes: total, threads: 1 });
  if (!opts.spark) emit({ event: 'spark_starting' });
  const t0 = Date.now();
  const engine = await acquireProjectEngine(opts.manifest, opts.projectDir, opts.spark);
  emit({ event: 'spark_ready', host: engine.spark.server.host, port: engine.spark.server.port, reused: engine.reused, ms: Date.now() - t0 });
  const results: NodeResult[] = [];
  try {
    const session = await engine.openSession();
    for (const job of opts.jobs) {
      const ok = await backfillModel(session, job, opts, (r) => {
        results.push(r);
        emit({ event: 'node_end', ...r });
      });
      if (!ok) break;
    }
  } finally {
    await engine.close();
  }
  const success = results.every((r) => r.status !== 'error');
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  emit({ event: 'run_end', success, elapsedMs: Date.now() - started, counts, runResults: dirname(intervalStateFile(opts.projectDir, opts.manifest.target.name, 'x')) });
  return { success, results };
}

async function backfillModel(session: EngineSession, job: BackfillJob, opts: BackfillOptions, record: (r: NodeResult) => void): Promise<boolean> {
  const node = opts.plan.nodes[job.id];
  if (node?.kind !== 'model') return false;
  const base = (b: Interval) => ({ id: `${job.id}@${b.start}`, kind: 'model' as const, name: `${node.name} ${label(b)}` });
  // The bronze tables it reads are registered (idempotent), so a fresh Spark can run a batch.
  for (const id of node.dependsOn) {
    const source = opts.plan.nodes[id];
    if (source?.kind === 'source') for (const o of source.operations) await session.execute(o);
  }
  const table = await session.tableState(node.relation, node.location);
  if (!table.exists) {
    record({ ...base(job.range), status: 'error', durationMs: 0, message: `${node.name} has no table yet: build it once (etl build --select ${job.name}), then backfill ranges of it.`, location: { file: job.file } });
    return false;
  }
  const file = intervalStateFile(opts.projectDir, opts.manifest.target.name, relationName(job.relation));
  let { state, resumed } = startState(job, file);
  writeIntervalState(file, state);
  for (const batch of job.batches) {
    const doneNow = covered(batch, state.pending?.done ?? []);
    if ((resumed && doneNow) || (opts.onlyMissing && covered(batch, state.processed))) {
      record({ ...base(batch), status: 'skipped', durationMs: 0, message: resumed && doneNow ? 'done by the interrupted run this one resumes' : 'already processed (--only-missing)' });
      continue;
    }
    const t0 = Date.now();
    const before = await session.tableState(node.relation, node.location);
    try {
      await session.execute(batchOperation(job, batch));
    } catch (e) {
      const failed = errorResult(e, base(batch).id, 'model', base(batch).name, t0, job.file, opts.projectDir);
      writeIntervalState(file, { ...state, pending: state.pending && { ...state.pending, failed: { batch, message: failed.message ?? '' } } });
      record(failed);
      return false;
    }
    const rows = await session.rowsWritten(node.relation, before, node.location);
    state = withBatchDone(state, batch);
    writeIntervalState(file, state);
    record({ ...base(batch), status: 'success', startedAt: new Date(t0).toISOString(), durationMs: Date.now() - t0, ...(rows !== undefined ? { rows } : {}) });
  }
  writeIntervalState(file, { ...state, pending: null });
  return true;
}
