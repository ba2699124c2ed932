/**
 * `schedule:` of a source table: when it is ingested in production. `hourly`, `daily` or a
 * five-field cron string (minute hour day-of-month month day-of-week, UTC), e.g. `15 6 * * 1-5`.
 * Without it the cadence follows the table's `freshness.warnAfter`: 2 hours or less is hourly,
 * anything longer (or none) daily. `etl infra generate` turns each cadence into EventBridge
 * Scheduler expressions (`cron(m h dom mon dow year)`).
 */
import { z } from 'zod';

const FIELD = /^(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?(,(\*|\d{1,2}(-\d{1,2})?)(\/\d{1,2})?)*$/;
const NAMED = /^[A-Za-z]{3}(-[A-Za-z]{3})?(,[A-Za-z]{3}(-[A-Za-z]{3})?)*$/;
const RANGES: ReadonlyArray<readonly [number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

/** The reason a five-field cron string is not accepted, or undefined. */
export function cronProblem(text: string): string | undefined {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  const names = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
  for (const [i, field] of fields.entries()) {
    if ((i === 3 || i === 4) && NAMED.test(field)) continue;
    if (!FIELD.test(field)) return `${names[i]} '${field}' is not a number, range, list, step or *`;
    const [lo, hi] = RANGES[i]!;
    for (const n of field.match(/\d+/g) ?? []) {
      const value = Number(n);
      const isStep = field.includes(`/${n}`);
      if (!isStep && (value < lo || value > hi)) return `${names[i]} ${value} is outside ${lo}-${hi}`;
    }
  }
  if (fields[2] !== '*' && fields[4] !== '*') return 'give day-of-month or day-of-week, not both (EventBridge Scheduler cannot combine them)';
  return undefined;
}

export const cronSchema = z.string().superRefine((text, ctx) => {
  const problem = cronProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', message: `expected 'hourly', 'daily' or a cron string: ${problem}` });
});

export const scheduleSchema = z.union([z.literal('hourly'), z.literal('daily'), cronSchema]);
export type Schedule = z.infer<typeof scheduleSchema>;

/** The cadence a table without `schedule:` gets from its freshness (seconds of `warnAfter`). */
export function defaultSchedule(warnAfterSeconds: number | undefined): 'hourly' | 'daily' {
  return warnAfterSeconds !== undefined && warnAfterSeconds <= 2 * 3600 ? 'hourly' : 'daily';
}

/** Unix day-of-week numbers (0 or 7 = Sunday) to EventBridge's (1 = Sunday). */
function awsDayOfWeek(field: string): string {
  if (field === '*') return '?';
  return field.replace(/\d+/g, (n, offset: number) => (field[offset - 1] === '/' ? n : String((Number(n) % 7) + 1)));
}

/**
 * EventBridge Scheduler `cron()` for a schedule, `offsetMinutes` later (a build after its
 * ingestion). The offset applies when the minute field is a plain number and stays in the hour;
 * otherwise the expression is the schedule's own.
 */
export function schedulerExpression(schedule: Schedule, offsetMinutes = 0): string {
  const cron = schedule === 'hourly' ? '0 * * * *' : schedule === 'daily' ? '0 2 * * *' : schedule.trim();
  const [minute = '0', hour = '*', dom = '*', month = '*', dow = '*'] = cron.split(/\s+/);
  const shifted = /^\d+$/.test(minute) && Number(minute) + offsetMinutes < 60 ? String(Number(minute) + offsetMinutes) : minute;
  const dayOfMonth = dom === '*' && dow !== '*' ? '?' : dom;
  return `cron(${shifted} ${hour} ${dayOfMonth} ${month} ${awsDayOfWeek(dow)} *)`;
}

/** A stable name for a cadence, for logical ids and schedule names: `hourly`, `daily`, `cron-15-6-x-x-1-5`. */
export function cadenceKey(schedule: Schedule): string {
  if (schedule === 'hourly' || schedule === 'daily') return schedule;
  return `cron-${schedule.trim().split(/\s+/).map((f) => f.replace(/\*/g, 'x').replace(/[^A-Za-z0-9]+/g, '_')).join('-')}`;
}
