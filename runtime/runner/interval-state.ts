/**
 * The processed intervals of each backfilled model, and the backfill under way (for resuming), in a
 * JSON file per table under the project's `.etl/state/intervals/<target>/`. A file, not a Delta
 * table: it is written after each batch's commit without another Spark statement, read by
 * `etl intervals` without starting Spark, and `.etl/` is already the project's local state. (A
 * shared deployment running from several machines wants it next to the data instead: not done yet.)
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { BatchSizeSchema } from '../../compiler/plan/backfill-spec.js';
import { IntervalSchema, mergeIntervals, type Interval } from '../../compiler/plan/intervals.js';

export const IntervalStateSchema = z
  .object({
    version: z.literal(1),
    model: z.string(),
    relation: z.string(),
    column: z.string(),
    batchSize: BatchSizeSchema,
    /** Ranges replaced by a finished batch, merged. */
    processed: z.array(IntervalSchema),
    /** The backfill under way: its range and the batches done; null once it finished. */
    pending: z
      .object({
        range: IntervalSchema,
        done: z.array(IntervalSchema),
        failed: z.object({ batch: IntervalSchema, message: z.string() }).strict().nullable(),
      })
      .strict()
      .nullable(),
    updatedAt: z.string(),
  })
  .strict();
export type IntervalState = z.infer<typeof IntervalStateSchema>;

export function intervalStateFile(projectDir: string, target: string, relation: string): string {
  return join(projectDir, '.etl', 'state', 'intervals', target, `${relation}.json`);
}

export function readIntervalState(file: string): IntervalState | undefined {
  if (!existsSync(file)) return undefined;
  return IntervalStateSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** Written whole to a temporary file and renamed: a killed run leaves the previous state, never half a file. */
export function writeIntervalState(file: string, state: IntervalState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ ...state, updatedAt: new Date().toISOString() }, null, 2)}\n`);
  renameSync(tmp, file);
}

/** The state after `batch` committed. */
export function withBatchDone(state: IntervalState, batch: Interval): IntervalState {
  const processed = mergeIntervals([...state.processed, batch]);
  const pending = state.pending && { ...state.pending, done: [...state.pending.done, batch], failed: null };
  return { ...state, processed, pending };
}
