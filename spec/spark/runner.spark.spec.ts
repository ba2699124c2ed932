/**
 * The runner on a real Spark 3.5.6 + Delta 3.3.2 (the run's shared Thrift server):
 * materializations and incremental semantics, skip-on-failure, test severities, retry of failures,
 * unit tests, error mapping, and the CLI's JSON events and exit code.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { byId, fixture, meta, REPO, type Fixture } from './helpers.js';
import { sharedSpark, type SharedSpark } from './shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;
let sql: SparkSession;

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
  sql = spark.sql;
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;

const ORDERS = 'source.shop.orders';
const DAY1 = '2026-01-05T06:00:00Z';
const DAY2 = '2026-01-06T06:00:00Z';
const order = (o: Record<string, unknown>, extractedAt: string) => ({ ...meta(extractedAt), ...o });

describe('etl build on Spark', () => {
  let shop: Fixture;
  const healthy = { exclude: ['broken_totals+', 'checked_orders+'] };

  beforeAll(async () => {
    shop = fixture('shop', 'mat');
    await shop.compile();
    await shop.land(ORDERS, '2026-01-05', [
      order({ order_id: 'A', customer_id: 'C1', amount: '90.00', status: 'NEW', order_date: '2026-01-01', updated_at: '2026-01-01T09:00:00Z' }, DAY1),
      order({ order_id: 'A', customer_id: 'C1', amount: '100.00', status: 'NEW', order_date: '2026-01-01', updated_at: '2026-01-01T10:00:00Z' }, DAY1),
      order({ order_id: 'B', customer_id: null, amount: '20.50', status: 'paid', order_date: '2026-01-01', updated_at: '2026-01-01T11:00:00Z' }, DAY1),
      order({ order_id: 'C', customer_id: 'C2', amount: '1500.00', status: 'shipped', order_date: '2026-01-02', updated_at: '2026-01-02T09:00:00Z' }, DAY1),
      order({ order_id: 'E', customer_id: 'C3', amount: '5.00', status: 'weird', order_date: '2026-01-02', updated_at: '2026-01-02T10:00:00Z' }, DAY1),
    ]);
  });

  it('builds a view, a table and the three incremental strategies from bronze Parquet', async () => {
    const { results } = await shop.build(engine, healthy);
    const r = byId(results);
    expect(results.success).toBe(true);
    expect(r.get('source.shop.orders')?.status).toBe('success');
    expect(r.get('model.stg_orders')).toMatchObject({ status: 'success', mode: 'view' });
    expect(r.get('model.orders_table')).toMatchObject({ status: 'success', mode: 'full', rows: 5 });
    expect(r.get('model.orders_append')).toMatchObject({ status: 'success', mode: 'full', rows: 5 });
    expect(r.get('model.orders_merge')).toMatchObject({ status: 'success', mode: 'full', rows: 4 });
    expect(r.get('model.orders_by_day')).toMatchObject({ status: 'success', mode: 'full', rows: 2 });
    expect(r.has('model.broken_totals')).toBe(false);

    const s = shop.db.silver;
    expect(await rows(`SELECT order_id, CAST(amount AS STRING) AS amount FROM ${s}.orders_merge ORDER BY order_id`)).toEqual([
      { order_id: 'A', amount: '100.00' },
      { order_id: 'B', amount: '20.50' },
      { order_id: 'C', amount: '1500.00' },
      { order_id: 'E', amount: '5.00' },
    ]);
    expect(await rows(`SELECT CAST(order_date AS STRING) AS d, versions FROM ${s}.orders_by_day ORDER BY d`)).toEqual([
      { d: '2026-01-01', versions: 3 },
      { d: '2026-01-02', versions: 2 },
    ]);
    const history = await rows(`DESCRIBE HISTORY ${s}.orders_table`);
    expect(String(history[0]?.engineInfo)).toContain('Delta-Lake/3.3.2');
  });

  it('a second build on the same data writes nothing incremental and leaves the tables as they were', async () => {
    const s = shop.db.silver;
    const before = await rows(`SELECT * FROM ${s}.orders_merge ORDER BY order_id`);
    const { results } = await shop.build(engine, healthy);
    const r = byId(results);
    expect(r.get('model.orders_append')).toMatchObject({ status: 'success', mode: 'incremental', rows: 0 });
    expect(r.get('model.orders_merge')).toMatchObject({ status: 'success', mode: 'incremental', rows: 0 });
    expect(r.get('model.orders_by_day')).toMatchObject({ status: 'success', mode: 'incremental', rows: 0 });
    expect(await rows(`SELECT * FROM ${s}.orders_merge ORDER BY order_id`)).toEqual(before);
    expect(await rows(`SELECT count(*) AS n FROM ${s}.orders_append`)).toEqual([{ n: 5 }]);
  });

  it('after new bronze data, incremental models process only the new rows', async () => {
    const s = shop.db.silver;
    const untouchedFiles = async () =>
      (await rows(`SELECT DISTINCT input_file_name() AS f FROM ${s}.orders_by_day WHERE order_date = DATE'2026-01-02'`)).map((x) => x.f);
    const filesBefore = await untouchedFiles();
    await shop.land(ORDERS, '2026-01-06', [
      order({ order_id: 'A', customer_id: 'C1', amount: '120.00', status: 'shipped', order_date: '2026-01-01', updated_at: '2026-01-05T10:00:00Z' }, DAY2),
      order({ order_id: 'D', customer_id: 'C4', amount: '42.00', status: 'new', order_date: '2026-01-03', updated_at: '2026-01-05T12:00:00Z' }, DAY2),
    ]);
    const { results } = await shop.build(engine, healthy);
    const r = byId(results);
    expect(r.get('model.orders_append')).toMatchObject({ mode: 'incremental', rows: 2 });
    expect(r.get('model.orders_merge')).toMatchObject({ mode: 'incremental', rows: 2 });
    expect(r.get('model.orders_by_day')).toMatchObject({ mode: 'incremental', rows: 2 });
    expect(await rows(`SELECT count(*) AS n FROM ${s}.orders_append`)).toEqual([{ n: 7 }]);
    expect(await rows(`SELECT order_id, CAST(amount AS STRING) AS amount, status FROM ${s}.orders_merge WHERE order_id IN ('A', 'D') ORDER BY order_id`)).toEqual([
      { order_id: 'A', amount: '120.00', status: 'shipped' },
      { order_id: 'D', amount: '42.00', status: 'new' },
    ]);
    // insert_overwrite rewrote the touched days only: 2026-01-02 keeps its files.
    expect(await rows(`SELECT CAST(order_date AS STRING) AS d, versions FROM ${s}.orders_by_day ORDER BY d`)).toEqual([
      { d: '2026-01-01', versions: 4 },
      { d: '2026-01-02', versions: 2 },
      { d: '2026-01-03', versions: 1 },
    ]);
    expect(await untouchedFiles()).toEqual(filesBefore);
  });

  it('--full-refresh rebuilds incremental models from all of bronze', async () => {
    const { results } = await shop.build(engine, { ...healthy, fullRefresh: true, select: ['orders_append', 'orders_merge'] });
    const r = byId(results);
    expect([...r.values()].filter((x) => x.kind === 'model').map((x) => x.id).sort()).toEqual(['model.orders_append', 'model.orders_merge']);
    expect(r.get('model.orders_append')).toMatchObject({ mode: 'full', rows: 7 });
    expect(r.get('model.orders_merge')).toMatchObject({ mode: 'full', rows: 5 });
  });

  it('a table whose columns change is replaced with its new schema', async () => {
    shop.editModel('models/silver/orders_table.sql', (t) => t.replace('SELECT order_id,', 'SELECT order_id, upper(status) AS status_code,'));
    const { results } = await shop.build(engine, { select: ['orders_table'] });
    expect(byId(results).get('model.orders_table')).toMatchObject({ status: 'success', mode: 'full', rows: 7 });
    const columns = (await rows(`DESCRIBE TABLE ${shop.db.silver}.orders_table`)).map((r) => r.col_name);
    expect(columns.slice(0, 2)).toEqual(['order_id', 'status_code']);
    expect(await rows(`SELECT count(*) AS n FROM ${shop.db.silver}.orders_table WHERE status_code = upper(status)`)).toEqual([{ n: 7 }]);
  });

  it('a failing model and a failing error-severity test skip their downstream; the rest is built', async () => {
    const { results, events } = await shop.build(engine);
    const r = byId(results);
    expect(results.success).toBe(false);

    const broken = r.get('model.broken_totals')!;
    expect(broken.status).toBe('error');
    expect(broken.message).toMatch(/^\[DATATYPE_MISMATCH\.[A-Z_]+\] Cannot resolve "array_contains\(amount, 1\)"/);
    expect(broken.message).not.toMatch(/\tat |org\.apache|HiveSQLException/);
    expect(broken.location).toEqual({ file: 'models/gold/broken_totals.sql', line: 5, column: 3 });
    expect(r.get('model.after_broken')).toMatchObject({ status: 'skipped', message: expect.stringContaining('model.broken_totals failed') });
    expect(r.get('model.customer_totals')?.status).toBe('success');

    // checked_orders builds, but its error-severity expression test fails (order C: 1500) ...
    expect(r.get('model.checked_orders')?.status).toBe('success');
    const expression = results.results.find((x) => x.id.startsWith('test.checked_orders.expression'))!;
    expect(expression).toMatchObject({ status: 'fail', failures: 1 });
    const sample = JSON.parse(readFileSync(join(shop.dir, expression.artifact!), 'utf8'));
    expect(sample.rows).toEqual([expect.objectContaining({ order_id: 'C' })]);
    // ... so what reads it is skipped.
    expect(r.get('model.after_checked')).toMatchObject({ status: 'skipped', message: expect.stringMatching(/upstream test\.checked_orders\.expression\.amount\S* failed/) });

    // Severities and thresholds: a warn test warns; one bad status is under error_if >1, so it only warns.
    expect(results.results.find((x) => x.id.startsWith('test.checked_orders.not_null.customer_id'))).toMatchObject({ status: 'warn', failures: 1 });
    expect(results.results.find((x) => x.id.startsWith('test.checked_orders.accepted_values.status'))).toMatchObject({ status: 'warn', failures: 1 });
    expect(results.results.find((x) => x.id.startsWith('test.checked_orders.unique.order_id'))).toMatchObject({ status: 'pass', failures: 0 });

    const saved = JSON.parse(readFileSync(join(shop.dir, 'target', 'run_results.json'), 'utf8'));
    expect(saved.results.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual(results.results.map((x) => [x.id, x.status]));
    expect(events.filter((e) => e.event === 'node_end')).toHaveLength(results.results.length);
  });

  it('--failed re-runs only what failed or was skipped', async () => {
    shop.editModel('models/gold/broken_totals.sql', (t) => t.replace('array_contains(amount, 1)', 'amount > 1'));
    const { results } = await shop.build(engine, { failedOnly: true });
    const models = results.results.filter((x) => x.kind === 'model').map((x) => [x.id, x.status]);
    expect(Object.fromEntries(models)).toEqual({
      'model.broken_totals': 'success',
      'model.after_broken': 'success',
      'model.checked_orders': 'success',
      'model.after_checked': 'skipped',
    });
  });

  it('etl test runs data tests without building, and unit tests with a diff, never touching the tables', async () => {
    const s = shop.db.silver;
    const historyBefore = await rows(`DESCRIBE HISTORY ${s}.checked_orders`);
    const { results } = await shop.test(engine);
    const r = byId(results);
    expect(results.results.some((x) => x.kind === 'model')).toBe(false);
    expect(results.results.find((x) => x.id.startsWith('test.checked_orders.expression'))?.status).toBe('fail');
    expect(r.get('unit_test.checked_orders.passes_rows_through')?.status).toBe('pass');
    const wrong = r.get('unit_test.checked_orders.wrong_expectation')!;
    expect(wrong.status).toBe('fail');
    expect(wrong.message).toContain('1 expected row missing, 1 unexpected row');
    expect(wrong.message).toContain('- { order_id: "A", amount: 11, status: "paid" }');
    expect(wrong.message).toContain('+ { order_id: "A", amount: 10.5, status: "paid" }');
    expect(existsSync(join(shop.dir, wrong.artifact!))).toBe(true);
    expect(await rows(`DESCRIBE HISTORY ${s}.checked_orders`)).toEqual(historyBefore);
    expect(await rows(`SHOW VIEWS IN ${s} LIKE 'etl_ut_*'`)).toEqual([]);
  });

  it('etl show previews a model from the tables as they are, writing nothing', async () => {
    const show = (args: string[]) =>
      spawnSync('node', [join(REPO, 'bin', 'etl.js'), 'show', ...args, '--project', shop.dir], {
        encoding: 'utf8',
        env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift },
        timeout: 300_000,
      });
    const expected = await rows(`SELECT customer_id, sum(amount) AS total FROM ${shop.db.silver}.orders_table GROUP BY customer_id`);
    const res = show(['customer_totals', '--json', '--limit', '100']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { columns: Array<{ name: string; type: string }>; rows: Array<Record<string, unknown>> };
    expect(out.columns.map((c) => c.name)).toEqual(['customer_id', 'total']);
    // Decimals arrive as exact strings, typed as the model declares them (hive-driver would make them floats).
    expect(out.columns[1]).toMatchObject({ type: expect.stringMatching(/^decimal\(/) });
    expect(out.rows.every((r) => typeof r.total === 'string' || r.total === null)).toBe(true);
    const key = (r: Record<string, unknown>) => `${String(r.customer_id)}=${Number(r.total)}`;
    expect(out.rows.map(key).sort()).toEqual(expected.map(key).sort());
    const limited = show(['customer_totals', '--limit', '1']);
    expect(limited.stdout).toMatch(/^customer_id \| total/);
    expect(limited.stdout).toContain('(1 row, limit 1)');
    const unknown = show(['customer_total']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Did you mean 'customer_totals'?");
  });

  it('the CLI prints one JSON event per line, writes --junit, and exits 1 when a test fails', () => {
    const junit = join(shop.dir, 'target', 'reports', 'junit.xml');
    const res = spawnSync('node', [join(REPO, 'bin', 'etl.js'), 'build', '--project', shop.dir, '--json', '--select', 'checked_orders+', '--threads', '2', '--junit', junit], {
      encoding: 'utf8',
      env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift },
      timeout: 600_000,
    });
    const events = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ event: 'run_start', command: 'build' });
    expect(events.at(-1)).toMatchObject({ event: 'run_end', success: false });
    expect(events.find((e) => e.event === 'node_end' && e.id === 'model.checked_orders')?.status).toBe('success');
    expect(events.find((e) => e.event === 'node_end' && e.id === 'model.after_checked')?.status).toBe('skipped');
    expect(res.status).toBe(1);
    expect(res.stderr).not.toMatch(/\n\s+at .*\(/);

    // The same run as JUnit XML: the model in `models`, its tests in its own suite, the skip.
    type Case = { name: string; failure?: { message: string; '#text': string }; skipped?: { message: string } };
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(readFileSync(junit, 'utf8')) as {
      testsuites: { name: string; testsuite: Array<{ name: string; testcase: Case[] }> };
    };
    const suites = new Map(doc.testsuites.testsuite.map((s) => [s.name, s.testcase]));
    expect(doc.testsuites.name).toBe('etl build');
    expect(suites.get('models')?.find((c) => c.name === 'model.checked_orders')).not.toHaveProperty('failure');
    expect(suites.get('models')?.find((c) => c.name === 'model.after_checked')?.skipped?.message).toMatch(/^skipped: upstream test\.checked_orders\.expression\.amount\S* failed/);
    const expression = suites.get('model.checked_orders')?.find((c) => c.name.startsWith('test.checked_orders.expression'));
    expect(expression?.failure?.message).toMatch(/^1 failing row \(severity error/);
    expect(expression?.failure?.['#text']).toMatch(/sample \(1 of 1 failing rows\):\n\{"order_id":"C"/);
  });
});
