/** `etl intervals MODEL`: processed and missing intervals of a backfilled model, from its state file. */
import { z } from 'zod';
import type { ModelNode } from '../../compiler/manifest/types.js';
import { IntervalSchema, missingIntervals } from '../../compiler/plan/intervals.js';
import { relationName } from '../../compiler/plan/operations.js';
import { intervalStateFile, IntervalStateSchema, readIntervalState } from './interval-state.js';

export const IntervalReportSchema = z
  .object({
    model: z.string(),
    relation: z.string(),
    column: z.string(),
    stateFile: z.string(),
    /** Where missing intervals are counted: [model start or first processed day, end). Null when nothing says where to start. */
    range: IntervalSchema.nullable(),
    processed: z.array(IntervalSchema),
    missing: z.array(IntervalSchema),
    /** An unfinished backfill the same command resumes. */
    pending: IntervalStateSchema.shape.pending,
  })
  .strict();
export type IntervalReport = z.infer<typeof IntervalReportSchema>;

export function intervalReport(projectDir: string, target: string, model: string, node: ModelNode, end: string): IntervalReport {
  const relation = relationName(node.relation);
  const stateFile = intervalStateFile(projectDir, target, relation);
  const state = readIntervalState(stateFile);
  const processed = state?.processed ?? [];
  const start = node.backfill?.start ?? processed[0]?.start ?? null;
  const range = start !== null && start < end ? { start, end } : null;
  return { model, relation, column: node.backfill?.column ?? '', stateFile, range, processed, missing: range ? missingIntervals(range, processed) : [], pending: state?.pending ?? null };
}

const list = (is: Array<{ start: string; end: string }>) => (is.length ? is.map((i) => `  [${i.start}, ${i.end})`).join('\n') : '  (none)');

export function formatIntervalReport(r: IntervalReport): string {
  const lines = [`${r.model} (${r.relation}, by ${r.column})`, 'processed:', list(r.processed)];
  lines.push(r.range ? `missing in [${r.range.start}, ${r.range.end}):` : 'missing: (no start: set the model\'s start config or run a backfill)', ...(r.range ? [list(r.missing)] : []));
  if (r.pending) {
    const failed = r.pending.failed ? `; failed at [${r.pending.failed.batch.start}, ${r.pending.failed.batch.end}): ${r.pending.failed.message.split('\n')[0]}` : '';
    lines.push(`unfinished backfill of [${r.pending.range.start}, ${r.pending.range.end}): ${r.pending.done.length} batch(es) done${failed}`, `  resume: etl build --select ${r.model} --start ${r.pending.range.start} --end ${r.pending.range.end}`);
  }
  return lines.join('\n');
}
