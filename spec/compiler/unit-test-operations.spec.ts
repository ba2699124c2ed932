/**
 * Unit tests compile to UnitTest operations: the model's SELECT rendered again with each given
 * input pointing at its temporary view (no SQL rewritten at run time), and a unit test that leaves
 * an input ungiven is a compile error at the test in the sidecar.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';

const SHOP = join(import.meta.dirname, '..', 'spark', 'fixtures', 'shop');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'etl-unit-ops-'));
  dirs.push(dir);
  cpSync(SHOP, dir, { recursive: true });
  return dir;
}

describe('unit test operations', () => {
  it("point the model's refs at the given rows' views, typed by the input's columns", async () => {
    const r = await compileProject({ projectDir: copy() });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const node = r.plan.nodes['unit_test.checked_orders.passes_rows_through'];
    if (node?.kind !== 'unit_test') throw new Error('no unit test node');
    const [input] = node.test.inputs;
    expect(input).toMatchObject({ input: 'model.orders_merge', view: expect.stringMatching(/^etl_ut_.*_in0$/) });
    expect(input!.columns.map((c) => c.name)).toEqual(r.manifest.models['model.orders_merge']!.columns.map((c) => c.name));
    expect(node.test.query.sql).toContain(`FROM ${input!.view}`);
    expect(node.test.query.sql).not.toContain('orders_merge');
    // The query still maps back to the model's file.
    expect(node.test.query.files).toEqual(['models/silver/checked_orders.sql']);
  });

  it('a unit test that gives no rows for an input the model reads is ETL182 at the test', async () => {
    const dir = copy();
    const sql = join(dir, 'models', 'silver', 'checked_orders.sql');
    writeFileSync(sql, readFileSync(sql, 'utf8').replace('FROM {{ref "orders_merge"}}', 'FROM {{ref "orders_merge"}} JOIN {{ref "orders_table"}} USING (order_id)').replace('SELECT order_id, customer_id, amount, status', 'SELECT order_id, orders_merge.customer_id, orders_merge.amount, orders_merge.status'));
    const r = await compileProject({ projectDir: dir });
    const d = r.diagnostics.filter((x) => x.code === 'ETL182');
    expect(d.length).toBeGreaterThan(0);
    expect(d[0]).toMatchObject({ severity: 'error', file: 'models/silver/checked_orders.yml', line: 15 });
    expect(d[0]!.message).toMatch(/gives no rows for orders_table/);
    expect(r.ok).toBe(false);
  });
});
