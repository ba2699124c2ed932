/**
 * Type errors Spark 3.5 rejects at analysis (default, non-ANSI settings), reported where they are
 * (fixture analyser-type-errors): a WHERE, HAVING or JOIN ... ON condition that is not boolean
 * (Spark: FILTER_NOT_BOOLEAN, JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE), a date compared with a number
 * (Spark: "cannot resolve ... due to data type mismatch"). A date against a string literal is valid.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture, plain } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('analyser-type-errors');
});
const located = (file: string) =>
  plain(r.diagnostics)
    .filter((d) => d.file === `models/silver/${file}.sql`)
    .map((d) => `${d.code} ${d.line}:${d.column} ${d.message.replace(/ \(in model \w+\)$/, '')}`);

describe('conditions must be boolean', () => {
  it('WHERE of a string or an int column', () => {
    expect(located('where_string')).toEqual(['ETL170 3:7 WHERE condition is string, not boolean']);
    expect(located('where_int')).toEqual(['ETL170 3:7 WHERE condition is int, not boolean']);
  });

  it('HAVING of a count, JOIN ... ON of a string', () => {
    expect(located('having_count')).toEqual(['ETL170 4:8 HAVING condition is bigint, not boolean']);
    expect(located('join_on_string')).toEqual(['ETL170 3:41 JOIN ... ON condition is string, not boolean']);
  });
});

describe('a date is not comparable with a number', () => {
  it('=, IN and BETWEEN', () => {
    expect(located('date_eq_int')).toEqual(['ETL170 3:7 Cannot compare date with int']);
    expect(located('date_in_int')).toEqual(['ETL170 3:7 Cannot compare date with int', 'ETL170 3:45 Cannot compare date with int']);
  });

  it('a date against a string literal, a timestamp or a date is valid', () => {
    expect(located('date_valid')).toEqual([]);
  });
});
