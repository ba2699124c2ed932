/**
 * The local engine (Spark over Thrift) running fixtures/operations' plan through the runner: every
 * operation kind, in full then incrementally, with the same tables and rows written the EMR driver
 * produces for the same plan (operations-expected.ts), and the same skip semantics: a failing
 * blocking test stops what reads its model, a failing freshness test stops nothing.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type Manifest, type Plan } from '../../compiler/index.js';
import { writeParquetFile } from '../../runtime/bronze/parquet-writer.js';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { resolveManifestLocation } from '../../runtime/plan/locations.js';
import { run } from '../../runtime/runner/run.js';
import type { RunResults } from '../../runtime/runner/results.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';
import { DAY1, DAY1_ORDERS, DAY2, DAY2_ORDERS, FULL_ROWS_WRITTEN, FULL_TABLES, INCREMENTAL_ROWS_WRITTEN, INCREMENTAL_TABLES, orderRecord, TABLES, type OrderRow } from './operations-expected.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'operations');
let dir: string;
let shared: SharedSpark | undefined;
let spark: SparkEngine;
let sql: SparkSession;
let compiled: { manifest: Manifest; plan: Plan };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'etl-local-engine-'));
  cpSync(FIXTURE, join(dir, 'project'), { recursive: true });
  // An apostrophe in the gold root: every gold location must be quoted as a string literal.
  const yaml = join(dir, 'project', 'project.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('gold: { database: gold }', `gold: { database: gold, root: "${dir}/lake/o'gold" }`));
  const result = await compileProject({ projectDir: join(dir, 'project') });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  compiled = result;
  // The run's shared Spark: the launcher gives every server the UTC session time zone the expected rows assume.
  shared = await sharedSpark();
  const engine = shared.engine;
  // One shuffle partition per session, as this spec's own server had: tiny data, fewer tasks.
  spark = {
    ...engine,
    async openSession() {
      const session = await engine.openSession();
      await session.execute('SET spark.sql.shuffle.partitions = 1');
      return session;
    },
  };
  sql = shared.sql;
}, 900_000);

afterAll(async () => {
  // Its tables point into the folder removed below: drop them while it is there.
  for (const row of sql ? (await sql.query('SHOW DATABASES')).rows : []) {
    const name = String(Object.values(row)[0]);
    if (name !== 'default') await sql.execute(`DROP DATABASE IF EXISTS \`${name}\` CASCADE`);
  }
  await shared?.release();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function land(day: { ingestDate: string; extractedAt: string }, orders: OrderRow[]): Promise<void> {
  const source = compiled.manifest.sources['source.shop.orders']!;
  const location = resolveManifestLocation(source.bronze.location, join(dir, 'project'));
  const rows = orders.map((o) => ({ ...orderRecord(o, day), amount: o[2].toFixed(2), _extracted_at: `${day.extractedAt.replace(' ', 'T')}Z`, updated_at: `${o[5].replace(' ', 'T')}Z` }));
  await writeParquetFile(join(location, `ingest_date=${day.ingestDate}`, 'part-0.parquet'), [...source.columns, ...source.bronze.metadataColumns], rows);
}

async function build(): Promise<RunResults> {
  const reporter = { emit() {}, close() {} };
  return run({ command: 'build', projectDir: join(dir, 'project'), manifest: compiled.manifest, plan: compiled.plan, spark, reporter, threads: 2 });
}

async function tables(): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const [name, query] of Object.entries(TABLES)) {
    out[name] = (await sql.query(query)).rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? Number(v) : v])));
  }
  return out;
}

const status = (r: RunResults) => Object.fromEntries(r.results.map((x) => [x.id, x.status]));
const rowsWritten = (r: RunResults) => Object.fromEntries(r.results.filter((x) => x.kind === 'model' && x.rows !== undefined).map((x) => [x.id, x.rows]));

describe('local engine on Spark, every operation kind (the same plan the EMR driver runs)', () => {
  it('builds in full, then incrementally, with the tables and rows written of the EMR driver', async () => {
    await land(DAY1, DAY1_ORDERS);
    const full = await build();
    const s = status(full);
    // checked_orders' blocking test fails: its child is skipped; the freshness tests fail and stop nothing.
    expect(s).toMatchObject({
      'source.shop.orders': 'success',
      'test.shop.orders.freshness_error': 'fail',
      'test.shop.orders.freshness_warn': 'warn',
      'model.orders_view': 'success',
      'model.checked_orders': 'success',
      'test.checked_orders.expression.amount': 'fail',
      'model.after_checked': 'skipped',
    });
    expect(full.results.filter((x) => x.kind === 'model' && x.id !== 'model.after_checked').every((x) => x.status === 'success' && x.mode !== 'incremental')).toBe(true);
    expect(rowsWritten(full)).toEqual(FULL_ROWS_WRITTEN);
    expect(await tables()).toMatchObject(FULL_TABLES);

    await land(DAY2, DAY2_ORDERS);
    const incremental = await build();
    const modes = Object.fromEntries(incremental.results.filter((x) => x.kind === 'model').map((x) => [x.id, x.mode ?? null]));
    expect(modes).toMatchObject({ 'model.orders_append': 'incremental', 'model.orders_merge': 'incremental', 'model.orders_by_day': 'incremental', 'model.orders_table': 'full', 'model.after_checked': null });
    expect(rowsWritten(incremental)).toMatchObject(INCREMENTAL_ROWS_WRITTEN);
    const after = await tables();
    expect(after).toMatchObject(INCREMENTAL_TABLES);
    expect(after.orders_table).toHaveLength(5);
    // The gold tables live under the root with the apostrophe.
    expect(String(after.customer_totals_detail![0]!.location)).toContain("o'gold");
  }, 1_800_000);
});
