/**
 * What the analyser knows of NULLs inside arrays and structs (containsNull, field nullable), as
 * Spark 3.5.6 reported it for the differential corpus (spec/spark/fixtures/type-corpus): the
 * end-to-end check is spec/spark/differential-types.spark.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { formatType, type SqlType } from '../../compiler/api/columns.js';
import { generatorColumns } from '../../compiler/analyse/spark-types/generators.js';
import { commonType, sameType, T } from '../../compiler/analyse/sql-types.js';

const struct = (nullable: boolean): SqlType => ({ kind: 'struct', fields: [{ name: 'a', type: T.int, ...(nullable ? {} : { nullable: false }) }] });

describe('array containsNull and struct field nullability', () => {
  it('explode of an array without NULLs is NOT NULL, with NULLs or OUTER nullable', () => {
    expect(generatorColumns('explode', T.array(T.int, false), false)).toEqual([{ type: T.int, nullable: false }]);
    expect(generatorColumns('explode', T.array(T.int), false)).toEqual([{ type: T.int, nullable: true }]);
    expect(generatorColumns('explode_outer', T.array(T.int, false), false)).toEqual([{ type: T.int, nullable: true }]);
  });

  it('explode of a map gives NOT NULL values only when the map holds no NULL values', () => {
    const map = (valueContainsNull: boolean): SqlType => ({ kind: 'map', key: T.string, value: T.int, ...(valueContainsNull ? {} : { valueContainsNull }) });
    expect(generatorColumns('explode', map(false), false)).toEqual([{ type: T.string, nullable: false }, { type: T.int, nullable: false }]);
    expect(generatorColumns('explode', map(true), false)).toEqual([{ type: T.string, nullable: false }, { type: T.int, nullable: true }]);
    expect(formatType(map(false))).toBe('map<string,int>');
  });

  it('inline keeps a field NOT NULL only when neither it nor its struct can be NULL', () => {
    expect(generatorColumns('inline', T.array(struct(false), false), false)).toEqual([{ type: T.int, nullable: false }]);
    expect(generatorColumns('inline', T.array(struct(false), true), false)).toEqual([{ type: T.int, nullable: true }]);
    expect(generatorColumns('inline', T.array(struct(true), false), false)).toEqual([{ type: T.int, nullable: true }]);
  });

  it('the common type may hold NULLs when either side may; the printed type is unchanged', () => {
    expect(commonType([T.array(T.int, false), T.array(T.int, false)])).toEqual(T.array(T.int, false));
    expect(commonType([T.array(T.int, false), T.array(T.bigint)])).toEqual(T.array(T.bigint));
    expect(commonType([struct(false), struct(true)])).toEqual(struct(true));
    expect(formatType(T.array(struct(false), false))).toBe('array<struct<a:int>>');
    expect(sameType(T.array(T.int, false), T.array(T.int))).toBe(true);
  });
});
