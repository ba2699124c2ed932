/**
 * Dates and timestamps for bronze: days since the epoch and microseconds since the epoch (UTC),
 * within Spark's range (0001-01-01 .. 9999-12-31). Parsing is strict: a field out of range, a
 * zone offset beyond ±18:00 (minutes 00-59, as ISO 8601 and java.time allow) or digits past
 * microseconds that are not zero is an error, never a rolled-over or shifted instant.
 */
import { describeValue as describe, ValueError } from './errors.js';

const MS_PER_DAY = 86_400_000;
/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, in microseconds. */
export const MIN_TIMESTAMP_MICROS = -62_135_596_800_000_000n;
export const MAX_TIMESTAMP_MICROS = 253_402_300_799_999_999n;
const MIN_DAY = -719_162;
const MAX_DAY = 2_932_896;
const MAX_OFFSET_MINUTES = 18 * 60;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01. A Date must be at midnight UTC: its time of day would be lost. */
export function encodeDate(value: unknown): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValueError('invalid Date');
    if (ms % MS_PER_DAY !== 0) throw new ValueError(`${describe(value)} has a time of day, which a date cannot hold`);
    return inDateRange(ms / MS_PER_DAY, value);
  }
  if (typeof value === 'string') {
    const m = DATE_RE.exec(value.trim());
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) return inDateRange(utcMillis(y, mo, d, 0, 0, 0) / MS_PER_DAY, value);
    }
  }
  throw new ValueError(`expected a date 'YYYY-MM-DD', got ${describe(value)}`);
}

function inDateRange(day: number, original: unknown): number {
  if (day < MIN_DAY || day > MAX_DAY) throw new ValueError(`${describe(original)} is outside 0001-01-01 .. 9999-12-31`);
  return day;
}

const TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Microseconds since the epoch, UTC. Strings without a zone are read as UTC (Snowflake NTZ,
 * Kafka payloads without offset). Numbers are epoch milliseconds. Digits past microseconds must be
 * zero: Spark timestamps hold microseconds, and dropping precision silently is not allowed.
 */
export function timestampMicros(value: unknown): bigint {
  if (typeof value === 'string') {
    const fast = canonicalIsoMicros(value);
    if (fast !== undefined) return fast;
    return inTimestampRange(parseTimestamp(value), value);
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValueError('invalid Date');
    return inTimestampRange(BigInt(ms) * 1000n, value);
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return inTimestampRange(BigInt(value) * 1000n, value);
  throw new ValueError(`expected an ISO-8601 timestamp, got ${describe(value)}`);
}

function parseTimestamp(value: string): bigint {
  const m = TIMESTAMP_RE.exec(value.trim());
  if (!m) throw new ValueError(`expected an ISO-8601 timestamp, got ${describe(value)}`);
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const frac = m[7] ?? '';
  if (frac.length > 6 && /[1-9]/.test(frac.slice(6))) {
    throw new ValueError(`${describe(value)} has sub-microsecond digits, which Spark timestamps cannot hold`);
  }
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new ValueError(`expected an ISO-8601 timestamp, got ${describe(value)}`);
  }
  const offset = offsetMinutes(m[8]);
  if (offset === undefined) throw new ValueError(`${describe(value)} has a zone offset outside -18:00 .. +18:00 (hours 00-18, minutes 00-59)`);
  const micros = BigInt(utcMillis(y, mo, d, h, mi, s)) * 1000n + BigInt((frac + '000000').slice(0, 6));
  return micros - BigInt(offset) * 60_000_000n;
}

function inTimestampRange(micros: bigint, original: unknown): bigint {
  if (micros < MIN_TIMESTAMP_MICROS || micros > MAX_TIMESTAMP_MICROS) {
    throw new ValueError(`${describe(original)} is outside 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999Z`);
  }
  return micros;
}

/**
 * The common case, `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z` as JSON producers and toISOString write it,
 * read without a regular expression: this runs once per record and timestamp column. Anything
 * else (zones, spaces, nanos, year 0000) returns undefined and takes the general path.
 */
function canonicalIsoMicros(s: string): bigint | undefined {
  const n = s.length;
  if (n < 20 || n > 27 || s.charCodeAt(n - 1) !== 90 /* Z */) return undefined;
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const sec = digits(s, 17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let micros = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n === 21) return undefined;
    const fracDigits = n - 21;
    const frac = digits(s, 20, fracDigits);
    if (frac < 0) return undefined;
    micros = frac * 10 ** (6 - fracDigits);
  }
  if (d > 28 && d > daysInMonth(y, mo)) return undefined;
  const ms = utcMillis(y, mo, d, h, mi, sec);
  // ms * 1000 stays a safe integer until the year 2255, so one BigInt per value is enough.
  return Number.isSafeInteger(ms * 1000 + micros) ? BigInt(ms * 1000 + micros) : undefined;
}

function daysInMonth(y: number, month: number): number {
  if (month === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch milliseconds of a UTC wall time; unlike Date.UTC alone, years 0-99 stay themselves. */
function utcMillis(y: number, month: number, d: number, h: number, mi: number, s: number): number {
  if (y >= 100) return Date.UTC(y, month - 1, d, h, mi, s);
  const date = new Date(0);
  date.setUTCFullYear(y, month - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/** The decimal value of `count` ASCII digits at `from`, or -1 if any is not a digit. */
function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Minutes east of UTC, or undefined for an offset no zone can have. */
function offsetMinutes(zone: string | undefined): number | undefined {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const text = zone.slice(1).replace(':', '');
  const hours = Number(text.slice(0, 2));
  const minutes = Number(text.slice(2, 4) || 0);
  if (hours > 18 || minutes > 59 || hours * 60 + minutes > MAX_OFFSET_MINUTES) return undefined;
  return sign * (hours * 60 + minutes);
}
