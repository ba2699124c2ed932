/**
 * Backfills and data diff on the run's shared Spark 3.5 + Delta 3.3: an incremental model
 * partitioned by day over five days. A backfill of two days after their source rows changed
 * replaces those two partitions only (other days' rows and files untouched, one Delta commit per
 * batch); a backfill whose fourth batch fails records three batches, and the same command resumes at
 * the fourth; the intervals say what is missing. `diff-data` between the version before the backfill
 * and now counts exactly the prepared changes; `show --as-of` reads the old rows.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planBackfill } from '../../compiler/plan/backfill.js';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { runBackfill } from '../../runtime/runner/backfill.js';
import { dataDiff, showAsOf } from '../../runtime/runner/data-diff.js';
import { intervalReport } from '../../runtime/runner/interval-report.js';
import { collector, fixture, meta, REPO, type Fixture } from '../spark/helpers.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';

let spark: SharedSpark | undefined;
let sql: SparkSession;
let shop: Fixture;

const ORDERS = 'source.shop.orders';
const TABLE = 'silver.orders_daily';
const order = (order_id: string, order_day: string, amount: string, status = 'open') => ({ ...meta('2026-01-10T00:00:00Z'), order_id, order_day, amount, status, updated_at: '2026-01-10T00:00:00Z' });

/** Two orders a day, 2026-01-01 to 2026-01-05. */
const original = () => ['01', '02', '03', '04', '05'].flatMap((d) => [order(`${d}a`, `2026-01-${d}`, '10.00'), order(`${d}b`, `2026-01-${d}`, '20.00')]);

beforeAll(async () => {
  spark = await sharedSpark();
  sql = spark.sql;
  shop = fixture('../../modelling/fixtures/backfill', 'backfill');
  await shop.land(ORDERS, '2026-01-10', original());
  const { results } = await shop.build(spark.engine, { select: ['orders_daily'] });
  expect(results.success).toBe(true);
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const rows = async (query: string) => (await sql.query(query)).rows;
const tableRows = async () => (await rows(`SELECT order_id, CAST(order_date AS STRING) AS d, CAST(amount AS STRING) AS amount, status FROM ${TABLE} ORDER BY order_id`)).map((r) => `${r.order_id} ${r.d} ${r.amount} ${r.status}`);
const filesOf = async (day: string) => (await rows(`SELECT DISTINCT input_file_name() AS f FROM ${TABLE} WHERE order_date = DATE '${day}'`)).map((r) => String(r.f)).sort();
const latestVersion = async () => Number((await rows(`DESCRIBE HISTORY ${TABLE} LIMIT 1`))[0]!.version);

async function backfill(start: string, end: string) {
  const { manifest, plan } = await shop.compile();
  const { diagnostics, jobs } = planBackfill(manifest, plan, { projectDir: shop.dir, models: ['model.orders_daily'], start, end, today: '2026-02-01' });
  expect(diagnostics).toEqual([]);
  const reporter = collector();
  const outcome = await runBackfill({ projectDir: shop.dir, manifest, plan, jobs, reporter, spark: spark!.engine });
  return { outcome, ends: reporter.events.filter((e) => e.event === 'node_end').map((e) => `${e.name} ${e.status}`) };
}
const intervals = async () => {
  const { manifest, plan } = await shop.compile();
  const node = plan.nodes['model.orders_daily'];
  if (node?.kind !== 'model') throw new Error('no node');
  return intervalReport(shop.dir, manifest.target.name, 'orders_daily', node, '2026-01-06');
};

let beforeBackfill = 0;

describe('backfill of a date range', () => {
  it('replaces only the partitions of the range, one commit per batch', async () => {
    beforeBackfill = await latestVersion();
    const untouched = { d1: await filesOf('2026-01-01'), d4: await filesOf('2026-01-04'), d5: await filesOf('2026-01-05') };
    const touched = await filesOf('2026-01-02');
    // Source rows of 01-02 and 01-03 change (and of 01-05, which the backfill must not pick up).
    const changed = original()
      .filter((r) => r.order_id !== '03b')
      .map((r) => (r.order_id === '02a' ? { ...r, amount: '11.00' } : r.order_id === '02b' ? { ...r, status: 'shipped' } : r.order_id === '03a' ? { ...r, amount: '31.00', status: 'shipped' } : r.order_id === '05a' ? { ...r, amount: '99.00' } : r));
    await shop.land(ORDERS, '2026-01-10', [...changed, order('02c', '2026-01-02', '5.00')]);

    const { outcome, ends } = await backfill('2026-01-02', '2026-01-04');
    expect(outcome.success).toBe(true);
    expect(ends).toEqual(['silver.orders_daily [2026-01-02, 2026-01-03) success', 'silver.orders_daily [2026-01-03, 2026-01-04) success']);
    expect(await tableRows()).toEqual([
      '01a 2026-01-01 10.00 open',
      '01b 2026-01-01 20.00 open',
      '02a 2026-01-02 11.00 open',
      '02b 2026-01-02 20.00 shipped',
      '02c 2026-01-02 5.00 open',
      '03a 2026-01-03 31.00 shipped',
      '04a 2026-01-04 10.00 open',
      '04b 2026-01-04 20.00 open',
      '05a 2026-01-05 10.00 open',
      '05b 2026-01-05 20.00 open',
    ]);
    expect({ d1: await filesOf('2026-01-01'), d4: await filesOf('2026-01-04'), d5: await filesOf('2026-01-05') }).toEqual(untouched);
    expect(await filesOf('2026-01-02')).not.toEqual(touched);
    const history = (await rows(`DESCRIBE HISTORY ${TABLE}`)).filter((h) => Number(h.version) > beforeBackfill);
    expect(history.map((h) => String(h.operation))).toEqual(['WRITE', 'WRITE']);
    // Each commit removed the files of its own day only: the predicate names the batch.
    const predicates = history.map((h) => String((h.operationParameters as Record<string, unknown> | string) && JSON.stringify(h.operationParameters))).sort();
    expect(predicates[0]).toContain('2026-01-02');
    expect(predicates[1]).toContain('2026-01-03');
    expect(await intervals()).toMatchObject({ processed: [{ start: '2026-01-02', end: '2026-01-04' }], pending: null, missing: [{ start: '2026-01-01', end: '2026-01-02' }, { start: '2026-01-04', end: '2026-01-06' }] });
  }, 300_000);

  it('stops at a failing batch, records the batches done, and the same command resumes at the failed one', async () => {
    const poisoned = original().map((r) => (r.order_id === '04b' ? { ...r, status: 'poison' } : r));
    await shop.land(ORDERS, '2026-01-10', poisoned);
    const first = await backfill('2026-01-01', '2026-01-06');
    expect(first.outcome.success).toBe(false);
    expect(first.ends).toEqual([
      'silver.orders_daily [2026-01-01, 2026-01-02) success',
      'silver.orders_daily [2026-01-02, 2026-01-03) success',
      'silver.orders_daily [2026-01-03, 2026-01-04) success',
      'silver.orders_daily [2026-01-04, 2026-01-05) error',
    ]);
    const stopped = await intervals();
    expect(stopped.processed).toEqual([{ start: '2026-01-01', end: '2026-01-04' }]);
    expect(stopped.missing).toEqual([{ start: '2026-01-04', end: '2026-01-06' }]);
    expect(stopped.pending?.done.length).toBe(3);
    expect(stopped.pending?.failed?.batch).toEqual({ start: '2026-01-04', end: '2026-01-05' });
    expect(stopped.pending?.failed?.message).toContain('poison order 04b');

    await shop.land(ORDERS, '2026-01-10', original());
    const version = await latestVersion();
    const second = await backfill('2026-01-01', '2026-01-06');
    expect(second.outcome.success).toBe(true);
    expect(second.ends).toEqual([
      'silver.orders_daily [2026-01-01, 2026-01-02) skipped',
      'silver.orders_daily [2026-01-02, 2026-01-03) skipped',
      'silver.orders_daily [2026-01-03, 2026-01-04) skipped',
      'silver.orders_daily [2026-01-04, 2026-01-05) success',
      'silver.orders_daily [2026-01-05, 2026-01-06) success',
    ]);
    expect((await latestVersion()) - version).toBe(2);
    expect(await intervals()).toMatchObject({ processed: [{ start: '2026-01-01', end: '2026-01-06' }], missing: [], pending: null });
  }, 300_000);
});

describe('data diff and time travel', () => {
  it('counts exactly the rows added, removed and changed by the first backfill, per column', async () => {
    const { manifest } = await shop.compile();
    // The table after the first backfill: the version before the failing run's first batch.
    const afterFirst = beforeBackfill + 2;
    const report = await dataDiff({
      projectDir: shop.dir,
      manifest,
      model: 'orders_daily',
      from: { label: `version ${beforeBackfill}`, relation: TABLE, asOf: { by: 'version', version: beforeBackfill } },
      to: { label: `version ${afterFirst}`, relation: TABLE, asOf: { by: 'version', version: afterFirst } },
      key: ['order_id'],
      sampleSize: 5,
      spark: spark!.engine,
    });
    expect({ rows: report.rows, added: report.added, removed: report.removed, changed: report.changed, unchanged: report.unchanged }).toEqual({ rows: { from: 10, to: 10 }, added: 1, removed: 1, changed: 3, unchanged: 6 });
    expect(report.columns).toEqual([
      { name: 'order_date', changed: 0 },
      { name: 'amount', changed: 2 },
      { name: 'status', changed: 2 },
    ]);
    expect(report.samples.added).toEqual([{ order_id: '02c', order_date: '2026-01-02', amount: '5.00', status: 'open' }]);
    expect(report.samples.removed).toEqual([{ order_id: '03b', order_date: '2026-01-03', amount: '20.00', status: 'open' }]);
    expect(report.samples.changed.map((r) => [r.order_id, r.amount, r.amount__to, r.status, r.status__to])).toEqual([
      ['02a', '10.00', '11.00', 'open', 'open'],
      ['02b', '20.00', '20.00', 'open', 'shipped'],
      ['03a', '10.00', '31.00', 'open', 'shipped'],
    ]);
  }, 120_000);

  it('diff-data --version --json through the CLI, and show --as-of reads the old rows', async () => {
    // Now the table holds the original rows again (the later backfills read the original source).
    const cli = await etl(['diff-data', 'orders_daily', '--version', String(beforeBackfill + 2), '--json']);
    expect(cli.status).toBe(0);
    const report = JSON.parse(cli.stdout);
    expect({ added: report.added, removed: report.removed, changed: report.changed, unchanged: report.unchanged }).toEqual({ added: 1, removed: 1, changed: 3, unchanged: 6 });
    expect(report.samples.added.map((r: Record<string, string>) => r.order_id)).toEqual(['03b']);
    const { manifest } = await shop.compile();
    const old = await showAsOf({ projectDir: shop.dir, manifest, relation: TABLE, columns: manifest.models['model.orders_daily']!.columns, asOf: { by: 'version', version: beforeBackfill }, limit: 100, spark: spark!.engine });
    expect(old.rows.map((r) => `${r.order_id} ${r.amount}`).sort()).toEqual(original().map((r) => `${r.order_id} ${r.amount}`).sort());
  }, 200_000);
});

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
