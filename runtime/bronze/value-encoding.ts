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
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'string':
      return encodeString(value);
    case 'int':
      return encodeInt(value);
    case 'bigint':
      return encodeBigint(value);
    case 'double':
      return encodeDouble(value);
    case 'boolean':
      return encodeBoolean(value);
    case 'date':
      return encodeDate(value);
    case 'timestamp':
      return timestampMicros(value);
    case 'decimal':
      return decimalUnscaled(value, type.precision, type.scale);
    case 'array':
      if (!Array.isArray(value)) throw new ValueError(`expected an array, got ${describe(value)}`);
      return value.map((v, i) => nested(`[${i}]`, () => encodeValue(type.element, v)));
    case 'map': {
      const entries = value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
      if (!entries) throw new ValueError(`expected an object (map), got ${describe(value)}`);
      return entries.map(([k, v]) => {
        if (k === null || k === undefined) throw new ValueError('map keys cannot be null');
        return { key: nested(`{key}`, () => encodeValue(type.key, k)), value: nested(`[${String(k)}]`, () => encodeValue(type.value, v)) };
      });
    }
    case 'struct': {
      if (!isPlainObject(value)) throw new ValueError(`expected an object (struct), got ${describe(value)}`);
      const out: Record<string, unknown> = {};
      for (const field of type.fields) {
        out[field.name] = nested(`.${field.name}`, () => encodeValue(field.type, value[field.name]));
      }
      return out;
    }
    default:
      throw new ValueError(`type ${type.kind} cannot be written to Parquet`);
  }
}

function nested<T>(step: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ValueError) throw new ValueError(err.message, step + err.path);
    throw err;
  }
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
      const ms = Date.UTC(y, mo - 1, d);
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
      const ms = Date.UTC(y, mo - 1, d, h, mi, s);
      const check = new Date(ms);
      if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d && h < 24 && mi < 60 && s < 60) {
        const micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
        return micros - BigInt(offsetMinutes(m[8])) * 60_000_000n;
      }
    }
  }
  throw new ValueError(`expected an ISO-8601 timestamp, got ${describe(value)}`);
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
