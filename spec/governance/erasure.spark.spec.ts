/**
 * `etl erase` on a real Spark 3.5 + Delta 3.3 (the run's shared Thrift server), on a fixture with a
 * source declaring a subject key, a silver table, a gold join without the key, a gold aggregate and a
 * gold model keyed by a salted hash. Before: the subject is in 4 tables (and in the aggregate's
 * figures). The erasure goes through the CLI. After: no current row, no readable Delta version and
 * no Parquet file under the warehouse (bronze files and Delta data files alike) holds the subject's
 * key, its salted hash or its order ids; every other row is as before; the aggregate is rebuilt
 * without the subject; the erasure log holds the subject only as a salted hash. One table stands for
 * an earlier erasure that stopped after its DELETE: nothing left to delete there, but its earlier
 * versions still hold the subject, so it is vacuumed all the same. A second erasure, of a subject
 * no table holds, vacuums no table it deleted nothing from (each has one readable version left).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { fixture, meta, REPO, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';
import { erasurePlan } from '../../compiler/governance/erasure-plan.js';
import { keyColumnsOf, parseSubject } from '../../compiler/governance/erasure-subject.js';
import { eraseLocal } from '../../runtime/governance/erasure/erase-local.js';

let spark: SharedSpark | undefined;
let sql: SparkSession;
let shop: Fixture;

const AT = '2026-01-05T06:00:00Z';
const SALT = 'f1xture-salt';
const SUBJECT = 'C1';
const HASH = createHash('sha256').update(`${SUBJECT}${SALT}`).digest('hex');
/** The subject's own values: its key, its salted hash, and its orders' ids. */
const MARKERS = new Set([SUBJECT, HASH, 'O1', 'O2']);
const TABLES = ['bronze.shop_orders', 'silver.stg_orders', 'gold.order_products', 'gold.customer_spend', 'gold.daily_revenue'];
const DELTA = TABLES.filter((t) => !t.startsWith('bronze.'));

const order = (order_id: string, customer_id: string, product_id: string, amount: string, order_date: string) => ({ ...meta(AT), order_id, customer_id, product_id, amount, order_date, updated_at: AT });

beforeAll(async () => {
  spark = await sharedSpark();
  sql = spark.sql;
  shop = fixture('../../governance/fixtures/erasure', 'erasure');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const text = (v: unknown) => (v instanceof Date ? v.toISOString() : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v));
const holdsSubject = (row: Record<string, unknown>) => Object.values(row).some((v) => MARKERS.has(text(v)));
const rowsOf = async (query: string) => (await sql.query(query)).rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : text(v)])));
const sorted = (rows: Array<Record<string, unknown>>) => rows.map((r) => JSON.stringify(r)).sort();
const current = (t: string) => rowsOf(`SELECT * FROM ${t}`);

function etl(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [join(REPO, 'bin', 'etl.js'), ...args, '--project', shop.dir], { env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function parquetFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return parquetFilesUnder(path);
    return name.endsWith('.parquet') ? [path] : [];
  });
}

describe('etl erase on Spark', () => {
  it('finds the subject nowhere after erasure (tables, readable versions, files) and keeps every other row', async () => {
    await shop.land('source.shop.orders', '2026-01-05', [
      order('O1', 'C1', 'P1', '10.00', '2026-01-01'),
      order('O2', 'C1', 'P2', '5.00', '2026-01-02'),
      order('O3', 'C2', 'P1', '7.00', '2026-01-01'),
      order('O4', 'C3', 'P2', '3.00', '2026-01-02'),
      order('O5', 'C2', 'P2', '1.00', '2026-01-03'),
    ]);
    await shop.land('source.shop.products', '2026-01-05', [
      { ...meta(AT), product_id: 'P1', product_name: 'Lamp', updated_at: AT },
      { ...meta(AT), product_id: 'P2', product_name: 'Desk', updated_at: AT },
    ]);
    expect((await shop.build(spark!.engine)).results.success).toBe(true);

    const before = new Map<string, Array<Record<string, unknown>>>();
    for (const t of TABLES) before.set(t, await current(t));
    const holding = TABLES.filter((t) => before.get(t)!.some(holdsSubject));
    expect(holding).toEqual(['bronze.shop_orders', 'silver.stg_orders', 'gold.order_products', 'gold.customer_spend']);
    expect(sorted(before.get('gold.daily_revenue')!.map((r) => ({ d: r.order_date, rev: r.revenue, n: r.orders })))).toEqual(
      sorted([{ d: '2026-01-01', rev: '17', n: '2' }, { d: '2026-01-02', rev: '8', n: '2' }, { d: '2026-01-03', rev: '1', n: '1' }]),
    );

    // The dry run says what would happen and changes nothing.
    const dry = await etl(['erase', '--subject', `customer_id=${SUBJECT}`, '--dry-run', '--json']);
    expect(dry.status, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout).plan;
    expect(plan.targets.map((t: { name: string; action: string }) => `${t.action} ${t.name}`)).toEqual(['rewrite-files bronze.shop_orders', 'delete stg_orders', 'delete customer_spend', 'rebuild daily_revenue', 'delete order_products']);
    expect(await current('silver.stg_orders')).toEqual(before.get('silver.stg_orders'));

    // An earlier erasure that stopped after deleting from customer_spend: its current version no longer holds the subject.
    await sql.execute(`DELETE FROM gold.customer_spend WHERE customer_key = '${HASH}'`);

    const res = await etl(['erase', '--subject', `customer_id=${SUBJECT}`, '--json']);
    expect(res.status, res.stderr).toBe(0);
    const outcome = JSON.parse(res.stdout).outcome;
    const removed = Object.fromEntries(outcome.tables.map((t: { relation: string; rowsRemoved: number }) => [t.relation, t.rowsRemoved]));
    expect(removed).toEqual({ 'bronze.shop_orders': 2, 'silver.stg_orders': 2, 'gold.customer_spend': 0, 'gold.daily_revenue': 0, 'gold.order_products': 2 });

    // Current rows: the subject nowhere, every other row unchanged, the aggregate rebuilt without it.
    for (const t of TABLES.filter((x) => x !== 'gold.daily_revenue')) {
      expect(sorted(await current(t)), t).toEqual(sorted(before.get(t)!.filter((r) => !holdsSubject(r))));
    }
    expect(sorted((await current('gold.daily_revenue')).map((r) => ({ d: r.order_date, rev: r.revenue, n: r.orders })))).toEqual(
      sorted([{ d: '2026-01-01', rev: '7', n: '1' }, { d: '2026-01-02', rev: '3', n: '1' }, { d: '2026-01-03', rev: '1', n: '1' }]),
    );

    // Every Delta version still readable holds nothing of the subject; the earlier ones that did are gone.
    let unreadable = 0;
    for (const t of DELTA) {
      const versions = (await rowsOf(`DESCRIBE HISTORY ${t}`)).map((r) => Number(r.version));
      for (const v of versions) {
        let rows: Array<Record<string, unknown>>;
        try {
          rows = await rowsOf(`SELECT * FROM ${t} VERSION AS OF ${v}`);
        } catch {
          unreadable++;
          continue;
        }
        expect(rows.filter(holdsSubject), `${t}@${v}`).toEqual([]);
      }
    }
    expect(unreadable).toBeGreaterThanOrEqual(DELTA.length);

    // Every Parquet file under the warehouse (bronze files, Delta data files of any version).
    const files = parquetFilesUnder(join(shop.dir, 'data', 'warehouse'));
    expect(files.length).toBeGreaterThan(DELTA.length);
    for (const file of files) {
      const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Array<Record<string, unknown>>;
      expect(rows.filter(holdsSubject), file).toEqual([]);
    }

    // The log: one line per table, the subject only as a salted hash.
    const log = readFileSync(join(shop.dir, '.etl', 'erasure', 'log.jsonl'), 'utf8');
    const entries = log.trim().split('\n').map((l) => JSON.parse(l));
    expect(entries.map((e) => [e.relation, e.action, e.rowsRemoved])).toEqual(outcome.tables.map((t: { relation: string; action: string; rowsRemoved: number }) => [t.relation, t.action, t.rowsRemoved]));
    expect(entries[0].subject).toMatchObject({ key: 'customer_id', kinds: ['customer'], hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const vacuumed = Object.fromEntries(entries.map((e) => [e.relation, e.versionsVacuumed]));
    // customer_spend: nothing deleted this time, but its earlier versions (the build's, the stopped erasure's) went.
    expect(vacuumed).toEqual({ 'bronze.shop_orders': undefined, 'silver.stg_orders': 1, 'gold.customer_spend': 1, 'gold.daily_revenue': 1, 'gold.order_products': 1 });
    for (const marker of MARKERS) expect(log).not.toContain(marker);

    // A subject no table holds: nothing deleted, and no VACUUM of a table that holds one readable version;
    // the aggregate is rebuilt (and vacuumed) all the same.
    const compiled = await shop.compile();
    const nobody = parseSubject('customer_id=C9');
    const erasure = erasurePlan(compiled.manifest, compiled.plan, keyColumnsOf(compiled.manifest, nobody, shop.dir));
    const second = await eraseLocal({ projectDir: shop.dir, ...compiled, erasure, subject: nobody, spark: spark!.engine });
    expect(second.tables.map((t) => [t.relation, t.rowsRemoved, t.versionsVacuumed])).toEqual([
      ['bronze.shop_orders', 0, undefined],
      ['silver.stg_orders', 0, undefined],
      ['gold.customer_spend', 0, undefined],
      ['gold.daily_revenue', 0, 1],
      ['gold.order_products', 0, undefined],
    ]);
    for (const t of TABLES.filter((x) => x !== 'gold.daily_revenue')) expect(sorted(await current(t)), t).toEqual(sorted(before.get(t)!.filter((r) => !holdsSubject(r))));
  }, 2_400_000);
});
