/**
 * Turns the JS value representation agreed for bronze rows (decimal as "12.34", timestamp as
 * ISO-8601 string or Date, date as 'YYYY-MM-DD', ...) into the primitive values Parquet stores:
 * scaled bigint for decimals, microseconds for timestamps, days for dates. Every conversion is
 * lossless or fails with a ValueError saying why; nothing is silently rounded, shifted or
 * replaced. Numbers in text are decimal notation only (no hex, octal, binary, separators or
 * surrounding spaces); `NaN` and `Infinity` only where the type has them (double).
 */
import type { SqlType } from '../../compiler/api/columns.js';
import { describeValue as describe, ValueError } from './errors.js';
import { encodeDate, timestampMicros } from './value-time.js';

export { ValueError } from './errors.js';
export { encodeDate, timestampMicros } from './value-time.js';

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
      return (value) => (typeof value === 'string' && isWellFormed(value) ? value : value === null || value === undefined ? null : encodeString(value));
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
    case 'array':
      return nullable(arrayEncoder(encoderFor(type.element)));
    case 'map':
      return nullable(mapEncoder(encoderFor(type.key), encoderFor(type.value)));
    case 'struct':
      return nullable(structEncoder(type.fields.map((f) => ({ name: f.name, encode: encoderFor(f.type) }))));
    default:
      return () => {
        throw new ValueError(`type ${type.kind} cannot be written to Parquet`);
      };
  }
}

function arrayEncoder(element: ValueEncoder): ValueEncoder {
  return (value) => {
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
  };
}

/** Keys are encoded first; two source keys that encode to one key (`"1"` and `"01"` as int) are an error. */
function mapEncoder(keyEncoder: ValueEncoder, valueEncoder: ValueEncoder): ValueEncoder {
  return (value) => {
    const entries = value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : null;
    if (!entries) throw new ValueError(`expected an object (map), got ${describe(value)}`);
    const seen = new Set<unknown>();
    return entries.map(([k, v]) => {
      if (k === null || k === undefined) throw new ValueError('map keys cannot be null');
      let key: unknown;
      try {
        key = keyEncoder(k);
      } catch (err) {
        throw located(err, '{key}');
      }
      if (key === null) throw new ValueError('map keys cannot be null');
      const identity = typeof key === 'number' && Number.isNaN(key) ? 'NaN' : key;
      if (seen.has(identity)) throw new ValueError(`duplicate map key ${describe(key)} (from ${describe(k)})`);
      seen.add(identity);
      try {
        return { key, value: valueEncoder(v) };
      } catch (err) {
        throw located(err, `[${String(k)}]`);
      }
    });
  };
}

function structEncoder(fields: Array<{ name: string; encode: ValueEncoder }>): ValueEncoder {
  return (value) => {
    if (!isPlainObject(value)) throw new ValueError(`expected an object (struct), got ${describe(value)}`);
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      try {
        out[field.name] = field.encode(Object.hasOwn(value, field.name) ? value[field.name] : undefined);
      } catch (err) {
        throw located(err, `.${field.name}`);
      }
    }
    return out;
  };
}

/** A nested value's failure, saying where inside the value it happened. */
function located(err: unknown, step: string): unknown {
  return err instanceof ValueError ? new ValueError(err.message, step + err.path) : err;
}

/** False for a string with a lone surrogate: UTF-8 cannot hold it (a writer would put U+FFFD). */
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: () => boolean }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

function encodeString(value: unknown): string {
  if (typeof value === 'string') {
    if (isWellFormed(value)) return value;
    throw new ValueError(`${describe(value)} is not valid Unicode (a lone surrogate), which UTF-8 cannot hold`);
  }
  // -0 keeps its sign: String(-0) is "0".
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  throw new ValueError(`expected a string, got ${describe(value)}`);
}

/** Optional sign and decimal digits, nothing else. */
const INTEGER_RE = /^[+-]?\d+$/;

function encodeInt(value: unknown): number {
  const n = typeof value === 'string' && INTEGER_RE.test(value) ? Number(value) : typeof value === 'bigint' && value >= INT32_MIN && value <= INT32_MAX ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < INT32_MIN || n > INT32_MAX) {
    throw new ValueError(`expected a 32-bit integer, got ${describe(value)}`);
  }
  // -0 is 0 for an integer column.
  return n === 0 ? 0 : n;
}

function encodeBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return checkInt64(value, value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && INTEGER_RE.test(value)) {
    // More than 19 significant digits never fits: refuse before BigInt parses a huge string.
    if (value.replace(/^[+-]?0*/, '').length > 19) throw new ValueError(`${describe(value)} does not fit in a 64-bit integer`);
    return checkInt64(BigInt(value), value);
  }
  throw new ValueError(`expected a 64-bit integer, got ${describe(value)}`);
}

function checkInt64(n: bigint, original: unknown): bigint {
  if (n < -(2n ** 63n) || n >= 2n ** 63n) throw new ValueError(`${describe(original)} does not fit in a 64-bit integer`);
  return n;
}

/** Decimal notation with an optional exponent: `-1.5`, `.5`, `5.`, `1e-3`. */
const DOUBLE_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

/**
 * A double from a number, or from text in decimal notation (or NaN/Infinity, which doubles have).
 * Text whose magnitude a double cannot hold (`1e400`, `1e-400`) is an error, not ±Infinity or 0.
 */
function encodeDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (DOUBLE_RE.test(value)) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new ValueError(`${describe(value)} is too large for a double`);
      if (n === 0 && /[1-9]/.test(value.replace(/[eE].*$/, ''))) throw new ValueError(`${describe(value)} is too small for a double (it would be 0)`);
      return n;
    }
    if (Object.hasOwn(NON_FINITE, value)) return NON_FINITE[value]!;
  }
  throw new ValueError(`expected a number in decimal notation, got ${describe(value)}`);
}

function encodeBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'TRUE' || value === 'True') return true;
  if (value === 'false' || value === 'FALSE' || value === 'False') return false;
  throw new ValueError(`expected a boolean, got ${describe(value)}`);
}

const DECIMAL_RE = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The unscaled integer of a decimal(p,s) value: "12.34" at scale 2 -> 1234n. The exponent only
 * moves the decimal point: sizes are compared as numbers before any digit string is built, so
 * `1e999999999` is "does not fit", never a huge allocation.
 */
export function decimalUnscaled(value: unknown, precision: number, scale: number): bigint {
  if (typeof value === 'string') {
    const fast = plainDecimalUnscaled(value, precision, scale);
    if (fast !== undefined) return fast;
  }
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = value.toString();
  else throw new ValueError(`expected a decimal such as "12.34", got ${describe(value)}`);
  const m = DECIMAL_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new ValueError(`expected a decimal such as "12.34", got ${describe(value)}`);
  const intPart = m[2] ?? '';
  // value = 0.<digits> x 10^point, with no leading or trailing zeros in digits.
  let digits = intPart + (m[3] ?? '');
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  if (digits === '') return 0n;
  const point = intPart.length - lead + Number(m[4] ?? 0);
  if (digits.length - point > scale) {
    throw new ValueError(`${describe(value)} has more than ${scale} decimal places (decimal(${precision},${scale}))`);
  }
  if (point + scale > precision) throw new ValueError(`${describe(value)} does not fit in decimal(${precision},${scale})`);
  const unscaled = BigInt(digits + '0'.repeat(point + scale - digits.length));
  return m[1] === '-' ? -unscaled : unscaled;
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
