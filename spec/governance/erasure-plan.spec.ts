/**
 * The erasure plan without Spark (`etl erase --dry-run`): derived from column lineage for the erasure
 * fixture (a key carried as it is, as a salted hash, a join matched through the parent's row key, an
 * aggregate rebuilt) and for the reference project (customer_id reaches the expected tables); the
 * request's mistakes are located diagnostics (ETL330-ETL333), printed by the CLI without a stack.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { erasurePlan, type ErasurePlan } from '../../compiler/governance/erasure-plan.js';
import { ErasureRequestError, keyColumnsOf, parseSubject } from '../../compiler/governance/erasure-subject.js';
import { repoRoot, runEtl } from '../compiler/helpers.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'erasure');

async function planFor(projectDir: string, subject: string): Promise<ErasurePlan> {
  const result = await compileProject({ projectDir });
  return erasurePlan(result.manifest, result.plan, keyColumnsOf(result.manifest, parseSubject(subject), projectDir));
}

function refusal(f: () => unknown) {
  try {
    f();
  } catch (e) {
    if (e instanceof ErasureRequestError) return e.diagnostic;
    throw e;
  }
  throw new Error('not refused');
}

describe('erasure plan', () => {
  it('the fixture: key carriers (as they are and salted-hashed), a join through the parent row key, an aggregate rebuilt', async () => {
    const plan = await planFor(FIXTURE, 'customer_id=C1');
    expect(plan.subject).toEqual({ key: 'customer_id', kinds: ['customer'], keyColumns: [{ node: 'source.shop.orders', column: 'customer_id' }] });
    const byName = Object.fromEntries(plan.targets.map((t) => [t.name, t]));
    expect(plan.targets.map((t) => [t.action, t.layer, `${t.relation.database}.${t.relation.table}`])).toEqual([
      ['rewrite-files', 'bronze', 'bronze.shop_orders'],
      ['delete', 'silver', 'silver.stg_orders'],
      ['delete', 'gold', 'gold.customer_spend'],
      ['rebuild', 'gold', 'gold.daily_revenue'],
      ['delete', 'gold', 'gold.order_products'],
    ]);
    expect(byName['bronze.shop_orders']!.match).toEqual([{ via: 'key', column: 'customer_id', key: { node: 'source.shop.orders', column: 'customer_id' }, forms: [{ kind: 'value' }] }]);
    expect(byName.stg_orders!.match).toMatchObject([{ via: 'key', column: 'customer_id', forms: expect.arrayContaining([{ kind: 'value' }]) }]);
    // The salted hash is matched by computing the mask on the subject's value with the project's salt var.
    expect(byName.customer_spend!.match).toMatchObject([{ via: 'key', column: 'customer_key', forms: expect.arrayContaining([{ kind: 'sha2', bits: 256, salt: { var: 'pii_salt', position: 'after' } }]) }]);
    expect(byName.order_products!.match).toEqual([{ via: 'parent', column: 'order_id', parent: 'model.stg_orders', parentColumn: 'order_id' }]);
    expect(byName.daily_revenue!.match).toEqual([]);
    // A key no source declares reaches nothing: the products source and its tables are not in the plan.
    expect(plan.targets.some((t) => t.node === 'source.shop.products')).toBe(false);
  }, 120_000);

  it('the reference project: customer_id reaches its bronze, silver and gold tables', async () => {
    const plan = await planFor(repoRoot, 'customer_id=C123');
    expect(Object.fromEntries(plan.targets.map((t) => [`${t.relation.database}.${t.relation.table}`, t.action]))).toEqual({
      'bronze.kafka_order_events': 'rewrite-files',
      'bronze.kafka_user_events': 'rewrite-files',
      'bronze.snowflake_customer_orders': 'rewrite-files',
      'bronze.snowflake_financial_transactions': 'rewrite-files',
      // A snapshot keeps every version of a customer's rows: deleted too.
      'silver.snap_customers': 'delete',
      'silver.stg_customer_orders': 'delete',
      'silver.stg_financial_transactions': 'delete',
      'silver.stg_order_events': 'delete',
      'silver.stg_user_events': 'delete',
      'gold.dim_customer': 'delete',
      'gold.fct_financial_transactions': 'delete',
      'gold.fct_orders': 'delete',
      'gold.fct_user_events': 'delete',
      'gold.mart_customer_360': 'delete',
      'gold.mart_daily_revenue': 'rebuild',
    });
    expect(plan.subject.keyColumns).toEqual([
      { node: 'source.kafka.order_events', column: 'customer_id' },
      { node: 'source.kafka.user_events', column: 'user_id' },
      { node: 'source.snowflake.customer_orders', column: 'customer_id' },
      { node: 'source.snowflake.financial_transactions', column: 'customer_id' },
    ]);
  }, 300_000);

  it('refuses a malformed --subject, an empty value and an unknown key with located diagnostics', async () => {
    expect(refusal(() => parseSubject('customer_id'))).toMatchObject({ code: 'ETL330', hint: expect.stringContaining('--subject customer_id=C123') });
    expect(refusal(() => parseSubject('customer_id='))).toMatchObject({ code: 'ETL333', message: '--subject customer_id= has an empty value' });
    const { manifest } = await compileProject({ projectDir: FIXTURE });
    expect(refusal(() => keyColumnsOf(manifest, parseSubject('cust_id=C1'), FIXTURE))).toEqual({
      code: 'ETL331',
      severity: 'error',
      message: "Unknown subject key 'cust_id'",
      hint: 'Declared subject keys: customer_id.',
      related: [{ file: 'sources/shop.ts', line: 19, column: 39, message: "subject key 'customer_id' (customer) on shop.orders.customer_id" }],
    });
    const cli = await runEtl(['erase', '--subject', 'cust_id=C1', '--dry-run', '--project', FIXTURE], 180_000);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('ETL331');
    expect(cli.stderr).toContain('sources/shop.ts:19:39');
    expect(cli.stderr).not.toMatch(/\n\s+at /);
  }, 300_000);
});
