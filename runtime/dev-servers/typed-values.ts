/**
 * Values for one declared column type, in the JS representation bronze rows use (decimals as
 * "12.34", dates as 'YYYY-MM-DD', timestamps as ISO-8601 text with microseconds) and JSON-safe, so
 * the same row can be served by the loopback Snowflake and Salesforce servers or sent to Kafka as
 * JSON. Two kinds:
 * - key values: the n-th distinct value of a type (`keyValue(type, n)`, n < `keyCapacity(type)`),
 *   so primary keys are unique within the declared type, whatever it is;
 * - sample values: plausible, random values valid for the type (`sampleValue`).
 */
import type { SqlType } from '../../compiler/api/columns.js';

const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const DAY_MS = 86_400_000;
/** Keys count forward from here, then backward from the day before, within Spark's date range. */
const KEY_DATE_BASE = Date.UTC(2020, 0, 1);
const FIRST_DAY = -62_135_596_800_000; // 0001-01-01T00:00:00Z
const LAST_DAY = 253_402_214_400_000; // 9999-12-31T00:00:00Z
const DATES_FORWARD = (LAST_DAY - KEY_DATE_BASE) / DAY_MS + 1;
const DATES_TOTAL = (LAST_DAY - FIRST_DAY) / DAY_MS + 1;
const KEY_TIMESTAMP_BASE = Date.UTC(2024, 0, 1);

/** Integer types: their largest positive value and how many values they hold. */
const INTEGERS: Partial<Record<SqlType['kind'], { max: number; count: number }>> = {
  tinyint: { max: 127, count: 256 },
  smallint: { max: 32_767, count: 65_536 },
  int: { max: 2_147_483_647, count: 4_294_967_296 },
  bigint: { max: MAX_SAFE, count: MAX_SAFE },
};

/**
 * How many distinct key values `keyValue` gives for a type (at most MAX_SAFE_INTEGER): the most
 * rows a table keyed by that column alone can have. Complex types key by one part: an array by its
 * one element, a map by its one key, a struct by its first field.
 */
export function keyCapacity(type: SqlType): number {
  const integer = INTEGERS[type.kind];
  if (integer) return integer.count;
  switch (type.kind) {
    case 'boolean':
      return 2;
    case 'date':
      return DATES_TOTAL;
    case 'decimal':
      return Math.min(MAX_SAFE, 2 * 10 ** type.precision - 1);
    case 'float':
      return 2 ** 24;
    case 'string':
    case 'double':
    case 'timestamp':
    case 'binary':
      return MAX_SAFE;
    case 'array':
      return keyCapacity(type.element);
    case 'map':
      return keyCapacity(type.key);
    case 'struct':
      return type.fields.length ? keyCapacity(type.fields[0]!.type) : 1;
    default:
      return 1;
  }
}

/** 1, 2, ... up to `max`, then 0, -1, -2, ...: readable keys first, the whole range when needed. */
const signed = (n: number, max: number): number => (n < max ? n + 1 : -(n - max));

/** The n-th distinct value of `type` (0 <= n < keyCapacity(type)); `name` prefixes string keys. */
export function keyValue(type: SqlType, n: number, name = 'key'): unknown {
  const integer = INTEGERS[type.kind];
  if (integer) return signed(n, integer.max);
  switch (type.kind) {
    case 'string':
      return `${name.replace(/_id$/i, '')}-${String(n).padStart(7, '0')}`;
    case 'boolean':
      return n % 2 === 1;
    case 'double':
    case 'float':
      return n + 1;
    case 'decimal': {
      const max = 10 ** type.precision - 1;
      return formatUnscaled(max >= MAX_SAFE ? n + 1 : signed(n, max), type.scale);
    }
    case 'date': {
      const day = n < DATES_FORWARD ? KEY_DATE_BASE + n * DAY_MS : KEY_DATE_BASE - (n - DATES_FORWARD + 1) * DAY_MS;
      return isoDate(day);
    }
    case 'timestamp':
      return isoMicros(KEY_TIMESTAMP_BASE + Math.floor(n / 1000), n % 1000);
    case 'binary':
      return `key-${n}`;
    case 'array':
      return [keyValue(type.element, n, name)];
    case 'map':
      return { [String(keyValue(type.key, n, name))]: sampleValue(type.value, name, n, constant, KEY_TIMESTAMP_BASE) };
    case 'struct':
      return Object.fromEntries(
        type.fields.map((f, i) => [f.name, i === 0 ? keyValue(f.type, n, f.name) : sampleValue(f.type, f.name, n, constant, KEY_TIMESTAMP_BASE)]),
      );
    default:
      return null;
  }
}

/** A plausible value of `type` for row `i`; `at` (ms) anchors dates and timestamps. */
export function sampleValue(type: SqlType, name: string, i: number, random: () => number, at: number): unknown {
  switch (type.kind) {
    case 'string':
      return name.includes('email') ? `user${i % 5000}@example.com` : `${name}-${Math.floor(random() * 1000)}`;
    case 'tinyint':
      return Math.floor(random() * 128);
    case 'smallint':
    case 'int':
      return Math.floor(random() * 1000);
    case 'bigint':
      return Math.floor(random() * 1e12);
    case 'float':
    case 'double':
      return Math.round(random() * 10000) / 100;
    case 'boolean':
      return random() < 0.5;
    case 'decimal':
      return sampleDecimal(type.precision, type.scale, random);
    case 'date':
      return isoDate(at - Math.floor(random() * 30) * DAY_MS);
    case 'timestamp':
      return new Date(at - Math.floor(random() * DAY_MS)).toISOString();
    case 'binary':
      return `${name}-${i}`;
    case 'array':
      return [sampleValue(type.element, name, i, random, at), sampleValue(type.element, name, i + 1, random, at)];
    case 'map': {
      // Distinct keys of the declared key type (JSON object keys are text; the ingestion parses them).
      const entries = Math.min(2, keyCapacity(type.key));
      return Object.fromEntries(Array.from({ length: entries }, (_, k) => [String(keyValue(type.key, k, name)), sampleValue(type.value, name, i + k, random, at)]));
    }
    case 'struct':
      return Object.fromEntries(type.fields.map((f) => [f.name, sampleValue(f.type, f.name, i, random, at)]));
    default:
      return null;
  }
}

/**
 * A decimal(p,s) value that fits: up to six whole digits (fewer when p - s is smaller) and up to
 * nine decimals, at most 15 significant digits so a double (Salesforce's currency) holds it exactly.
 */
function sampleDecimal(precision: number, scale: number, random: () => number): string {
  const wholeDigits = Math.min(precision - scale, 6);
  const whole = wholeDigits > 0 ? String(Math.floor(random() * 10 ** wholeDigits)) : '0';
  const fracDigits = Math.min(scale, 9, 15 - wholeDigits);
  let frac = '';
  for (let d = 0; d < fracDigits; d++) frac += String(Math.floor(random() * 10));
  return frac ? `${whole}.${frac}` : whole;
}

/** An unscaled integer as decimal text with `scale` decimals: (-1234, 2) -> "-12.34". */
function formatUnscaled(unscaled: number, scale: number): string {
  const digits = String(Math.abs(unscaled)).padStart(scale + 1, '0');
  const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return unscaled < 0 ? `-${text}` : text;
}

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** ISO-8601 with microseconds: the ms instant plus `micros` (0..999). */
export function isoMicros(ms: number, micros: number): string {
  return new Date(ms).toISOString().replace('Z', String(micros).padStart(3, '0') + 'Z');
}

/** Nested sample values of a key (a struct's other fields) do not need randomness. */
const constant = (): number => 0.5;
