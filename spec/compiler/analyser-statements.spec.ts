/**
 * A model is one SELECT (fixture analyser-statements): a second statement is reported where it
 * starts, not at 1:1; one trailing semicolon is fine.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture, plain } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('analyser-statements');
});

describe('one statement per model', () => {
  it('ETL165 at the start of the second statement, with a hint', () => {
    expect(plain(r.diagnostics)).toEqual([
      {
        code: 'ETL165',
        severity: 'error',
        message: 'A model must be exactly one SELECT, found 2 statements: a second one starts here (in model two_statements)',
        file: 'models/silver/two_statements.sql',
        line: 4,
        column: 3,
        hint: 'Keep the one SELECT: remove this statement and the semicolon before it (a model is one query; the compiler adds the DDL/DML).',
      },
    ]);
  });

  it('a trailing semicolon is accepted', () => {
    expect(r.manifest.models['model.trailing_semicolon']!.columns.map((c) => c.name)).toEqual(['order_id']);
  });
});
