/**
 * The exact meaning of a source value under a declared type, computed independently of
 * runtime/bronze (BigInt arithmetic, Hinnant's days-from-civil, no Date parsing), and the same
 * meaning read back from what the encoder produced. The fuzz spec compares the two: a value that
 * lands must mean exactly what the input meant; a value the oracle calls invalid must not land.
 *
 * Meanings are plain comparable values: bigint for int/bigint/decimal (unscaled)/date (days)/
 * timestamp (micros), `{ double }` for doubles (compared with Object.is), strings, booleans, and
 * arrays / objects of meanings for nested types.
 */
import type { SqlType } from '../../../compiler/api/columns.js';

export const INVALID = Symbol('invalid');
export type Meaning = unknown;

const INT32 = 2n ** 31n;
const INT64 = 2n ** 63n;
const MIN_DAY = -719_162n; // 0001-01-01
const MAX_DAY = 2_932_896n; // 9999-12-31
const MIN_MICROS = MIN_DAY * 86_400_000_000n;
const MAX_MICROS = (MAX_DAY + 1n) * 86_400_000_000n - 1n;

/** What `input` means under `type`, or INVALID when it has no exact meaning there. */
export function meaningOf(type: SqlType, input: unknown): Meaning {
  if (input === null || input === undefined) return null;
  switch (type.kind) {
    case 'string':
      return stringMeaning(input);
    case 'int':
      return integerMeaning(input, INT32, false);
    case 'bigint':
      return integerMeaning(input, INT64, true);
    case 'decimal':
      return decimalMeaning(input, type.precision, type.scale);
    case 'double':
      return doubleMeaning(input);
    case 'boolean':
      return typeof input === 'boolean' ? input : ['true', 'TRUE', 'True'].includes(input as string) ? true : ['false', 'FALSE', 'False'].includes(input as string) ? false : INVALID;
    case 'date':
      return dateMeaning(input);
    case 'timestamp':
      return timestampMeaning(input);
    case 'array':
      return Array.isArray(input) ? all(input.map((v) => meaningOf(type.element, v))) : INVALID;
    case 'map':
      return mapMeaning(type, input);
    case 'struct': {
      if (!isObject(input)) return INVALID;
      return all(type.fields.map((f) => meaningOf(f.type, Object.hasOwn(input, f.name) ? input[f.name] : undefined)));
    }
    default:
      return INVALID;
  }
}

/** The meaning of what the encoder produced for `type`. */
export function meaningOfEncoded(type: SqlType, out: unknown): Meaning {
  if (out === null) return null;
  switch (type.kind) {
    case 'int':
      if (typeof out !== 'number' || Object.is(out, -0)) throw new Error(`int encoded as ${String(out)}`);
      return BigInt(out);
    case 'double':
      return { double: out };
    case 'date':
      return BigInt(out as number);
    case 'array':
      return (out as unknown[]).map((v) => meaningOfEncoded(type.element, v));
    case 'map':
      return (out as Array<{ key: unknown; value: unknown }>).map((e) => [meaningOfEncoded(type.key, e.key), meaningOfEncoded(type.value, e.value)]);
    case 'struct':
      return type.fields.map((f) => meaningOfEncoded(f.type, (out as Record<string, unknown>)[f.name]));
    default:
      return out;
  }
}

function all(items: Meaning[]): Meaning {
  return items.includes(INVALID) ? INVALID : items;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Map);
}

function mapMeaning(type: Extract<SqlType, { kind: 'map' }>, input: unknown): Meaning {
  const entries = input instanceof Map ? [...input.entries()] : isObject(input) ? Object.entries(input) : null;
  if (!entries) return INVALID;
  const keys = new Set<string>();
  const out: Meaning[] = [];
  for (const [k, v] of entries) {
    const key = meaningOf(type.key, k);
    const value = meaningOf(type.value, v);
    if (key === null || key === INVALID || value === INVALID) return INVALID;
    const id = typeof key === 'object' ? JSON.stringify(key) : String(key);
    if (keys.has(id)) return INVALID;
    keys.add(id);
    out.push([key, value]);
  }
  return out;
}

function wellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1);
      if (!(n >= 0xdc00 && n <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

/** Strings are themselves; numbers, bigints, booleans and dates their usual text. */
function stringMeaning(input: unknown): Meaning {
  if (typeof input === 'string') return wellFormed(input) ? input : INVALID;
  if (typeof input === 'number') return Object.is(input, -0) ? '-0' : String(input);
  if (typeof input === 'bigint' || typeof input === 'boolean') return String(input);
  if (input instanceof Date) return Number.isNaN(input.getTime()) ? INVALID : input.toISOString();
  return INVALID;
}

function integerMeaning(input: unknown, bound: bigint, safeNumbersOnly: boolean): Meaning {
  let n: bigint;
  if (typeof input === 'bigint') n = input;
  else if (typeof input === 'number') {
    if (!Number.isInteger(input) || (safeNumbersOnly && !Number.isSafeInteger(input))) return INVALID;
    n = BigInt(input);
  } else if (typeof input === 'string' && /^[+-]?[0-9]+$/.test(input)) n = BigInt(input);
  else return INVALID;
  return n >= -bound && n < bound ? n : INVALID;
}

/** Unscaled value at `scale`, by BigInt arithmetic on mantissa and exponent. */
function decimalMeaning(input: unknown, precision: number, scale: number): Meaning {
  let text: string;
  if (typeof input === 'string') text = input;
  else if (typeof input === 'number' && Number.isFinite(input)) text = String(input);
  else if (typeof input === 'bigint') text = input.toString();
  else return INVALID;
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(text);
  if (!m || (m[2] === '' && !m[3])) return INVALID;
  const mantissaText = (m[2] ?? '') + (m[3] ?? '');
  let mantissa = BigInt(mantissaText);
  if (mantissa === 0n) return 0n;
  // value = mantissa x 10^shift at the target scale.
  let shift = BigInt(m[4] ?? '0') - BigInt((m[3] ?? '').length) + BigInt(scale);
  while (shift < 0n && mantissa % 10n === 0n) {
    mantissa /= 10n;
    shift++;
  }
  if (shift < 0n) return INVALID;
  if (shift > BigInt(precision)) return INVALID;
  const unscaled = mantissa * 10n ** shift;
  if (unscaled >= 10n ** BigInt(precision)) return INVALID;
  return m[1] === '-' ? -unscaled : unscaled;
}

const DOUBLE_WORDS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '+Infinity': Infinity, '-Infinity': -Infinity, inf: Infinity, '+inf': Infinity, '-inf': -Infinity };

function doubleMeaning(input: unknown): Meaning {
  if (typeof input === 'number') return { double: input };
  if (typeof input !== 'string') return INVALID;
  if (Object.hasOwn(DOUBLE_WORDS, input)) return { double: DOUBLE_WORDS[input] };
  const m = /^[+-]?(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(?:[eE][+-]?[0-9]+)?$/.exec(input);
  if (!m) return INVALID;
  const n = Number(input);
  // Overflow to ±Infinity, or underflow of non-zero digits to 0, would change the value.
  if (!Number.isFinite(n)) return INVALID;
  if (n === 0 && /[1-9]/.test((m[1] ?? '') + (m[2] ?? '') + (m[3] ?? ''))) return INVALID;
  return { double: n };
}

/** Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: bigint, m: bigint, d: bigint): bigint {
  const yy = m <= 2n ? y - 1n : y;
  const era = (yy >= 0n ? yy : yy - 399n) / 400n;
  const yoe = yy - era * 400n;
  const mp = m > 2n ? m - 3n : m + 9n;
  const doy = (153n * mp + 2n) / 5n + d - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146_097n + doe - 719_468n;
}

function validCivil(y: number, m: number, d: number): boolean {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const dim = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return m >= 1 && m <= 12 && d >= 1 && d <= dim!;
}

function dateMeaning(input: unknown): Meaning {
  if (input instanceof Date) {
    const ms = input.getTime();
    if (Number.isNaN(ms) || ms % 86_400_000 !== 0) return INVALID;
    const day = BigInt(ms / 86_400_000);
    return day >= MIN_DAY && day <= MAX_DAY ? day : INVALID;
  }
  if (typeof input !== 'string') return INVALID;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(input.trim());
  if (!m || !validCivil(Number(m[1]), Number(m[2]), Number(m[3]))) return INVALID;
  const day = daysFromCivil(BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!));
  return day >= MIN_DAY && day <= MAX_DAY ? day : INVALID;
}

function timestampMeaning(input: unknown): Meaning {
  let micros: bigint;
  if (input instanceof Date) {
    if (Number.isNaN(input.getTime())) return INVALID;
    micros = BigInt(input.getTime()) * 1000n;
  } else if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) return INVALID;
    micros = BigInt(input) * 1000n;
  } else if (typeof input === 'string') {
    const parsed = parseTimestampText(input.trim());
    if (parsed === INVALID) return INVALID;
    micros = parsed as bigint;
  } else return INVALID;
  return micros >= MIN_MICROS && micros <= MAX_MICROS ? micros : INVALID;
}

function parseTimestampText(s: string): Meaning {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?\s*(Z|z|([+-])([0-9]{2})(?::?([0-9]{2}))?)?$/.exec(s);
  if (!m) return INVALID;
  const [y, mo, d, h, mi, sec] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? '0')) as [number, number, number, number, number, number];
  if (!validCivil(y, mo, d) || h > 23 || mi > 59 || sec > 59) return INVALID;
  const frac = (m[7] ?? '').padEnd(9, '0');
  if (frac.slice(6) !== '000') return INVALID;
  let offsetMinutes = 0n;
  if (m[9]) {
    const oh = Number(m[10]);
    const om = Number(m[11] ?? '0');
    if (oh > 18 || om > 59 || oh * 60 + om > 18 * 60) return INVALID;
    offsetMinutes = BigInt((m[9] === '-' ? -1 : 1) * (oh * 60 + om));
  }
  const seconds = daysFromCivil(BigInt(y), BigInt(mo), BigInt(d)) * 86_400n + BigInt(h * 3600 + mi * 60 + sec) - offsetMinutes * 60n;
  return seconds * 1_000_000n + BigInt(frac.slice(0, 6));
}
