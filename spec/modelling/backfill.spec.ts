/**
 * Backfill requests and config, without Spark: the compile-time checks of time_column / batch_size
 * (ETL443-ETL446, at the config in the model file), the --start/--end checks (ETL440-ETL442,
 * ETL447-ETL449) through the CLI and the function it calls, batches of each size, and interval
 * arithmetic (what is missing of a range).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { planBackfill } from '../../compiler/plan/backfill.js';
import { batches, missingIntervals } from '../../compiler/plan/intervals.js';
import { runEtl } from '../compiler/helpers.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const at = (ds: Array<{ code: string; severity: string; file?: string; line?: number; column?: number }>) => ds.map((d) => ({ code: d.code, severity: d.severity, file: d.file, line: d.line, column: d.column }));

describe('backfill config', () => {
  it('reports a time_column that is not a date, on a table, missing, or not a partition, at the config', async () => {
    const result = await compileProject({ projectDir: join(FIXTURES, 'backfill-bad') });
    expect(at(result.diagnostics.filter((d) => /^ETL44/.test(d.code)))).toEqual([
      { code: 'ETL443', severity: 'error', file: 'models/silver/no_time.sql', line: 1, column: 59 },
      { code: 'ETL444', severity: 'error', file: 'models/silver/string_day.sql', line: 1, column: 97 },
      { code: 'ETL445', severity: 'error', file: 'models/silver/table_day.sql', line: 1, column: 31 },
      { code: 'ETL446', severity: 'warning', file: 'models/silver/table_day.sql', line: 1, column: 31 },
    ]);
  });

  it('compiles a time-partitioned incremental model into a backfill spec on its plan node', async () => {
    const result = await compileProject({ projectDir: join(FIXTURES, 'backfill') });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const node = result.plan.nodes['model.orders_daily'];
    expect(node?.kind === 'model' && { column: node.backfill?.column, batchSize: node.backfill?.batchSize, start: node.backfill?.start }).toEqual({ column: 'order_date', batchSize: 'day', start: '2026-01-01' });
    const table = result.plan.nodes['model.orders_table'];
    expect(table?.kind === 'model' && table.backfill).toBeUndefined();
  });
});

describe('backfill requests', () => {
  const request = async (models: string[], start: string | undefined, end: string | undefined, fullRefresh = false) => {
    const dir = join(FIXTURES, 'backfill');
    const { manifest, plan } = await compileProject({ projectDir: dir });
    return planBackfill(manifest, plan, { projectDir: dir, models, start, end, fullRefresh, today: '2026-02-01' });
  };

  it('refuses --start after --end, non-dates, --end alone, --full-refresh and an empty selection', async () => {
    expect((await request(['model.orders_daily'], '2026-01-05', '2026-01-02')).diagnostics.map((d) => d.code)).toEqual(['ETL440']);
    expect((await request(['model.orders_daily'], '2026-01-05', '2026-01-05')).diagnostics.map((d) => d.code)).toEqual(['ETL440']);
    expect((await request(['model.orders_daily'], '2026-02-30', 'yesterday')).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['ETL442', "--start '2026-02-30' is not a date"],
      ['ETL442', "--end 'yesterday' is not a date"],
    ]);
    expect((await request(['model.orders_daily'], undefined, '2026-01-05')).diagnostics.map((d) => d.code)).toEqual(['ETL447']);
    expect((await request(['model.orders_daily'], '2026-01-01', '2026-01-05', true)).diagnostics.map((d) => d.code)).toEqual(['ETL448']);
    expect((await request([], '2026-01-01', '2026-01-05')).diagnostics.map((d) => d.code)).toEqual(['ETL449']);
  });

  it('refuses a model without a time column, at its config', async () => {
    const { diagnostics, jobs } = await request(['model.orders_daily', 'model.orders_table'], '2026-01-01', '2026-01-03');
    expect(jobs).toEqual([]);
    expect(at(diagnostics)).toEqual([{ code: 'ETL441', severity: 'error', file: 'models/silver/orders_table.sql', line: 1, column: 10 }]);
  });

  it('cuts the range into one batch per day, --end excluded, defaulting to tomorrow', async () => {
    const { jobs } = await request(['model.orders_daily'], '2026-01-30', undefined);
    expect(jobs.map((j) => j.batches)).toEqual([
      [
        { start: '2026-01-30', end: '2026-01-31' },
        { start: '2026-01-31', end: '2026-02-01' },
      ],
    ]);
  });

  it('rejects a bad range through the CLI before any Spark starts, with the code and exit 1', async () => {
    const r = await runEtl(['build', '--project', join(FIXTURES, 'backfill'), '--select', 'orders_daily', '--start', '2026-01-05', '--end', '2026-01-02'], 90_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error ETL440: --start 2026-01-05 is not before --end 2026-01-02');
    expect(r.stdout + r.stderr).not.toMatch(/Spark (started|reused)/);
  }, 100_000);
});

describe('batches and intervals', () => {
  it('cuts weeks at Mondays, months at the first, N days from the start; clips the ends', () => {
    const range = { start: '2026-01-01', end: '2026-02-10' };
    expect(batches(range, 'week').slice(0, 2)).toEqual([
      { start: '2026-01-01', end: '2026-01-05' },
      { start: '2026-01-05', end: '2026-01-12' },
    ]);
    expect(batches(range, 'week').at(-1)).toEqual({ start: '2026-02-09', end: '2026-02-10' });
    expect(batches(range, 'month')).toEqual([
      { start: '2026-01-01', end: '2026-02-01' },
      { start: '2026-02-01', end: '2026-02-10' },
    ]);
    expect(batches({ start: '2026-01-01', end: '2026-01-08' }, 3)).toEqual([
      { start: '2026-01-01', end: '2026-01-04' },
      { start: '2026-01-04', end: '2026-01-07' },
      { start: '2026-01-07', end: '2026-01-08' },
    ]);
  });

  it('finds what a range is missing of processed intervals', () => {
    const done = [
      { start: '2026-01-03', end: '2026-01-05' },
      { start: '2026-01-01', end: '2026-01-02' },
      { start: '2026-01-05', end: '2026-01-06' },
    ];
    expect(missingIntervals({ start: '2026-01-01', end: '2026-01-09' }, done)).toEqual([
      { start: '2026-01-02', end: '2026-01-03' },
      { start: '2026-01-06', end: '2026-01-09' },
    ]);
  });
});
