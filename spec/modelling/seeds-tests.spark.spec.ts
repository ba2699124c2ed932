/**
 * Seeds and user-defined generic tests on a real Spark 3.5.6 + Delta 3.3.2 (the run's shared Thrift
 * server): `etl seed` (the CLI) loads the CSV's typed rows, re-seeding replaces them; a gold model
 * joins the seed in a build; a user-defined SQL test warns and a TypeScript one fails on prepared
 * data with exact failing-row counts, and pass once the data is fixed.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { byId, collector, fixture, meta, REPO, type Fixture } from '../spark/helpers.js';
import { run } from '../../runtime/runner/run.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;
let sql: SparkSession;
let project: Fixture;

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
  sql = spark.sql;
  project = fixture('seeds-tests', 'seeds-tests');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;
const orderRow = (order_id: string, country: string, amount: string) => ({ ...meta('2026-01-05T06:00:00Z'), order_id, country, amount });

function etl(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [join(REPO, 'bin', 'etl.js'), ...args, '--project', project.dir], { env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('seeds and user-defined tests on Spark', () => {
  it('etl seed loads the typed rows, and re-seeding replaces them', async () => {
    const first = await etl(['seed', '--json']);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const types = (await rows('DESCRIBE TABLE silver.country_currency')).filter((r) => !String(r.col_name).startsWith('#') && r.col_name).map((r) => [r.col_name, r.data_type]);
    expect(types).toEqual([
      ['country_code', 'string'],
      ['currency', 'string'],
      ['eur_rate', 'decimal(10,4)'],
      ['eu_member', 'boolean'],
      ['joined_on', 'date'],
      ['population', 'bigint'],
      ['rank', 'int'],
    ]);
    const loaded = await rows("SELECT country_code, CAST(eur_rate AS STRING) AS rate, eu_member, CAST(joined_on AS STRING) AS joined, CAST(population AS STRING) AS population, rank FROM silver.country_currency ORDER BY country_code");
    expect(loaded).toEqual([
      { country_code: 'DE', rate: '1.0000', eu_member: true, joined: '1958-01-01', population: '84482267', rank: 1 },
      { country_code: 'GB', rate: '1.1700', eu_member: false, joined: null, population: '67736802', rank: 2 },
      { country_code: 'US', rate: '0.9200', eu_member: false, joined: null, population: '334914895', rank: null },
    ]);
    // Re-seeding (in process, as `etl seed --select country_currency` runs it) replaces the rows.
    const { manifest, plan } = await project.compile();
    const again = await run({ command: 'seed', projectDir: project.dir, manifest, plan, select: ['country_currency'], spark: engine, reporter: collector() });
    expect(again.results.map((r) => [r.id, r.status])).toEqual([['seed.country_currency', 'success']]);
    expect((await rows('SELECT count(*) AS n FROM silver.country_currency'))[0]!.n).toBe(3);
  }, 540_000);

  it('a model joins the seed; the user tests warn and fail with exact counts, then pass', async () => {
    await project.land('source.shop.orders', '2026-01-05', [orderRow('o1', 'DE', '50.00'), orderRow('o2', 'GB', '100.00'), orderRow('o3', 'US', '200.00'), orderRow('o4', 'DE', '150.00')]);
    const { results } = await project.build(engine);
    const r = byId(results);
    expect(r.get('seed.country_currency')?.status).toBe('success');
    expect(r.get('model.orders_eur')?.status).toBe('success');
    expect(await rows('SELECT order_id, currency, CAST(amount_eur AS STRING) AS eur FROM gold.orders_eur ORDER BY order_id')).toEqual([
      { order_id: 'o1', currency: 'EUR', eur: '50.00' },
      { order_id: 'o2', currency: 'GBP', eur: '117.00' },
      { order_id: 'o3', currency: 'USD', eur: '184.00' },
      { order_id: 'o4', currency: 'EUR', eur: '150.00' },
    ]);
    // at_most (SQL, severity warn): o2, o3 and o4 are over 100; in_codes (TypeScript, error): o3 is in USD.
    const warn = r.get('test.orders_eur.at_most.amount_eur')!;
    const fail = r.get('test.orders_eur.in_codes.currency')!;
    expect([warn.status, warn.failures]).toEqual(['warn', 3]);
    expect([fail.status, fail.failures]).toEqual(['fail', 1]);
    expect(results.success).toBe(false);

    await project.land('source.shop.orders', '2026-01-05', [orderRow('o1', 'DE', '50.00'), orderRow('o2', 'GB', '10.00')]);
    const fixed = byId((await project.build(engine)).results);
    expect([fixed.get('test.orders_eur.at_most.amount_eur')?.status, fixed.get('test.orders_eur.in_codes.currency')?.status]).toEqual(['pass', 'pass']);
  }, 300_000);
});
