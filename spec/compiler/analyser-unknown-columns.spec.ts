/**
 * Unknown columns are reported wherever a query names them (fixture analyser-unknown-columns):
 * GROUP BY (plain and ROLLUP), a query's ORDER BY (also after a set operation) and a window's ORDER BY,
 * at the column's own line and column with a did-you-mean hint; ORDER BY columns are `order` lineage.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture, plain } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('analyser-unknown-columns');
});
const located = (file: string) =>
  plain(r.diagnostics)
    .filter((d) => d.file === `models/silver/${file}.sql`)
    .map((d) => `${d.code} ${d.line}:${d.column} ${d.message} | ${d.hint}`);

describe('unknown columns are reported where they are written', () => {
  it('in GROUP BY', () => {
    expect(located('group_by')).toEqual(["ETL161 3:10 Unknown column 'custmer_id' (in model group_by) | Did you mean 'customer_id'?"]);
    expect(located('group_by_rollup')).toEqual(["ETL161 3:31 Unknown column 'quantiti' (in model group_by_rollup) | Did you mean 'quantity'?"]);
  });

  it("in a query's ORDER BY, also after UNION ALL", () => {
    expect(located('order_by')).toEqual(["ETL161 3:23 Unknown column 'ordr_date' (in model order_by) | Did you mean 'order_date'?"]);
    expect(located('union_order_by')).toEqual(["ETL161 4:10 Unknown column 'order_idd' (in model union_order_by) | Did you mean 'order_id'?"]);
  });

  it("in a window's ORDER BY, also of a named window", () => {
    expect(located('window_order_by')).toEqual(["ETL161 2:56 Unknown column 'order_dat' (in model window_order_by) | Did you mean 'order_date' or 'order_id'?"]);
    expect(located('named_window')).toEqual(["ETL161 3:48 Unknown column 'order_dat' (in model named_window) | Did you mean 'order_date' or 'order_id'?"]);
  });

  it('at its own column on a line whose Spark forms the parser reads rewritten (escapes, adjacent strings, div, VALUES, CROSS JOIN ON)', () => {
    expect(located('after_rewrites')).toEqual(["ETL161 1:47 Unknown column 'amout' (in model after_rewrites) | Did you mean 'amount'?"]);
  });

  it('ORDER BY and GROUP BY output aliases and input columns are valid', () => {
    expect(located('order_by_valid')).toEqual([]);
    expect(located('order_role')).toEqual([]);
    expect(r.manifest.models['model.order_by_valid']!.columns.map((c) => `${c.name} ${c.type}`)).toEqual(['c string', 'q bigint']);
  });

  it('ORDER BY columns are order dependencies', () => {
    const deps = r.manifest.models['model.order_role']!.rowDependencies.map((d) => `${d.node}.${d.column}:${d.role}`);
    expect(deps).toEqual(['source.shop.orders.order_date:order', 'source.shop.orders.order_id:order', 'source.shop.orders.quantity:order']);
  });
});
