/**
 * Retention and the SOX audit trail on a real Spark (the run's shared Thrift server), through the
 * CLI for retention: dated ledger rows (older than 7 years, exactly at the cutoff, newer) and bronze
 * partitions (older than 3 years, at the cutoff, newer). A dry run counts and changes nothing;
 * `etl retention run` deletes exactly the expired rows and partitions (catalog and files) and nothing
 * else; the Delta retention properties are on the table. Two builds of the sox ledger leave two audit
 * records with the plan's checksum and the rows each build wrote.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { planChecksum } from '../../runtime/governance/audit/after-build.js';
import { fixture, meta, REPO, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let sql: SparkSession;
let fx: Fixture;

const SOURCE = 'source.shop.ledger';
const AS_OF = '2026-06-30';
const line = (txn_id: string, txn_date: string) => ({ ...meta('2026-06-01T00:00:00Z'), txn_id, txn_date, amount: '10.00', updated_at: '2026-06-01T00:00:00Z' });

beforeAll(async () => {
  spark = await sharedSpark();
  sql = spark.sql;
  // The fixture lives beside this spec; the Spark helpers copy it into their scratch folder.
  fx = fixture('../../governance/fixtures/retention', 'retention');
  // Bronze: 3 years back from 2026-06-30 is 2023-06-30, kept; the day before expires.
  await fx.land(SOURCE, '2023-06-29', [line('T1', '2019-06-29'), line('T2', '2019-06-30')]);
  await fx.land(SOURCE, '2023-06-30', [line('T3', '2020-01-01')]);
  await fx.land(SOURCE, '2026-06-01', [line('T4', '2026-05-31')]);
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;
const ids = async (table: string) => (await rows(`SELECT txn_id FROM ${table} ORDER BY txn_id`)).map((r) => String(r.txn_id));

function etl(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [join(REPO, 'bin', 'etl.js'), ...args, '--project', fx.dir], { env: { ...process.env, ETL_SPARK_THRIFT: spark!.thrift, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('retention and audit on Spark', () => {
  it('two builds of a sox model leave two audit records with the plan checksum and rows written', async () => {
    const first = await fx.build(spark!.engine);
    expect(first.results.success).toBe(true);
    const second = await fx.build(spark!.engine);
    expect(second.results.success).toBe(true);
    const { plan } = await fx.compile();
    const audit = await rows('SELECT model_id, relation, plan_checksum, mode, rows_changed, built_by FROM silver._audit_builds ORDER BY built_at');
    expect(audit.map((r) => [r.model_id, r.relation, r.plan_checksum, r.mode, Number(r.rows_changed)])).toEqual([
      ['model.ledger', 'silver.ledger', planChecksum(plan), 'full', 4],
      ['model.ledger', 'silver.ledger', planChecksum(plan), 'full', 4],
    ]);
    expect(String(audit[0]!.built_by)).not.toBe('');
    // Append-only by Delta itself.
    await expect(sql.query('DELETE FROM silver._audit_builds')).rejects.toThrow(/APPEND_ONLY|appendOnly|only allow appends/i);
  });

  it('sets the Delta retention properties on the table', async () => {
    const props = Object.fromEntries((await rows('SHOW TBLPROPERTIES silver.ledger')).map((r) => [String(r.key), String(r.value)]));
    expect(props['delta.logRetentionDuration']).toBe('interval 30 days');
    expect(props['delta.deletedFileRetentionDuration']).toBe('interval 7 days');
  });

  it('a dry run counts what would go and changes nothing', async () => {
    const dry = await etl(['retention', 'run', '--dry-run', '--as-of', AS_OF]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('bronze.shop_ledger (ingest_date before 2023-06-30, 3 years): would delete 2 row(s) in 1 partition(s): 2023-06-29');
    expect(dry.stdout).toContain('silver.ledger (txn_date before 2019-06-30, 7 years): would delete 1 row(s)');
    expect(await ids('silver.ledger')).toEqual(['T1', 'T2', 'T3', 'T4']);
    expect(readdirSync(bronzeDir()).sort()).toEqual(['ingest_date=2023-06-29', 'ingest_date=2023-06-30', 'ingest_date=2026-06-01']);
  });

  it('deletes exactly the expired rows and bronze partitions', async () => {
    const before = Number((await rows('SELECT count(*) AS n FROM silver._audit_builds'))[0]!.n);
    const run = await etl(['retention', 'run', '--as-of', AS_OF]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('silver.ledger (txn_date before 2019-06-30, 7 years): deleted 1 row(s)');
    // T1 (2019-06-29) expired; T2 exactly at the cutoff is kept.
    expect(await ids('silver.ledger')).toEqual(['T2', 'T3', 'T4']);
    expect(readdirSync(bronzeDir()).sort()).toEqual(['ingest_date=2023-06-30', 'ingest_date=2026-06-01']);
    expect(await ids('bronze.shop_ledger')).toEqual(['T3', 'T4']);
    const history = await rows('DESCRIBE HISTORY silver.ledger');
    expect(history.map((h) => String(h.operation))).toContain('DELETE');
    const recorded = JSON.parse(readFileSync(join(fx.dir, 'target', 'retention_results.json'), 'utf8')) as { tables: Array<{ relation: string; status: string; expiredRows: number; partitions?: string[]; statements: string[] }> };
    expect(recorded.tables.map((t) => [t.relation, t.status, t.expiredRows, t.partitions ?? null])).toEqual([
      ['bronze.shop_ledger', 'deleted', 2, ['2023-06-29']],
      ['silver.ledger', 'deleted', 1, null],
    ]);
    expect(recorded.tables[1]!.statements).toEqual(['DELETE FROM `silver`.`ledger`\nWHERE `txn_date` < DATE \'2019-06-30\'', 'VACUUM `silver`.`ledger` RETAIN 168 HOURS']);
    // Retention never touches the audit trail.
    expect(Number((await rows('SELECT count(*) AS n FROM silver._audit_builds'))[0]!.n)).toBe(before);
  });
});

function bronzeDir(): string {
  return join(fx.dir, 'data', 'warehouse', 'bronze', 'shop', 'ledger');
}
