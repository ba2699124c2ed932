/**
 * Typed vars (issue 11, item 2): `--vars` used to be pasted into SQL as text, so a var could rewrite
 * a filter. Each case compiles a fixture copied to a temp dir with the var overridden as --vars does.
 */
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { projectCopy } from './security-fixture.js';

const PROJECT = `name: fixture_vars
layers:
  bronze: { database: bronze, root: s3://lake/bronze }
  silver: { database: silver, root: s3://lake/silver }
  gold: { database: gold, root: s3://lake/gold }
vars:
  min_date: '2020-01-01'
  max_amount: 100
  only_active: true
  ids: [a1, b2]
  order_column: { value: order_date, raw: true }
targets:
  local: { kind: local }
`;

const MODEL = `SELECT order_id, customer_id
FROM {{source "shop" "orders"}}
WHERE order_date >= {{var "min_date"}}
  AND order_date < DATE '{{var "min_date"}}'
  AND amount <= {{var "max_amount"}}
  AND is_active = {{var "only_active"}}
  AND order_id IN ({{var "ids"}})
  AND customer_id LIKE '%{{var "min_date"}}%'
ORDER BY {{var "order_column"}}
`;

async function compiled(vars?: Record<string, unknown>, files: Record<string, string> = {}) {
  const dir = projectCopy('unknown-var', { 'project.yaml': PROJECT, 'models/silver/recent_orders.sql': MODEL, ...files });
  const r = await compileProject({ projectDir: dir, ...(vars ? { vars } : {}) });
  return { r, sql: r.manifest.models['model.recent_orders']?.compiledSql };
}

describe('typed vars', () => {
  it('render as literals that fit where they are written', async () => {
    const { r, sql } = await compiled();
    expect(r.diagnostics).toEqual([]);
    expect(sql).toBe(`SELECT order_id, customer_id
FROM bronze.shop_orders
WHERE order_date >= '2020-01-01'
  AND order_date < DATE '2020-01-01'
  AND amount <= 100
  AND is_active = TRUE
  AND order_id IN ('a1', 'b2')
  AND customer_id LIKE '%2020-01-01%'
ORDER BY order_date`);
  });

  it('a --vars value cannot rewrite a filter: it stays one literal wherever it is used', async () => {
    const { r, sql } = await compiled({ min_date: "2020-01-01' OR 1=1 --", max_amount: '1 OR 1=1', ids: ["x') OR ('1'='1"] });
    expect(r.diagnostics).toEqual([]);
    // A quote is written \u0027: Spark and the analyser's parser both read one string.
    expect(sql).toContain("WHERE order_date >= '2020-01-01\\u0027 OR 1=1 --'\n");
    expect(sql).toContain("AND order_date < DATE '2020-01-01\\u0027 OR 1=1 --'\n");
    expect(sql).toContain("AND amount <= '1 OR 1=1'\n");
    expect(sql).toContain("AND order_id IN ('x\\u0027) OR (\\u00271\\u0027=\\u00271')\n");
    expect(sql).toContain("LIKE '%2020-01-01\\u0027 OR 1=1 --%'\n");
  });

  it('a raw var stays raw under --vars, but never holds a statement separator or a comment (ETL192)', async () => {
    expect((await compiled({ order_column: 'customer_id DESC' })).sql).toMatch(/ORDER BY customer_id DESC$/);
    const { r } = await compiled({ order_column: 'x; DROP TABLE silver.t' });
    expect(r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      `ETL192 models/silver/recent_orders.sql:9:10 Raw var 'order_column' holds "x; DROP TABLE silver.t": a raw var cannot contain ;, a comment or a line break`,
    ]);
  });

  it('a mapping cannot be printed into SQL (ETL192); a malformed raw declaration is ETL102 in project.yaml', async () => {
    const { r } = await compiled({ max_amount: { a: 1 } });
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['ETL192 5:17']);
    const bad = await compiled(undefined, { 'project.yaml': PROJECT.replace('  max_amount: 100', '  max_amount: { value: [1], raw: true }') });
    expect(bad.r.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      "ETL102 project.yaml:8:15 Invalid project.yaml at 'vars.max_amount': a var with a raw key must be { value: <string, number or boolean>, raw: true }",
    ]);
  });

  it('a var handed to a helper is its value: quote_list and #if work as before', async () => {
    const model = `SELECT order_id FROM {{source "shop" "orders"}}\nWHERE order_id IN ({{quote_list (var "ids")}}){{#if (var "only_active")}} AND is_active{{/if}}\n`;
    const { r, sql } = await compiled(undefined, { 'models/silver/recent_orders.sql': model });
    expect(r.diagnostics).toEqual([]);
    expect(sql).toBe("SELECT order_id FROM bronze.shop_orders\nWHERE order_id IN ('a1', 'b2') AND is_active");
  });
});
