/**
 * Exposures (`exposures/*.ts` with defineExposure): recorded in the manifest with their file; a
 * schema problem, an unknown model or column and a duplicate name are diagnostics at the value the
 * user wrote, with did-you-mean; a manifest written before exposures reads as having none.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../../runtime/plan/read-compiled.js';
import { compileFixture, plain } from './helpers.js';

describe('exposures', () => {
  it('are recorded in the manifest by id, with the model ids and columns they read', async () => {
    const r = await compileFixture('diff-base');
    expect(r.diagnostics).toEqual([]);
    expect(r.manifest.exposures).toEqual({
      'exposure.customer_list': {
        id: 'exposure.customer_list',
        name: 'customer_list',
        type: 'application',
        tool: 'other',
        owner: { name: 'CRM Team', email: 'crm@example.com' },
        depends: [{ model: 'model.dim_customers', columns: ['customer_id', 'email'] }],
        file: 'exposures/customers.ts',
      },
      'exposure.revenue_dashboard': {
        id: 'exposure.revenue_dashboard',
        name: 'revenue_dashboard',
        type: 'dashboard',
        tool: 'quicksight',
        owner: { name: 'Finance Analytics', email: 'finance-analytics@example.com' },
        url: 'https://quicksight.example.com/dashboards/revenue',
        description: 'Daily revenue by region.',
        depends: [{ model: 'model.mart_revenue', columns: ['region', 'order_date', 'revenue'] }],
        file: 'exposures/revenue.ts',
      },
    });
  });

  it('unknown models and columns, a bad tool and a duplicate name are located in the exposure file', async () => {
    const r = await compileFixture('exposures-broken');
    expect(r.ok).toBe(false);
    expect(plain(r.diagnostics)).toEqual([
      {
        code: 'ETL214',
        severity: 'error',
        message: "Exposure revenue reads unknown column 'revenu' of mart_revenue",
        file: 'exposures/dashboards.ts',
        line: 11,
        column: 52,
        hint: "Did you mean 'revenue'?",
      },
      {
        code: 'ETL213',
        severity: 'error',
        message: "Exposure revenue reads unknown model 'stg_order'",
        file: 'exposures/dashboards.ts',
        line: 12,
        column: 12,
        hint: "Did you mean 'stg_orders'?",
      },
      {
        code: 'ETL214',
        severity: 'error',
        message: "Exposure orders reads unknown column 'amount_usd' of stg_orders",
        file: 'exposures/dashboards.ts',
        line: 21,
        column: 66,
        hint: 'Columns of stg_orders: order_id, amount, order_date.',
      },
      {
        code: 'ETL215',
        severity: 'error',
        message: 'Exposure orders is declared twice (also in exposures/dashboards.ts)',
        file: 'exposures/duplicate.ts',
        line: 5,
        column: 9,
        hint: 'Give each exposure a unique name.',
      },
      {
        code: 'ETL212',
        severity: 'error',
        message: 'Invalid tool of exposure exec_kpis: Invalid option: expected one of "quicksight"|"tableau"|"powerbi"|"looker"|"other"',
        file: 'exposures/invalid.ts',
        line: 8,
        column: 9,
        hint: "Did you mean 'quicksight'?",
      },
    ]);
    const unknownModel = r.diagnostics.find((d) => d.code === 'ETL213')!;
    expect(unknownModel.frame!.split('\n').slice(2, 4)).toEqual(["> 12 |     { ref: 'stg_order', columns: ['amount'] },", '     |            ^']);
  });

  it('a manifest written before exposures reads as having none', async () => {
    const r = await compileFixture('diff-base');
    const { exposures: _exposures, ...older } = r.manifest;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-exposures-'));
    try {
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify(older));
      const read = readManifest(path.join(dir, 'manifest.json'));
      expect(read.exposures).toEqual({});
      expect(Object.keys(read.models)).toEqual(Object.keys(r.manifest.models));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
