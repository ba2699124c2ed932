/**
 * Issue 11, item 4: a property-based fuzz of the per-record path every connector runs
 * (RecordValidator.encodeInto, and through it the value encoders). For every declared type it
 * feeds random and adversarial values, at least 100,000 per type, and asserts for each one:
 *
 * - nothing is thrown, and no failure other than a ValueError happens inside the encoders (the
 *   validator would turn one into a "could not be checked" problem: that fails the spec too);
 * - a value lands exactly when it has an exact meaning under its type (helpers/value-oracle.ts,
 *   computed without runtime/bronze), and what landed, decoded, means exactly that;
 * - otherwise it is quarantined with a reason naming its column.
 *
 * ETL_FUZZ_VALUES_PER_TYPE lowers (or raises) the count for local runs; the default is 100,000.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import type { SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import type { JobColumn } from '../../connectors/job-spec.js';
import { RecordValidator } from '../../runtime/bronze/record-validation.js';
import { INVALID, meaningOf, meaningOfEncoded, type Meaning } from './helpers/value-oracle.js';

const PER_TYPE = Number(process.env.ETL_FUZZ_VALUES_PER_TYPE ?? 100_000);
/** Values per fast-check run: a failing batch still shrinks to the one value that fails. */
const BATCH = 100;

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const utf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });

const ADVERSARIAL = [
  '0x10', '0X1F', '0b101', '0o17', '1e999999999', '-1E999999999', '1e-999999999', '0e999999999', `1e${'9'.repeat(40)}`,
  'NaN', 'Infinity', '-Infinity', '+Infinity', 'inf', '-inf', 'nan', ' 1', '1 ', '\t1', '', '-0', '+0', '.5', '5.', '.', '-', '+',
  '1_000', '1,5', '١٢٣', '１２', '1e400', '-1e400', '1e-400', '5e-324', '2.4703282292062328e-324', '1.7976931348623157e308',
  '9007199254740993', '9223372036854775807', '9223372036854775808', '-9223372036854775808', '-9223372036854775809',
  '2147483647', '2147483648', '-2147483648', '-2147483649', '\ud800', 'a\udfffb', '\ufeff1', 'true', 'True', 'tRue', 'FALSE',
  '1', '0', 'null', '__proto__', 'constructor', 'toString', '2024-01-01T00:00:00+99:99', '2024-01-01T00:00:00+18:00',
  '2024-01-01T00:00:00-18:01', '2024-01-01T00:00:00+05:60', '2024-02-30', '2023-02-29', '2024-02-29', '0000-01-01',
  '0001-01-01', '9999-12-31', '10000-01-01', '9999-12-31T23:59:59.999999Z', '9999-12-31T23:59:59-00:01',
  '0001-01-01T00:00:00+00:01', '2024-01-01T24:00:00Z', '2024-01-01T23:59:60Z', '2024-01-01T00:00:00.0000001Z',
  '2024-01-01T00:00:00.123456000Z', '2024-01-01 00:00:00 +0530', '2024-01-01T00:00Z', '2024-01-01Z',
];

// fc.anything is the slowest arbitrary by far (about 0.1 ms a value): it gets a small weight, and
// cheap shapes (arrays, objects, Maps, Dates) stand in for most of the structured values.
const generic: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1, withBigInt: true, withDate: true, withMap: true, withNullPrototype: true }) },
  { weight: 3, arbitrary: utf16 },
  { weight: 2, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.maxSafeInteger() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 4, arbitrary: pick(...ADVERSARIAL) },
  { weight: 1, arbitrary: pick<unknown>(null, undefined, -0, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 31), 2 ** 31, [], {}, [1], { v: 1 }, new Map([[1, 2]]), Object.create(null)) },
);

const digits = fc.oneof(fc.stringMatching(/^[0-9]{0,6}$/), fc.stringMatching(/^[0-9]{0,40}$/), pick('0', '00', '000000000000000000001', '10000000000000000000'));
const numericText = fc
  .record({
    ws: pick('', '', '', '', '', '', ' ', '\t', '\u00a0'),
    sign: pick('', '', '', '-', '+'),
    int: digits,
    dot: fc.boolean(),
    frac: digits,
    exp: fc.option(fc.record({ e: pick('e', 'E'), sign: pick('', '-', '+'), n: fc.oneof(fc.stringMatching(/^[0-9]{1,2}$/), fc.stringMatching(/^[0-9]{1,12}$/)) }), { freq: 3 }),
    tail: pick('', '', '', '', '', '', ' ', 'x', '_0', 'd', 'f'),
  })
  .map(({ ws, sign, int, dot, frac, exp, tail }) => `${ws}${sign}${int}${dot ? '.' : ''}${dot ? frac : ''}${exp ? exp.e + exp.sign + exp.n : ''}${tail}`);
const prefixedText = fc.tuple(pick('0x', '0X', '0b', '0o', '0O', '-0x', '#', '&h'), fc.stringMatching(/^[0-9a-fA-F]{1,10}$/)).map(([p, d]) => p + d);
const numbers = fc.oneof(numericText, numericText, prefixedText, fc.double(), fc.integer(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }), generic);

const p2 = (n: number) => String(n).padStart(2, '0');
const dateParts = fc.record({ y: fc.oneof(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 0, max: 10_000 })), mo: fc.integer({ min: 0, max: 13 }), d: fc.integer({ min: 0, max: 32 }) });
const dateText = fc
  .tuple(dateParts, pick('', '', '', '', ' ', '\n'))
  .map(([{ y, mo, d }, ws]) => `${ws}${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}${ws}`);
const zone = fc.oneof(
  pick('', '', 'Z', 'z', ' Z', '+00:00', '-00:00'),
  fc.record({ sign: pick('+', '-'), h: fc.oneof(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 99 })), m: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 99 })), colon: pick(':', '', 'none') })
    .map(({ sign, h, m, colon }) => `${sign}${p2(h)}${colon === 'none' ? '' : colon + p2(m)}`),
);
const timestampText = fc
  .record({
    date: dateParts,
    sep: pick('T', 'T', ' ', 't', '_'),
    h: fc.integer({ min: 0, max: 25 }),
    mi: fc.integer({ min: 0, max: 61 }),
    s: fc.option(fc.integer({ min: 0, max: 61 }), { freq: 5 }),
    frac: fc.option(fc.oneof(fc.stringMatching(/^[0-9]{1,6}$/), fc.stringMatching(/^[0-9]{7,10}$/), pick('1234560', '123456000', '000000001')), { freq: 2 }),
    zone,
  })
  .map(({ date: { y, mo, d }, sep, h, mi, s, frac, zone }) => `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}${sep}${p2(h)}:${p2(mi)}${s === null ? '' : ':' + p2(s)}${s !== null && frac !== null ? '.' + frac : ''}${zone}`);
const instants = fc.oneof(timestampText, timestampText, fc.date({ noInvalidDate: false }), fc.integer({ min: -8.7e15, max: 8.7e15 }), dateText, generic);

/** The values fed to a column of each type: adversarial text for its own notation, plus anything. */
function valuesFor(type: SqlType, depth = 0): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'string':
      return fc.oneof(utf16, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), generic);
    case 'int':
    case 'bigint':
    case 'decimal':
    case 'double':
      return numbers;
    case 'boolean':
      return fc.oneof(pick('true', 'false', 'TRUE', 'False', 'tRUE', 'yes', '1', '0', 't', ' true'), fc.boolean(), generic);
    case 'date':
      return fc.oneof(dateText, dateText, fc.date({ noInvalidDate: false }), fc.date().map((d) => new Date(Math.floor(d.getTime() / 86_400_000) * 86_400_000)), generic);
    case 'timestamp':
      return instants;
    case 'array':
      return fc.oneof({ weight: 4, arbitrary: fc.array(valuesFor(type.element, depth + 1), { maxLength: 4 }) }, { weight: 1, arbitrary: generic });
    case 'map': {
      const key = fc.oneof(fc.string({ maxLength: 3 }), numericText, pick('1', '01', '+1', '1.0', '__proto__'));
      return fc.oneof({ weight: 4, arbitrary: fc.dictionary(key, valuesFor(type.value, depth + 1), { maxKeys: 4 }) }, { weight: 1, arbitrary: generic });
    }
    case 'struct': {
      const fields = Object.fromEntries(type.fields.map((f) => [f.name, valuesFor(f.type, depth + 1)]));
      return fc.oneof({ weight: 4, arbitrary: fc.record(fields, { requiredKeys: [] }) }, { weight: 1, arbitrary: generic });
    }
    default:
      return generic;
  }
}

/** Deep equality of meanings, with Object.is for doubles (NaN is NaN, -0 is not 0). */
function same(a: Meaning, b: Meaning): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'double' in a && 'double' in b) return Object.is(a.double, b.double);
  return a === b;
}

const show = (v: unknown) => fc.stringify(v);

/** Checks one value; returns why it failed, or undefined. */
function verdict(validator: RecordValidator, type: SqlType, value: unknown): string | undefined {
  const out: unknown[] = [undefined];
  const problems = validator.encodeInto({ v: value }, out);
  const expected = meaningOf(type, value);
  if (problems) {
    if (problems.some((p) => !p.startsWith('v'))) return `a problem that does not name its column: ${problems.join('; ')}`;
    if (problems.some((p) => p.includes('could not be checked'))) return `an exception that is not a ValueError: ${problems.join('; ')}`;
    if (expected !== INVALID) return `quarantined a value that means ${show(expected)}: ${problems.join('; ')}`;
    return undefined;
  }
  if (expected === INVALID) return `landed ${show(out[0])} for a value with no exact meaning`;
  const got = meaningOfEncoded(type, out[0]);
  return same(got, expected) ? undefined : `landed ${show(out[0])} (meaning ${show(got)}), but the value means ${show(expected)}`;
}

const TYPES = [
  'string',
  'int',
  'bigint',
  'decimal(18,2)',
  'decimal(38,10)',
  'decimal(5,5)',
  'double',
  'boolean',
  'date',
  'timestamp',
  'array<int>',
  'map<string,decimal(10,2)>',
  'map<int,string>',
  'struct<a:string,b:timestamp,c:array<double>,d:date>',
];

describe(`value fuzz: ${PER_TYPE} random and adversarial values per declared type through the record validator`, () => {
  for (const typeText of TYPES) {
    it(`${typeText}: landed exactly or quarantined, never thrown`, () => {
      const type = parseSparkType(typeText);
      const validator = new RecordValidator([{ name: 'v', sourceName: 'v', type: typeText, nullable: true, classification: [] } as unknown as JobColumn]);
      let checked = 0;
      let landed = 0;
      const started = performance.now();
      fc.assert(
        fc.property(fc.array(valuesFor(type), { minLength: BATCH, maxLength: BATCH }), (values) => {
          for (const value of values) {
            const failure = verdict(validator, type, value);
            if (failure) throw new Error(`${typeText} ${show(value)}: ${failure}`);
            checked++;
          }
        }),
        { numRuns: Math.ceil(PER_TYPE / BATCH) },
      );
      // Counted on the passing run only: a failure has already thrown above.
      if (checked < PER_TYPE) throw new Error(`only ${checked} values were checked`);
      for (const value of fc.sample(valuesFor(type), 2000)) if (!validator.encodeInto({ v: value }, [undefined])) landed++;
      if (landed === 0) throw new Error(`${typeText}: no value landed; the fuzz only exercises the error path`);
      console.log(`value fuzz ${typeText}: ${checked} values in ${Math.round(performance.now() - started)} ms`);
    });
  }
});
