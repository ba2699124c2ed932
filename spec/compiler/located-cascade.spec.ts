/**
 * Issue 10, root causes first: a failed model or source, or a disabled model, is reported once at
 * its cause; models downstream are not analysed and are folded into one ETL147 line per cause
 * (never "Unknown model ... did you mean" about a model that exists, never a hint to write what is
 * already written); diagnostics come causes first, in the compile result and as the CLI prints them.
 */
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { fixture, runEtl } from './helpers.js';

const compile = () => compileProject({ projectDir: fixture('located-cascade'), cache: false });

describe('cascades', () => {
  it('each cause once, in cause order, cascades folded', async () => {
    const r = await compile();
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      "ETL112 error sources/crm.ts:7:11 Unknown source system 'salesforse' in source crm",
      "ETL142 error models/silver/stg_orders.sql:3:21 Unknown var 'min_dat'",
      'ETL147 warning sources/crm.ts:10:5 1 model not analysed because source crm.leads failed: stg_leads',
      "ETL146 error models/gold/customer_orders.sql:2:6 Model 'stg_customers' is disabled (enabled: false in models/silver/stg_customers.yml:3), so customer_orders cannot read it",
      'ETL147 warning models/silver/stg_orders.sql:1:1 2 models not analysed because model stg_orders failed: order_totals, orders_enriched',
    ]);
  });

  it('ETL146 a ref to a disabled model says so, with where it is disabled', async () => {
    const d = (await compile()).diagnostics.find((x) => x.code === 'ETL146')!;
    expect(d.related).toEqual([{ file: 'models/silver/stg_customers.yml', line: 3, column: 12, message: 'stg_customers is disabled here' }]);
    expect(d.frame).toContain('> 2 | FROM {{ref "stg_customers"}} AS c\n    |      ^');
  });

  it('ETL147 lists where each folded model reads the failed one', async () => {
    const d = (await compile()).diagnostics.find((x) => x.code === 'ETL147' && x.file === 'models/silver/stg_orders.sql')!;
    expect(d.related).toEqual([
      { file: 'models/gold/order_totals.sql', line: 2, column: 6, message: 'order_totals is not analysed' },
      { file: 'models/silver/orders_enriched.sql', line: 2, column: 6, message: 'orders_enriched is not analysed' },
    ]);
  });

  it('the CLI prints the root cause first', async () => {
    const r = await runEtl(['compile', '--project', fixture('located-cascade'), '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe("sources/crm.ts:7:11 error ETL112: Unknown source system 'salesforse' in source crm");
    expect(r.stderr).not.toMatch(/ETL14[01]|ETL160/);
  });
});
