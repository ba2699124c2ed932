/**
 * The dev sources' generated rows, over random source declarations: every value passes the record
 * validation the ingestion runs (runtime/bronze/record-validation.ts), as served and after the
 * JSON round trip Kafka events take, and primary keys are unique within their declared types.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatType, type SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import { RecordValidator } from '../../runtime/bronze/record-validation.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { keyCapacity, keyValue } from '../../runtime/dev-servers/typed-values.js';

/** The column types a source can declare that bronze Parquet holds (the encoder's types). */
const primitive: fc.Arbitrary<SqlType> = fc.oneof(
  fc.constantFrom<SqlType>({ kind: 'string' }, { kind: 'int' }, { kind: 'bigint' }, { kind: 'double' }, { kind: 'boolean' }, { kind: 'date' }, { kind: 'timestamp' }),
  fc
    .integer({ min: 1, max: 38 })
    .chain((precision) => fc.integer({ min: 0, max: precision }).map((scale): SqlType => ({ kind: 'decimal', precision, scale }))),
);
/** Map keys are JSON object keys on the wire: primitive types whose text the ingestion parses. */
const mapKey = fc.oneof(primitive.filter((t) => t.kind !== 'double'));

const sqlType: fc.Arbitrary<SqlType> = fc.letrec<{ type: SqlType }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    tie('type').map((element): SqlType => ({ kind: 'array', element })),
    fc.tuple(mapKey, tie('type')).map(([key, value]): SqlType => ({ kind: 'map', key, value })),
    fc
      .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), tie('type')), { minLength: 1, maxLength: 4, selector: ([name]) => name })
      .map((fields): SqlType => ({ kind: 'struct', fields: fields.map(([name, type]) => ({ name, type })) })),
  ),
})).type;

const columnsArb = fc
  .uniqueArray(
    fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), type: sqlType, nullable: fc.boolean(), primaryKey: fc.boolean() }),
    { minLength: 1, maxLength: 8, selector: (c) => c.name },
  )
  .map((cs) =>
    cs.map(
      (c): JobColumn => ({
        name: c.name,
        type: formatType(c.type),
        // A key column is never null; the declaration says so.
        nullable: c.nullable && !c.primaryKey,
        classification: [],
        sourceName: c.name,
        primaryKey: c.primaryKey,
      }),
    ),
  );

/** Encoded values as text, bigint included: equal text is the same value in bronze. */
const text = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

describe('dev source values', () => {
  it('every generated row passes record validation, served and as JSON; keys are unique', () => {
    fc.assert(
      fc.property(columnsArb, fc.integer({ min: 1, max: 60 }), fc.integer(), fc.option(fc.nat()), (columns, rows, seed, timePick) => {
        const time = timePick === null ? undefined : columns[timePick % columns.length]!.name;
        const out = generateRows(columns, { rows, seed, ...(time ? { timeColumn: time } : {}) });
        const keys = columns.filter((c) => c.primaryKey);
        const capacity = keys.reduce((n, c) => n * keyCapacity(parseSparkType(c.type)), 1);
        expect(out.length).toBe(Math.min(rows, capacity));
        const validator = new RecordValidator(columns);
        const seen = new Set<string>();
        for (const row of out) {
          const served = validator.check(row);
          expect(served.problems, text(row)).toEqual([]);
          expect(validator.check(JSON.parse(JSON.stringify(row)) as Record<string, unknown>).problems).toEqual([]);
          if (keys.length) seen.add(text(keys.map((k) => served.row[k.name])));
        }
        if (keys.length) expect(seen.size).toBe(out.length);
      }),
      { numRuns: 150 },
    );
  });

  it('key values are valid and distinct across the whole range of their type', () => {
    const keyed = primitive.chain((type) => {
      const capacity = keyCapacity(type);
      const n = fc.oneof(fc.integer({ min: 0, max: Math.min(3, capacity - 1) }), fc.integer({ min: 0, max: capacity - 1 }), fc.constant(capacity - 1));
      return fc.tuple(fc.constant(type), n, n);
    });
    fc.assert(
      fc.property(keyed, ([type, a, b]) => {
        const column: JobColumn = { name: 'k', type: formatType(type), nullable: false, classification: [], sourceName: 'k', primaryKey: true };
        const validator = new RecordValidator([column]);
        const first = validator.check({ k: keyValue(type, a, 'k') });
        const second = validator.check({ k: keyValue(type, b, 'k') });
        expect(first.problems, `${column.type} #${a}: ${text(keyValue(type, a))}`).toEqual([]);
        expect(second.problems, `${column.type} #${b}: ${text(keyValue(type, b))}`).toEqual([]);
        expect(text(first.row.k) === text(second.row.k)).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });

  it('an integer, a decimal and a date key each land as their type, not as text', () => {
    const columns: JobColumn[] = [
      { name: 'order_id', type: 'int', nullable: false, classification: [], sourceName: 'order_id', primaryKey: true },
      { name: 'line', type: 'decimal(4,1)', nullable: false, classification: [], sourceName: 'line', primaryKey: true },
      { name: 'day', type: 'date', nullable: false, classification: [], sourceName: 'day', primaryKey: true },
    ];
    const [first, second] = generateRows(columns, { rows: 2 });
    expect(first).toEqual({ order_id: 1, line: '0.1', day: '2020-01-01' });
    expect(second).toEqual({ order_id: 1, line: '0.1', day: '2020-01-02' });
  });
});

