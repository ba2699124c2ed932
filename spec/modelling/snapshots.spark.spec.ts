/**
 * Snapshots (SCD type 2) on a real Spark 3.5.6 + Delta 3.3.2 (the run's shared Thrift server):
 * three builds over changing bronze data (an unchanged row, a changed row, a hard-deleted row that
 * later comes back, a new key), with the exact history rows after each, for the timestamp strategy
 * (SQL snapshot, hard deletes invalidated) and the check strategy (TypeScript snapshot); then a
 * re-run on unchanged data and a --full-refresh, neither of which changes a row.
 */
import { appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { byId, fixture, meta, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;
let sql: SparkSession;
let project: Fixture;

const ACCOUNTS = 'source.crm.accounts';
const account = (account_id: string, name: string, tier: string, modified: string, day: string) => ({
  ...meta(`${day}T06:00:00Z`, `run-${day}`),
  account_id,
  name,
  tier,
  last_modified_date: `${modified}Z`,
});

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
  sql = spark.sql;
  await sql.execute("SET spark.sql.session.timeZone = UTC");
  project = fixture('snapshots', 'snapshots');
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const fmt = (col: string) => `date_format(${col}, 'yyyy-MM-dd HH:mm:ss')`;
const rows = async (query: string) => (await sql.query(query)).rows;
/** The timestamp snapshot's history; the build-time valid_to of a hard delete is checked apart. */
const accountHistory = () =>
  rows(`SELECT account_id, name, tier, ${fmt('valid_from')} AS valid_from, ${fmt('valid_to')} AS valid_to, is_current FROM silver.snap_accounts ORDER BY account_id, valid_from`);
const tierHistory = () => rows(`SELECT account_id, tier, valid_from, valid_to, is_current FROM silver.snap_account_tiers ORDER BY account_id, valid_from`);
const h = (account_id: string, name: string, tier: string, valid_from: string, valid_to: string | null, is_current: boolean) => ({ account_id, name, tier, valid_from, valid_to, is_current });

/** Progress with timings, for a slow machine: ETL_SPEC_PROGRESS=FILE appends a line per build. */
const progress = (line: string) => process.env.ETL_SPEC_PROGRESS && appendFileSync(process.env.ETL_SPEC_PROGRESS, `${new Date().toISOString()} ${line}\n`);

async function buildOk(opts: { fullRefresh?: boolean } = {}): Promise<{ started: number; ended: number }> {
  const started = Date.now();
  const { results } = await project.build(engine, opts);
  progress(`build${opts.fullRefresh ? ' --full-refresh' : ''}: ${Date.now() - started} ms`);
  const r = byId(results);
  for (const id of ['model.snap_accounts', 'model.snap_account_tiers', 'model.account_tier_changes']) expect(r.get(id)?.status, `${id}: ${r.get(id)?.message}`).toBe('success');
  return { started, ended: Date.now() };
}

/** Within a build's wall-clock window (a second of slack for Spark's clock and rounding). */
const within = (value: unknown, w: { started: number; ended: number }) => {
  const t = new Date(`${String(value).replace(' ', 'T')}Z`).getTime();
  expect(t).toBeGreaterThanOrEqual(w.started - 1000);
  expect(t).toBeLessThanOrEqual(w.ended + 1000);
};

describe('snapshots', () => {
  it('keeps exact history across three builds, and a re-run or a full refresh changes nothing', { timeout: 1_200_000 }, async () => {
    // Build 1: three accounts.
    await project.land(ACCOUNTS, '2026-01-01', [
      account('A1', 'Acme', 'gold', '2026-01-01T10:00:00', '2026-01-01'),
      account('A2', 'Beta', 'silver', '2026-01-01T11:00:00', '2026-01-01'),
      account('A3', 'Gamma', 'bronze', '2026-01-01T12:00:00', '2026-01-01'),
    ]);
    await buildOk();
    expect(await accountHistory()).toEqual([
      h('A1', 'Acme', 'gold', '2026-01-01 10:00:00', null, true),
      h('A2', 'Beta', 'silver', '2026-01-01 11:00:00', null, true),
      h('A3', 'Gamma', 'bronze', '2026-01-01 12:00:00', null, true),
    ]);
    const tiers1 = await tierHistory();
    expect(tiers1.map((r) => [r.account_id, r.tier, r.valid_to, r.is_current])).toEqual([
      ['A1', 'gold', null, true],
      ['A2', 'silver', null, true],
      ['A3', 'bronze', null, true],
    ]);

    // Build 2: A1 unchanged, A2 changed, A3 deleted, A4 new.
    await project.land(ACCOUNTS, '2026-01-02', [
      account('A1', 'Acme', 'gold', '2026-01-01T10:00:00', '2026-01-02'),
      account('A2', 'Beta Corp', 'gold', '2026-01-02T09:00:00', '2026-01-02'),
      account('A4', 'Delta', 'silver', '2026-01-02T10:00:00', '2026-01-02'),
    ]);
    const build2 = await buildOk();
    const after2 = await accountHistory();
    const deletedAt = after2.find((r) => r.account_id === 'A3')?.valid_to;
    within(deletedAt, build2);
    expect(after2).toEqual([
      h('A1', 'Acme', 'gold', '2026-01-01 10:00:00', null, true),
      h('A2', 'Beta', 'silver', '2026-01-01 11:00:00', '2026-01-02 09:00:00', false),
      h('A2', 'Beta Corp', 'gold', '2026-01-02 09:00:00', null, true),
      h('A3', 'Gamma', 'bronze', '2026-01-01 12:00:00', String(deletedAt), false),
      h('A4', 'Delta', 'silver', '2026-01-02 10:00:00', null, true),
    ]);

    // Build 3: A2 changed again, A3 back, A1 and A4 unchanged.
    await project.land(ACCOUNTS, '2026-01-03', [
      account('A1', 'Acme', 'gold', '2026-01-01T10:00:00', '2026-01-03'),
      account('A2', 'Beta Corp', 'platinum', '2026-01-03T08:00:00', '2026-01-03'),
      account('A3', 'Gamma', 'bronze', '2026-01-03T07:00:00', '2026-01-03'),
      account('A4', 'Delta', 'silver', '2026-01-02T10:00:00', '2026-01-03'),
    ]);
    await buildOk();
    const after3 = [
      h('A1', 'Acme', 'gold', '2026-01-01 10:00:00', null, true),
      h('A2', 'Beta', 'silver', '2026-01-01 11:00:00', '2026-01-02 09:00:00', false),
      h('A2', 'Beta Corp', 'gold', '2026-01-02 09:00:00', '2026-01-03 08:00:00', false),
      h('A2', 'Beta Corp', 'platinum', '2026-01-03 08:00:00', null, true),
      h('A3', 'Gamma', 'bronze', '2026-01-01 12:00:00', String(deletedAt), false),
      h('A3', 'Gamma', 'bronze', '2026-01-03 07:00:00', null, true),
      h('A4', 'Delta', 'silver', '2026-01-02 10:00:00', null, true),
    ];
    expect(await accountHistory()).toEqual(after3);

    // The check strategy (tier only, hard deletes kept current): a version per tier change, each
    // closed at the next one's valid_from (the build's time), A3 untouched by its absence.
    const tiers3 = await tierHistory();
    expect(tiers3.map((r) => [r.account_id, r.tier, r.is_current])).toEqual([
      ['A1', 'gold', true],
      ['A2', 'silver', false],
      ['A2', 'gold', false],
      ['A2', 'platinum', true],
      ['A3', 'bronze', true],
      ['A4', 'silver', true],
    ]);
    const a2 = tiers3.filter((r) => r.account_id === 'A2');
    expect([a2[0]!.valid_to, a2[1]!.valid_to, a2[2]!.valid_to]).toEqual([a2[1]!.valid_from, a2[2]!.valid_from, null]);
    expect(tiers3.find((r) => r.account_id === 'A4')!.valid_from).toEqual(a2[1]!.valid_from);
    // A gold model reads the snapshot through ref().
    expect(await rows('SELECT account_id, versions FROM gold.account_tier_changes ORDER BY account_id')).toEqual([
      { account_id: 'A1', versions: 1 },
      { account_id: 'A2', versions: 3 },
      { account_id: 'A3', versions: 1 },
      { account_id: 'A4', versions: 1 },
    ]);

    // A re-run on unchanged data, then a --full-refresh: no row inserted or updated, history kept.
    const versionBefore = Number((await rows('DESCRIBE HISTORY silver.snap_accounts LIMIT 1'))[0]!.version);
    await buildOk();
    await buildOk({ fullRefresh: true });
    expect(await accountHistory()).toEqual(after3);
    expect(await tierHistory()).toEqual(tiers3);
    const commits = (await rows('DESCRIBE HISTORY silver.snap_accounts')).filter((r) => Number(r.version) > versionBefore);
    for (const c of commits) {
      const metrics = (typeof c.operationMetrics === 'string' ? JSON.parse(c.operationMetrics) : c.operationMetrics) as Record<string, string>;
      expect([c.operation, metrics.numTargetRowsInserted ?? '0', metrics.numTargetRowsUpdated ?? '0', metrics.numTargetRowsDeleted ?? '0']).toEqual(['MERGE', '0', '0', '0']);
    }
  });
});
