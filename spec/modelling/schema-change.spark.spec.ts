/**
 * `on_schema_change` and hooks on a real Spark 3.5 + Delta 3.3 (the run's shared Thrift server).
 * One incremental table per mode is built, its model gains a column (sync also loses one), and it is
 * built again: fail stops with the table untouched, ignore keeps the old columns, append adds the
 * column (old rows NULL), sync adds and drops. The runtime check is the catalog's, so the recorded
 * state is removed first (the compile-time check has its own spec). Hooks log their order into a
 * table: run start, pre, post, run end; a failing pre-hook leaves its model's table untouched and is
 * located at the hook's file:line:col.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { TABLE_SCHEMAS_FILE } from '../../compiler/plan/schema-change-state.js';
import { byId, fixture, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let sql: SparkSession;
let project: Fixture;

beforeAll(async () => {
  spark = await sharedSpark();
  sql = spark.sql;
  project = fixture('../../modelling/fixtures/schema-change', 'schema-change');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;
const columnsOf = async (table: string) => (await rows(`SELECT * FROM silver.${table} LIMIT 0`), (await sql.query(`DESCRIBE TABLE silver.${table}`)).rows.map((r) => String(r.col_name)).filter((c) => c && !c.startsWith('#')));
const hookLog = async () => (await rows('SELECT what FROM silver.hook_log ORDER BY seq')).map((r) => String(r.what));

describe('on_schema_change and hooks on Delta', () => {
  it('first build: every table, and the hooks in order (run start, pre, post, run end)', async () => {
    const { results } = await project.build(spark!.engine);
    expect(results.results.filter((r) => r.status !== 'success').map((r) => [r.id, r.message])).toEqual([]);
    expect(await hookLog()).toEqual(['run_start', 'pre', 'post v1', 'run_end']);
    expect(byId(results).get('hook.on_run_start.3')?.status).toBe('success');
    for (const t of ['sc_fail', 'sc_ignore', 'sc_append', 'sc_sync']) expect(await columnsOf(t)).toEqual(['id', 'name']);
  }, 600_000);

  it('second build with a new column (sync also drops one): fail, ignore, append and sync each on their table', async () => {
    for (const m of ['sc_fail', 'sc_ignore', 'sc_append']) project.editModel(`models/silver/${m}.sql`, (t) => t.replace("SELECT 1 AS id, 'a' AS name", "SELECT 2 AS id, 'b' AS name, 'x' AS extra"));
    project.editModel('models/silver/sc_sync.sql', (t) => t.replace("SELECT 1 AS id, 'a' AS name", "SELECT 2 AS id, 'x' AS extra"));
    // The compile-time check refuses sc_fail first; without the recorded state the run's own check does.
    await expect(project.compile()).rejects.toThrow(/ETL430/);
    rmSync(join(project.dir, TABLE_SCHEMAS_FILE));
    const { results } = await project.build(spark!.engine, { select: ['sc_fail', 'sc_ignore', 'sc_append', 'sc_sync'] });
    const r = byId(results);
    expect(r.get('model.sc_fail')?.status).toBe('error');
    expect(r.get('model.sc_fail')?.message).toContain('silver.sc_fail: on_schema_change is fail and the columns changed (+ extra string); the table was not changed');
    expect(r.get('model.sc_fail')?.location).toEqual({ file: 'models/silver/sc_fail.sql' });
    expect(await columnsOf('sc_fail')).toEqual(['id', 'name']);
    expect(await rows('SELECT id, name FROM silver.sc_fail ORDER BY id')).toEqual([{ id: 1, name: 'a' }]);

    for (const m of ['sc_ignore', 'sc_append', 'sc_sync']) expect([m, r.get(`model.${m}`)?.status, r.get(`model.${m}`)?.message]).toEqual([m, 'success', undefined]);
    expect(await columnsOf('sc_ignore')).toEqual(['id', 'name']);
    expect(await rows('SELECT * FROM silver.sc_ignore ORDER BY id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    expect(await columnsOf('sc_append')).toEqual(['id', 'name', 'extra']);
    expect(await rows('SELECT * FROM silver.sc_append ORDER BY id')).toEqual([{ id: 1, name: 'a', extra: null }, { id: 2, name: 'b', extra: 'x' }]);
    expect(await columnsOf('sc_sync')).toEqual(['id', 'extra']);
    expect(await rows('SELECT * FROM silver.sc_sync ORDER BY id')).toEqual([{ id: 1, extra: null }, { id: 2, extra: 'x' }]);
  }, 600_000);

  it('a failing pre-hook stops its model with the table untouched, located at the hook', async () => {
    project.editModel('models/silver/guarded.sql', (t) => t.replace('pre_hook="SELECT 1"', 'pre_hook="SELECT * FROM silver.no_such_table"').replace("'first'", "'second'"));
    const { results } = await project.build(spark!.engine, { select: ['guarded'] });
    const guarded = byId(results).get('model.guarded');
    expect(guarded?.status).toBe('error');
    expect(guarded?.message).toContain('TABLE_OR_VIEW_NOT_FOUND');
    expect(guarded?.location).toEqual({ file: 'models/silver/guarded.sql', line: 1, column: 55 });
    expect(await rows('SELECT version FROM silver.guarded')).toEqual([{ version: 'first' }]);
  }, 600_000);
});
