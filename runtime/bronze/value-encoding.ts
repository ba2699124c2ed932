/**
 * Turns the JS value representation agreed for bronze rows (decimal as "12.34", timestamp as
 * ISO-8601 string or Date, date as 'YYYY-MM-DD', ...) into the primitive values Parquet stores:
 * scaled bigint for decimals, microseconds for timestamps, days for dates. Every conversion is
 * lossless or fails with a message saying why; nothing is silently rounded.
 */
import type { SqlType } from '../../compiler/api/columns.js';

/** A value that does not fit its declared type; `path` locates it inside nested values (`.a[2]`). */
export class ValueError extends Error {
  constructor(
    message: string,
    readonly path = '',
  ) {
    super(message);
  }
}

const MS_PER_DAY = 86_400_000;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Encodes one value (recursively for nested types). `null`/`undefined` stay null. */
export function encodeValue(type: SqlType, value: unknown): unknown {
  return encoderFor(type)(value);
}

export type ValueEncoder = (value: unknown) => unknown;
const encoders = new WeakMap<SqlType, ValueEncoder>();

/**
 * The encoder of one declared type, built once: writers call it per record and column, so the type
 * dispatch and the nested encoders are resolved here rather than on every value.
 */
export function encoderFor(type: SqlType): ValueEncoder {
  let encoder = encoders.get(type);
  if (!encoder) encoders.set(type, (encoder = buildEncoder(type)));
  return encoder;
}

function buildEncoder(type: SqlType): ValueEncoder {
  const nullable = (encode: ValueEncoder): ValueEncoder => (value) => (value === null || value === undefined ? null : encode(value));
  switch (type.kind) {
    case 'string':
      return (value) => (typeof value === 'string' ? value : value === null || value === undefined ? null : encodeString(value));
    case 'int':
      return nullable(encodeInt);
    case 'bigint':
      return nullable(encodeBigint);
    case 'double':
      return (value) => (typeof value === 'number' ? value : value === null || value === undefined ? null : encodeDouble(value));
    case 'boolean':
      return nullable(encodeBoolean);
    case 'date':
      return nullable(encodeDate);
    case 'timestamp':
      return nullable(timestampMicros);
    case 'decimal': {
      const { precision, scale } = type;
      return nullable((value) => decimalUnscaled(value, precision, scale));
    }
    case 'array': {
      const element = encoderFor(type.element);
      return nullable((value) => {
        if (!Array.isArray(value)) throw new ValueError(`expected an array, got ${describe(value)}`);
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          try {
            out[i] = element(value[i]);
          } catch (err) {
            throw located(err, `[${i}]`);
          }
        }
        return out;
      });
    }
    case 'map': {
      const keyEncoder = encoderFor(type.key);
      const valueEncoder = encoderFor(type.value);
      return nullable((value) => {
        const entries = value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
        if (!entries) throw new ValueError(`expected an object (map), got ${describe(value)}`);
        return entries.map(([k, v]) => {
          if (k === null || k === undefined) throw new ValueError('map keys cannot be null');
          let key: unknown;
          try {
            key = keyEncoder(k);
          } catch (err) {
            throw located(err, '{key}');
          }
          try {
            return { key, value: valueEncoder(v) };
          } catch (err) {
            throw located(err, `[${String(k)}]`);
          }
        });
      });
    }
    case 'struct': {
      const fields = type.fields.map((f) => ({ name: f.name, encode: encoderFor(f.type) }));
      return nullable((value) => {
        if (!isPlainObject(value)) throw new ValueError(`expected an object (struct), got ${describe(value)}`);
        const out: Record<string, unknown> = {};
        for (const field of fields) {
          try {
            out[field.name] = field.encode(value[field.name]);
          } catch (err) {
            throw located(err, `.${field.name}`);
          }
        }
        return out;
      });
    }
    default:
      return () => {
        throw new ValueError(`type ${type.kind} cannot be written to Parquet`);
      };
  }
}

/** A nested value's failure, saying where inside the value it happened. */
function located(err: unknown, step: string): unknown {
  return err instanceof ValueError ? new ValueError(err.message, step + err.path) : err;
}

function encodeString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  throw new ValueError(`expected a string, got ${describe(value)}`);
}

function encodeInt(value: unknown): number {
  const n = typeof value === 'string' && /^[+-]?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n === 'bigint' && n >= INT32_MIN && n <= INT32_MAX) return Number(n);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
    throw new ValueError(`expected a 32-bit integer, got ${describe(value)}`);
  }
  return n;
}

function encodeBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return checkInt64(value, value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value.trim())) return checkInt64(BigInt(value.trim()), value);
  throw new ValueError(`expected a 64-bit integer, got ${describe(value)}`);
}

function checkInt64(n: bigint, original: unknown): bigint {
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new ValueError(`${describe(original)} does not fit in a 64-bit integer`);
  return n;
}

function encodeDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  throw new ValueError(`expected a number, got ${describe(value)}`);
}

function encodeBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'TRUE' || value === 'True') return true;
  if (value === 'false' || value === 'FALSE' || value === 'False') return false;
  throw new ValueError(`expected a boolean, got ${describe(value)}`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01. */
export function encodeDate(value: unknown): number {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValueError('invalid Date');
    return Math.floor(value.getTime() / MS_PER_DAY);
  }
  if (typeof value === 'string') {
    const m = DATE_RE.exec(value.trim());
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const ms = utcMillis(y, mo, d, 0, 0, 0);
      const check = new Date(ms);
      if (check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d) return ms / MS_PER_DAY;
    }
  }
  throw new ValueError(`expected a date 'YYYY-MM-DD', got ${describe(value)}`);
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
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new ValueError('invalid Date');
    return BigInt(ms) * 1000n;
  }
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value) * 1000n;
  if (typeof value === 'string') {
    const m = TIMESTAMP_RE.exec(value.trim());
    if (m) {
      const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
      const frac = m[7] ?? '';
      if (frac.length > 6 && /[1-9]/.test(frac.slice(6))) {
        throw new ValueError(`${describe(value)} has sub-microsecond digits, which Spark timestamps cannot hold`);
      }
      const ms = utcMillis(y, mo, d, h, mi, s);
      const check = new Date(ms);
      if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d && h < 24 && mi < 60 && s < 60) {
        const micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
        return micros - BigInt(offsetMinutes(m[8])) * 60_000_000n;
      }
    }
  }
  throw new ValueError(`expected an ISO-8601 timestamp, got ${describe(value)}`);
}

/**
 * The common case, `YYYY-MM-DDTHH:MM:SS[.f{1,6}]Z` as JSON producers and toISOString write it,
 * read without a regular expression: this runs once per record and timestamp column. Anything
 * else (zones, spaces, nanos) returns undefined and takes the general path.
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
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  let micros = 0;
  if (n > 20) {
    if (s.charCodeAt(19) !== 46 /* . */ || n === 21) return undefined;
    const fracDigits = n - 21;
    const frac = digits(s, 20, fracDigits);
    if (frac < 0) return undefined;
    micros = frac * 10 ** (6 - fracDigits);
  }
  const ms = utcMillis(y, mo, d, h, mi, sec);
  // Date.UTC rolls 2024-02-30 over to March: reject what does not round-trip.
  if (d > 28 && new Date(ms).getUTCDate() !== d) return undefined;
  // ms * 1000 stays a safe integer until the year 2255, so one BigInt per value is enough.
  return Number.isSafeInteger(ms * 1000 + micros) ? BigInt(ms * 1000 + micros) : undefined;
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

function offsetMinutes(zone: string | undefined): number {
  if (!zone || zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** The unscaled integer of a decimal(p,s) value: "12.34" at scale 2 -> 1234n. */
export function decimalUnscaled(value: unknown, precision: number, scale: number): bigint {
  if (typeof value === 'string') {
    const fast = plainDecimalUnscaled(value, precision, scale);
    if (fast !== undefined) return fast;
  }
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  else throw new ValueError(`expected a decimal such as "12.34", got ${describe(value)}`);
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new ValueError(`expected a decimal such as "12.34", got ${describe(value)}`);
  const negative = m[1] === '-';
  let intPart = m[2] ?? '';
  let fracPart = m[3] ?? '';
  const exponent = Number(m[4] ?? 0);
  if (exponent > 0) {
    const moved = fracPart.padEnd(exponent, '0');
    intPart += moved.slice(0, exponent);
    fracPart = moved.slice(exponent);
  } else if (exponent < 0) {
    const moved = intPart.padStart(-exponent, '0');
    fracPart = moved.slice(moved.length + exponent) + fracPart;
    intPart = moved.slice(0, moved.length + exponent);
  }
  if (fracPart.length > scale) {
    if (/[1-9]/.test(fracPart.slice(scale))) {
      throw new ValueError(`${describe(value)} has more than ${scale} decimal places (decimal(${precision},${scale}))`);
    }
    fracPart = fracPart.slice(0, scale);
  }
  const digits = (intPart + fracPart.padEnd(scale, '0')).replace(/^0+(?=\d)/, '') || '0';
  if (digits.length > precision) {
    throw new ValueError(`${describe(value)} does not fit in decimal(${precision},${scale})`);
  }
  const unscaled = BigInt(digits);
  return negative ? -unscaled : unscaled;
}

/** `-123.45` style text (no exponent, no spaces) that fits: the per-record common case. */
function plainDecimalUnscaled(s: string, precision: number, scale: number): bigint | undefined {
  const start = s.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const dot = s.indexOf('.');
  const intEnd = dot < 0 ? s.length : dot;
  const fracLength = dot < 0 ? 0 : s.length - dot - 1;
  if (intEnd === start || fracLength > scale || (dot >= 0 && fracLength === 0)) return undefined;
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 48 || c > 57) && i !== dot) return undefined;
  }
  let intDigits = s.slice(start, intEnd);
  if (intDigits.length > 1 && intDigits.charCodeAt(0) === 48) intDigits = intDigits.replace(/^0+(?=\d)/, '');
  if ((intDigits === '0' ? 0 : intDigits.length) + scale > precision) return undefined;
  const unscaled = BigInt(intDigits + (dot < 0 ? '' : s.slice(dot + 1)) + '0'.repeat(scale - fracLength));
  return start === 1 ? -unscaled : unscaled;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Map);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? value.slice(0, 57) + '...' : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `Date(${value.toISOString?.() ?? 'invalid'})`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
