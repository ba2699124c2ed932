/**
 * `etl grants show ROLE` on the reference project, for each of the four roles of project.yaml,
 * against tables and columns checked by hand from the sources' classifications and lineage; and the
 * roles' located diagnostics (ETL320-ETL323) on a fixture project naming what does not exist.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { RoleGrantsSchema, type RoleGrants } from '../../compiler/governance/grants-schema.js';
import { plain, runEtl } from '../compiler/helpers.js';

const fixture = (name: string) => path.join(fileURLToPath(new URL('./fixtures/', import.meta.url)), name);

/** The reference project (the repository root); ETL_GRANTS_SPEC_PROJECT points at a copy of it. */
const PROJECT = process.env.ETL_GRANTS_SPEC_PROJECT ? ['--project', process.env.ETL_GRANTS_SPEC_PROJECT] : [];
const shown: Record<string, RoleGrants> = {};
let text = '';


const tables = (role: string) => shown[role]!.tables.map((t) => `${t.relation.database}.${t.relation.table}`).sort();
/** `column: access` of the role's view of a table ('-' when the role does not see the table). */
function access(role: string, table: string, columns: string[]): Record<string, string> {
  const t = shown[role]!.tables.find((x) => `${x.relation.database}.${x.relation.table}` === table);
  return Object.fromEntries(columns.map((c) => [c, t ? (t.columns.find((x) => x.name === c)?.access ?? 'no such column') : '-']));
}

describe('etl grants show on the reference project', () => {
  beforeAll(async () => {
    // One compile writes target/; every show after it reuses it (the nothing-changed compile).
    const compiled = await runEtl(['compile', ...PROJECT], 300_000);
    if (compiled.code !== 0) throw new Error(`etl compile exited ${compiled.code}:\n${compiled.stderr}`);
    const roles = ['data_engineer', 'data_analyst', 'business_user', 'crm_analyst'];
    const runs = await Promise.all(roles.map((role) => runEtl(['grants', 'show', role, '--json', ...PROJECT], 120_000)));
    runs.forEach((res, i) => {
      if (res.code !== 0) throw new Error(`etl grants show ${roles[i]} exited ${res.code}:\n${res.stderr}\n${res.stdout}`);
      shown[roles[i]!] = RoleGrantsSchema.parse(JSON.parse(res.stdout));
    });
    text = (await runEtl(['grants', 'show', 'business_user', ...PROJECT], 120_000)).stdout;
  }, 600_000);

  it('data_engineer: every bronze, silver and gold table, every column in clear', () => {
    // 9 bronze tables, 12 silver (10 staging models, 2 snapshots), 11 gold.
    expect(tables('data_engineer')).toHaveLength(32);
    expect(tables('data_engineer')).toEqual(expect.arrayContaining(['bronze.salesforce_leads', 'silver.stg_financial_transactions', 'gold.mart_customer_360']));
    expect(access('data_engineer', 'bronze.snowflake_customer_orders', ['customer_email', 'amount', 'order_id'])).toEqual({ customer_email: 'visible', amount: 'visible', order_id: 'visible' });
    expect(access('data_engineer', 'gold.fct_financial_transactions', ['gl_account', 'amount'])).toEqual({ gl_account: 'visible', amount: 'visible' });
    expect(shown['data_engineer']!.tables.flatMap((t) => t.columns).filter((c) => c.access !== 'visible')).toEqual([]);
  });

  it('data_analyst: silver and gold only; pii masked, restricted omitted, sensitive and pseudonymised in clear', () => {
    expect(tables('data_analyst')).toHaveLength(23);
    expect(tables('data_analyst').filter((t) => t.startsWith('bronze.'))).toEqual([]);
    expect(access('data_analyst', 'silver.stg_leads', ['email', 'phone', 'annual_revenue', 'lead_source'])).toEqual({ email: 'masked', phone: 'masked', annual_revenue: 'visible', lead_source: 'visible' });
    expect(access('data_analyst', 'silver.stg_financial_transactions', ['transaction_id', 'customer_id', 'amount'])).toEqual({ transaction_id: 'omitted', customer_id: 'masked', amount: 'omitted' });
    // Hashed with a salt in gold (pseudonymised): the analyst joins on it in clear.
    expect(access('data_analyst', 'gold.fct_orders', ['customer_id', 'amount'])).toEqual({ customer_id: 'visible', amount: 'visible' });
    expect(access('data_analyst', 'gold.mart_daily_revenue', ['gross_revenue', 'net_revenue'])).toEqual({ gross_revenue: 'visible', net_revenue: 'omitted' });
  });

  it('business_user: the marts (tag) and two facts (by name); pii omitted, restricted masked', () => {
    expect(tables('business_user')).toEqual(['gold.fct_opportunities', 'gold.fct_orders', 'gold.mart_customer_360', 'gold.mart_daily_revenue', 'gold.mart_inventory', 'gold.mart_sales_pipeline']);
    expect(shown['business_user']!.tables.find((t) => t.relation.table === 'fct_orders')!.matchedBy).toEqual(['model:fct_orders']);
    expect(shown['business_user']!.tables.find((t) => t.relation.table === 'mart_inventory')!.matchedBy).toEqual(['tag:mart']);
    expect(access('business_user', 'gold.mart_customer_360', ['customer_email', 'customer_name', 'customer_id', 'paid_amount', 'lifetime_revenue'])).toEqual({
      customer_email: 'omitted',
      customer_name: 'omitted',
      customer_id: 'visible',
      paid_amount: 'masked',
      lifetime_revenue: 'visible',
    });
    expect(access('business_user', 'gold.mart_daily_revenue', ['net_revenue', 'gross_revenue'])).toEqual({ net_revenue: 'masked', gross_revenue: 'visible' });
    expect(shown['business_user']!.mask).toBe('null');
  });

  it('crm_analyst: tables whose lineage is Salesforce only, in every layer; contacts in clear', () => {
    expect(tables('crm_analyst')).toEqual([
      'bronze.salesforce_accounts',
      'bronze.salesforce_leads',
      'bronze.salesforce_opportunities',
      'gold.dim_account',
      'gold.dim_account_history',
      'gold.fct_opportunities',
      'gold.mart_sales_pipeline',
      'silver.snap_accounts',
      'silver.stg_accounts',
      'silver.stg_leads',
      'silver.stg_opportunities',
    ]);
    // mart_customer_360 joins Salesforce leads with Snowflake orders: not CRM-only.
    expect(tables('crm_analyst')).not.toContain('gold.mart_customer_360');
    expect(access('crm_analyst', 'silver.stg_leads', ['email', 'first_name', 'annual_revenue'])).toEqual({ email: 'visible', first_name: 'visible', annual_revenue: 'visible' });
  });

  it('prints a table of columns with their access', () => {
    expect(text).toMatch(/^Role business_user \(arn:aws:iam::123456789012:role\/lakehouse-business-user\): 6 tables;/);
    expect(text).toMatch(/\ngold\.mart_customer_360 +customer_email +pii +omitted\n/);
    expect(text).toMatch(/\ngold\.mart_daily_revenue +net_revenue +restricted,sensitive +masked\n/);
  });

  it('an unknown role is a usage error naming the roles', async () => {
    const res = await runEtl(['grants', 'show', 'data_analysts', ...PROJECT]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("Did you mean 'data_analyst'?");
  });
});

describe('roles naming what the project does not have', () => {
  it('ETL320-ETL323 at the value in project.yaml', async () => {
    const result = await compileProject({ projectDir: fixture('roles-unknown'), cache: false });
    const found = plain(result.diagnostics).filter((d) => /^ETL32\d$/.test(d.code));
    expect(found.map(({ code, file, line, column }) => ({ code, file, line, column }))).toEqual([
      { code: 'ETL320', file: 'project.yaml', line: 11, column: 32 },
      { code: 'ETL321', file: 'project.yaml', line: 11, column: 50 },
      { code: 'ETL322', file: 'project.yaml', line: 14, column: 24 },
      { code: 'ETL323', file: 'project.yaml', line: 14, column: 49 },
    ]);
    expect(found[0]!.message).toBe("Role 'analyst' reads unknown layer 'platinum'");
    expect(found[2]!.hint).toContain("Did you mean 'stg_customers'?");
    expect(found[3]!.hint).toContain("Did you mean 'salesforce'?");
  });
});
