/**
 * `etl diff` through the CLI: a reference target/ written by the compile's own writer for the base
 * project, then the branch version of the project diffed against it as Markdown (with --fail-on
 * breaking) and as --json (validated by the report's schema). Exit codes: 0 when the diff ran,
 * 1 with --fail-on breaking and a breaking change, 2 without --state.
 */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArtifacts } from '../../compiler/index.js';
import { DiffReportSchema } from '../../compiler/diff/report-schema.js';
import { compileDir, fixtureCopy, removeCopies } from './diff-helpers.js';
import { fixture, runEtl } from './helpers.js';

let project = '';
let state = '';

beforeAll(async () => {
  // Production: the base project compiled and written as `etl compile` writes it.
  const prod = await fixtureCopy();
  const compiled = await compileDir(prod);
  await writeArtifacts(compiled, prod);
  state = path.join(prod, 'target');
  // The pull request: another checkout of the project, edited.
  project = await fixtureCopy();
  await cp(fixture('diff-branch'), project, { recursive: true });
}, 120_000);
afterAll(removeCopies);

describe('etl diff (CLI)', () => {
  it('--format markdown prints a PR comment; --fail-on breaking exits 1', async () => {
    const r = await runEtl(['diff', '--project', project, '--state', state, '--format', 'markdown', '--fail-on', 'breaking'], 120_000);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('3 changed models against the reference (local): 2 breaking, 1 non-breaking.');
    const section = r.stdout.slice(r.stdout.indexOf('### `stg_orders`'));
    // The last section, to the end of the output.
    expect(section.split('\n')).toEqual([
      '### `stg_orders` (modified): 🔴 breaking',
      '',
      '| change | detail |',
      '| --- | --- |',
      '| column_renamed | order_date -> ordered_on |',
      '| column_retyped | amount: decimal(18,2) -> double |',
      '',
      '| impacted | |',
      '| --- | --- |',
      '| models | `fct_orders`, `mart_revenue` |',
      '| columns | fct_orders: amount, order_date<br>mart_revenue: order_date, orders, region, revenue |',
      '| tests | `test.fct_orders.not_null.amount`<br>`test.mart_revenue.not_null.revenue` |',
      '| exposures | `revenue_dashboard` |',
      '',
    ]);
  }, 150_000);

  it('--json prints the report (exit 0 without --fail-on: a breaking change is not an error)', async () => {
    const r = await runEtl(['diff', '--project', project, '--state', path.join(state, 'manifest.json'), '--json'], 120_000);
    expect(r.code).toBe(0);
    const report = DiffReportSchema.parse(JSON.parse(r.stdout));
    expect(report.models.map((m) => [m.name, m.category, m.impact.exposures])).toEqual([
      ['fct_orders', 'non-breaking', []],
      ['stg_customers', 'breaking', []],
      ['stg_orders', 'breaking', ['exposure.revenue_dashboard']],
    ]);
  }, 150_000);

  it('without --state: a usage error (exit 2)', async () => {
    const r = await runEtl(['diff', '--project', project], 60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Missing required flag state');
  }, 90_000);
});
