/**
 * Formatting helpers for the value representation the bronze writer expects: decimals as exact
 * strings, timestamps as ISO-8601, dates as YYYY-MM-DD. Money is kept in integer cents so
 * arithmetic never drifts.
 */

export const MS_PER_DAY = 86_400_000;

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Integer cents to a decimal string: -1234 -> "-12.34". */
export function cents(value: number): string {
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(Math.round(value));
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`;
}

/** Epoch milliseconds to an ISO timestamp at whole-second precision (UTC). */
export function isoTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Midnight UTC of a YYYY-MM-DD day, in epoch milliseconds; throws on a malformed day. */
export function dayStart(day: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`'${day}' is not a date in YYYY-MM-DD form`);
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || isoDate(ms) !== day) throw new Error(`'${day}' is not a valid calendar date`);
  return ms;
}

export function addDays(day: string, days: number): string {
  return isoDate(dayStart(day) + days * MS_PER_DAY);
}
