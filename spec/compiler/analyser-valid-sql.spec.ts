/**
 * Valid Spark 3.5 SQL the analyser must accept, typed as Spark types it (fixture
 * analyser-valid-sql): typed literal suffixes, range(), inline VALUES tables, div, STRUCT(t.*),
 * grouping__id, CROSS JOIN ... ON, adjacent string literals, backslash escapes, NATURAL JOIN.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { formatType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture, plain } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('analyser-valid-sql');
});
const shape = (name: string) => {
  const m = r.manifest.models[`model.${name}`];
  expect(m, `model ${name} was analysed`).toBeDefined();
  return m!.columns.map((c) => `${c.name} ${c.type} ${c.nullable ? 'null' : 'not null'}`);
};
/** The project's name for a Spark type (tinyint and smallint are int until the type model has them). */
const spark = (t: string) => formatType(parseSparkType(t));

describe('valid Spark SQL is accepted', () => {
  it('compiles with no diagnostics at all', () => {
    expect(plain(r.diagnostics)).toEqual([]);
  });

  it('typed literal suffixes: Y tinyint, S smallint, L bigint, D double, BD decimal', () => {
    expect(shape('literal_suffixes')).toEqual([
      `y ${spark('tinyint')} not null`,
      `s ${spark('smallint')} not null`,
      'l bigint not null',
      'd double not null',
      'bd decimal(1,0) not null',
      'bd2 decimal(4,2) not null',
      'neg bigint not null',
    ]);
  });

  it('FROM range(n) and range(start, end, step): one bigint column id', () => {
    expect(shape('range_tvf')).toEqual(['id bigint not null', 'twice bigint not null']);
  });

  it('FROM VALUES (...) AS t(cols) and FROM VALUES 1, 2, 3', () => {
    expect(shape('inline_values')).toEqual(['id int not null', 'name string not null']);
    expect(shape('values_scalars')).toEqual(['n int not null']);
  });

  it('a div b is integral division: bigint', () => {
    expect(shape('div')).toEqual(['half bigint null', 'half_up bigint null']);
  });

  it('STRUCT(t.*) is a struct of the columns of t', () => {
    expect(shape('struct_star')).toEqual(['s struct<order_id:string,quantity:int> not null']);
  });

  it('grouping__id is a bigint', () => {
    expect(shape('grouping_id').slice(1)).toEqual(['g bigint not null', 'n bigint not null']);
  });

  it('CROSS JOIN ... ON, adjacent string literals and backslash escapes', () => {
    expect(shape('cross_join_on')).toEqual(['order_id string not null', 'email string null']);
    expect(shape('strings')).toEqual(['ab string not null', 'mixed string not null', 'quote string not null', 'nl string not null', 'order_id string not null']);
  });

  it('NATURAL JOIN outputs each common column once, first and unqualified', () => {
    expect(shape('natural_join')).toEqual(['customer_id string not null', 'order_id string not null', 'email string null']);
    expect(shape('natural_left_join')).toEqual(['customer_id string not null', 'order_id string not null']);
  });
});
