/**
 * Date intervals of backfills, as SQLMesh keeps them: half-open `[start, end)` ranges of calendar
 * dates (`YYYY-MM-DD`), merged when they touch, and what a range is missing of them. Pure: the state
 * file that records them is runtime/runner/interval-state.ts.
 */
import { z } from 'zod';
import { DateSchema } from './operations.js';
import type { BatchSize } from './backfill-spec.js';

export const IntervalSchema = z.object({ start: DateSchema, end: DateSchema }).strict();
export type Interval = z.infer<typeof IntervalSchema>;

const DAY = 86_400_000;
const toMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const toDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A real calendar date `YYYY-MM-DD` (not 2026-02-30). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = toMs(text);
  return !Number.isNaN(ms) && toDate(ms) === text;
}

export const addDays = (d: string, n: number) => toDate(toMs(d) + n * DAY);

/** The end of the batch starting at `d`: the next day, Monday, first of month, or `d` + N days. */
function nextBoundary(d: string, size: BatchSize): string {
  if (size === 'day') return addDays(d, 1);
  if (typeof size === 'number') return addDays(d, size);
  const at = new Date(toMs(d));
  if (size === 'week') return addDays(d, 7 - ((at.getUTCDay() + 6) % 7));
  return toDate(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}

/** `[start, end)` cut into batches: days, ISO weeks (from Monday), calendar months or N days from `start`; the first and last are clipped to the range. */
export function batches(range: Interval, size: BatchSize): Interval[] {
  const out: Interval[] = [];
  for (let s = range.start; s < range.end; ) {
    const e = nextBoundary(s, size);
    out.push({ start: s, end: e < range.end ? e : range.end });
    s = e;
  }
  return out;
}

/** Sorted, with touching or overlapping intervals merged. */
export function mergeIntervals(list: readonly Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = i.end > last.end ? i.end : last.end;
    else out.push({ ...i });
  }
  return out;
}

/** The parts of `range` no interval of `done` covers. */
export function missingIntervals(range: Interval, done: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let cursor = range.start;
  for (const i of mergeIntervals(done)) {
    if (i.end <= cursor) continue;
    if (i.start >= range.end) break;
    if (i.start > cursor) out.push({ start: cursor, end: i.start });
    cursor = i.end;
  }
  if (cursor < range.end) out.push({ start: cursor, end: range.end });
  return out;
}

/** Whether `batch` lies wholly inside the intervals of `done`. */
export const covered = (batch: Interval, done: readonly Interval[]) => missingIntervals(batch, done).length === 0;
