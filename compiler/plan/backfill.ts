/**
 * `etl build --select m --start D1 --end D2`: the request checked (located diagnostics ETL440-ETL449)
 * and cut into batches, each one ReplaceRange operation made from the model node's backfill spec.
 * Pure: runtime/runner/backfill.ts runs the batches and records the intervals.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { findPosition } from '../load/sources.js';
import type { Manifest } from '../manifest/types.js';
import type { BackfillSpec } from './backfill-spec.js';
import { batches, isDate, type Interval } from './intervals.js';
import { op, type OperationOf, type Relation } from './operations.js';
import type { Plan } from './plan-schema.js';

export interface BackfillRequest {
  projectDir: string;
  /** Selected model ids. */
  models: string[];
  start?: string | undefined;
  end?: string | undefined;
  fullRefresh?: boolean;
  /** The day `--end` defaults to (exclusive): tomorrow, so today is included. */
  today: string;
}

export interface BackfillJob {
  id: string;
  name: string;
  file: string;
  relation: Relation;
  spec: BackfillSpec;
  range: Interval;
  batches: Interval[];
}

const flagError = (code: string, message: string, hint: string): Diagnostic => ({ code, severity: 'error', message, hint });

/** Where a model's config sits in its file (for ETL441), with a frame when the file is here. */
function modelSite(projectDir: string, file: string, needle: string): Pick<Diagnostic, 'file' | 'line' | 'column' | 'frame'> {
  const path = join(projectDir, file);
  if (!existsSync(path)) return { file, line: 1, column: 1 };
  const text = readFileSync(path, 'utf8');
  const pos = findPosition(text, needle);
  return { file, ...pos, frame: codeFrame(text, pos.line, pos.column) };
}

export function planBackfill(manifest: Manifest, plan: Plan, req: BackfillRequest): { diagnostics: Diagnostic[]; jobs: BackfillJob[] } {
  const diagnostics: Diagnostic[] = [];
  if (req.start === undefined) diagnostics.push(flagError('ETL447', '--end needs --start', 'give the first day to rebuild: --start 2026-01-01 --end 2026-01-08 (end excluded).'));
  for (const [flag, value] of [['--start', req.start], ['--end', req.end]] as const) {
    if (value !== undefined && !isDate(value)) diagnostics.push(flagError('ETL442', `${flag} '${value}' is not a date`, `give a calendar date YYYY-MM-DD, e.g. ${flag} 2026-01-05.`));
  }
  const start = req.start ?? '';
  const end = req.end ?? req.today;
  if (!diagnostics.length && start >= end) {
    diagnostics.push(flagError('ETL440', `--start ${start} is not before --end ${end}`, `the range is [start, end): --end is the first day NOT rebuilt, e.g. --start ${start} --end ${isDate(start) ? nextDay(start) : start}.`));
  }
  if (req.fullRefresh) diagnostics.push(flagError('ETL448', '--start/--end cannot be combined with --full-refresh', 'a backfill replaces date ranges of an existing table; --full-refresh rebuilds it whole. Run one, then the other.'));
  if (!req.models.length) diagnostics.push(flagError('ETL449', 'The selection names no model to backfill', 'select the incremental models to rebuild: --select orders_daily.'));
  const jobs: BackfillJob[] = [];
  for (const id of req.models) {
    const node = plan.nodes[id];
    const model = manifest.models[id];
    if (node?.kind !== 'model' || !model) continue;
    if (!node.backfill) {
      diagnostics.push({
        code: 'ETL441',
        severity: 'error',
        message: `Model ${model.name} has no time_column: it cannot be backfilled by date range`,
        ...modelSite(req.projectDir, model.file, 'materialized'),
        hint: 'An incremental model partitioned by a date column can: set time_column (and partition_by) in its config, or leave it out of --select.',
      });
      continue;
    }
    if (diagnostics.length) continue;
    const range = { start, end };
    jobs.push({ id, name: model.name, file: model.file, relation: node.relation, spec: node.backfill, range, batches: batches(range, node.backfill.batchSize) });
  }
  return { diagnostics, jobs: diagnostics.some((d) => d.severity === 'error') ? [] : jobs };
}

function nextDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The operation of one batch: the model's query filtered to the batch, replacing that range only. */
export function batchOperation(job: Pick<BackfillJob, 'relation' | 'spec'>, batch: Interval): OperationOf<'ReplaceRange'> {
  return op({ kind: 'ReplaceRange', relation: job.relation, column: job.spec.column, start: batch.start, end: batch.end, query: job.spec.query });
}
