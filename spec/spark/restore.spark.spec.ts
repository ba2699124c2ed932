/**
 * `etl restore` and `etl replicate` on a real Spark 3.5.6 + Delta 3.3.2 (the run's shared Thrift
 * server): a table rebuilt with changed data is brought back by Delta time travel to the first build's
 * timestamp and version; a table whose files and Delta log are deleted is brought back from the
 * replica; views, ephemeral models, unknown models, a point before the first version and a missing
 * replica are refused with their diagnostic. The restores go through the CLI.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { RestoreError } from '../../runtime/restore/errors.js';
import { restoreLocal, type RestoreRequest } from '../../runtime/restore/restore-local.js';
import { fixture, meta, REPO, type Fixture } from './helpers.js';
import { sharedSpark, type SharedSpark } from './shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;
let sql: SparkSession;
let shop: Fixture;

const ORDERS = 'source.shop.orders';
const TABLE = 'silver.orders_table';
const order = (order_id: string, amount: string, status: string, updatedAt: string, extractedAt: string) => ({ ...meta(extractedAt), order_id, amount, status, updated_at: updatedAt });

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
  sql = spark.sql;
  shop = fixture('restore', 'restore');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;
const tableRows = () => rows(`SELECT order_id, amount, status FROM ${TABLE} ORDER BY order_id`);
const history = async () => (await rows(`DESCRIBE HISTORY ${TABLE}`)).map((r) => Number(r.version));

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** `etl ARGS --project <fixture>` against this file's Spark. */
function etl(args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn('node', [join(REPO, 'bin', 'etl.js'), ...args, '--project', shop.dir], { env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A restore through the function the CLI calls, on this file's Spark. */
let compiled: ReturnType<Fixture['compile']> | undefined;
async function restore(request: Partial<RestoreRequest> & { model: string }) {
  // The fixture's files do not change: one compile serves every call.
  const { manifest, plan } = await (compiled ??= shop.compile());
  return restoreLocal({ projectDir: shop.dir, manifest, plan, spark: engine, request: { fromReplica: false, dryRun: false, ...request } });
}

/** The diagnostic a restore is refused with. */
async function refusal(request: Partial<RestoreRequest> & { model: string }) {
  try {
    await restore(request);
  } catch (e) {
    if (e instanceof RestoreError) return e.diagnostic;
    throw e;
  }
  throw new Error(`restore of ${request.model} was not refused`);
}

describe('etl restore on Spark', () => {
  let firstRows: Array<Record<string, unknown>>;
  let firstVersion: number;
  let firstAt: string;

  it('time travel: a table rebuilt with changed data comes back as of the first build (--to, then --version)', async () => {
    await shop.land(ORDERS, '2026-01-05', [order('A', '10.00', 'NEW', '2026-01-05T01:00:00Z', '2026-01-05T06:00:00Z'), order('B', '20.00', 'paid', '2026-01-05T02:00:00Z', '2026-01-05T06:00:00Z')]);
    expect((await shop.build(engine)).results.success).toBe(true);
    firstRows = await tableRows();
    expect(firstRows).toEqual([
      { order_id: 'A', amount: '10.00', status: 'new' },
      { order_id: 'B', amount: '20.00', status: 'paid' },
    ]);
    firstVersion = Math.max(...(await history()));
    firstAt = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 1100));

    await shop.land(ORDERS, '2026-01-06', [order('A', '15.00', 'shipped', '2026-01-06T01:00:00Z', '2026-01-06T06:00:00Z'), order('C', '7.50', 'new', '2026-01-06T02:00:00Z', '2026-01-06T06:00:00Z')]);
    expect((await shop.build(engine)).results.success).toBe(true);
    const secondVersion = Math.max(...(await history()));
    expect(secondVersion).toBeGreaterThan(firstVersion);
    const secondRows = await tableRows();
    expect(secondRows).not.toEqual(firstRows);

    // The CLI: --to the instant recorded between the builds.
    const res = await etl(['restore', 'orders_table', '--to', firstAt, '--json']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ relation: TABLE, fromVersion: secondVersion, toVersion: firstVersion, newVersion: secondVersion + 1, rows: 2, statements: [`RESTORE TABLE \`silver\`.\`orders_table\` TO TIMESTAMP AS OF '${firstAt}'`] });
    expect(await tableRows()).toEqual(firstRows);

    // The same function with --version: a dry run checks the point and writes nothing; the restore
    // is a commit, so travelling to the second build's version undoes it, and back again.
    const dry = await restore({ model: 'orders_table', point: { by: 'version', version: secondVersion }, dryRun: true });
    expect(dry).toMatchObject({ toVersion: secondVersion, fromVersion: secondVersion + 1, statements: [`RESTORE TABLE \`silver\`.\`orders_table\` TO VERSION AS OF ${secondVersion}`], dryRun: true });
    expect(Math.max(...(await history()))).toBe(secondVersion + 1);
    await restore({ model: 'orders_table', point: { by: 'version', version: secondVersion } });
    expect(await tableRows()).toEqual(secondRows);
    expect(await restore({ model: 'orders_table', point: { by: 'version', version: firstVersion } })).toMatchObject({ toVersion: firstVersion, newVersion: secondVersion + 3 });
    expect(await tableRows()).toEqual(firstRows);
  }, 900_000);

  it('refuses views, ephemeral models, unknown models, a point before the first version and a missing replica', async () => {
    expect(await refusal({ model: 'stg_orders', point: { by: 'version', version: 0 } })).toMatchObject({ code: 'RESTORE_NOT_A_TABLE', file: 'models/silver/stg_orders.sql', line: 1, column: 10, hint: expect.stringContaining('etl build --select stg_orders') });
    expect(await refusal({ model: 'latest_orders', point: { by: 'version', version: 0 } })).toMatchObject({ code: 'RESTORE_NOT_A_TABLE', file: 'models/silver/latest_orders.sql', line: 1, column: 10, hint: expect.stringContaining('stg_orders') });
    expect(await refusal({ model: 'orders_tabel', point: { by: 'version', version: 0 } })).toMatchObject({ code: 'RESTORE_UNKNOWN_MODEL', hint: expect.stringContaining("'orders_table'") });
    expect(await refusal({ model: 'orders_table', point: { by: 'timestamp', timestamp: '2000-01-01T00:00:00.000Z' } })).toMatchObject({ code: 'RESTORE_BEFORE_FIRST_VERSION', hint: expect.stringMatching(/^pass --to \d{4}-/) });
    expect(await refusal({ model: 'orders_table', point: { by: 'version', version: 999 } })).toMatchObject({ code: 'RESTORE_NO_SUCH_VERSION' });
    expect(await refusal({ model: 'orders_table', fromReplica: true })).toMatchObject({ code: 'RESTORE_NO_REPLICA', hint: expect.stringContaining('etl replicate') });
    // The CLI prints the located diagnostic and exits 2 for a mistake in what was asked.
    const view = await etl(['restore', 'stg_orders', '--version', '0']);
    expect(view.status).toBe(2);
    expect(view.stderr).toContain('models/silver/stg_orders.sql:1:10');
    expect(view.stderr).toContain('RESTORE_NOT_A_TABLE');
  }, 600_000);

  it('a table whose data files and Delta log are deleted comes back from the replica with the same rows', async () => {
    const rep = await etl(['replicate', '--json']);
    expect(rep.status, rep.stderr).toBe(0);
    expect(JSON.parse(rep.stdout)).toMatchObject({ to: join(shop.dir, 'data', 'replica'), copied: expect.any(Number) });
    const recorded = await tableRows();
    expect(recorded).toEqual(firstRows);

    const dir = join(shop.dir, 'data', 'warehouse', 'silver', 'orders_table');
    for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true });
    expect(await refusal({ model: 'orders_table', point: { by: 'version', version: firstVersion } })).toMatchObject({ code: 'RESTORE_PRIMARY_LOST', hint: expect.stringContaining('etl restore orders_table --from-replica') });

    const res = await etl(['restore', 'orders_table', '--from-replica', '--json']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ replica: { location: join(shop.dir, 'data', 'replica', 'silver', 'orders_table'), unchanged: 0 }, rows: recorded.length, statements: [] });
    expect(out.replica.copied).toBeGreaterThan(0);
    expect(await tableRows()).toEqual(recorded);
  }, 600_000);
});
