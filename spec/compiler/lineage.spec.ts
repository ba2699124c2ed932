/**
 * Column types, nullability, value lineage (`upstream`, `sources`), row dependencies and
 * classification through CTEs, subqueries, joins, aggregates, windows, SELECT *, * EXCEPT,
 * struct fields and UNION (fixture lineage).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult } from '../../compiler/index.js';
import { compileFixture } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileFixture('lineage');
});

const model = (name: string) => {
  const m = r.manifest.models[`model.${name}`];
  if (!m) throw new Error(`no model ${name}`);
  return m;
};
const ref = (x: { node: string; column: string }) => `${x.node}.${x.column}`;
/** `name type null|not null [classes]` per column. */
const shape = (name: string) =>
  model(name).columns.map((c) => `${c.name} ${c.type} ${c.nullable ? 'null' : 'not null'}${c.classification.length ? ` [${c.classification.join(',')}]` : ''}`);
const upstream = (name: string) => Object.fromEntries(model(name).columns.map((c) => [c.name, c.upstream.map(ref)]));
const sources = (name: string) => Object.fromEntries(model(name).columns.map((c) => [c.name, c.sources.map(ref)]));
const rowDeps = (name: string) => model(name).rowDependencies.map((d) => `${d.node}.${d.column}:${d.role}`);

describe('lineage and types', () => {
  it('compiles cleanly', () => {
    expect(r.diagnostics).toEqual([]);
  });

  it('struct field access types the field and keeps the struct classification; WHERE is a filter dependency', () => {
    expect(shape('stg_customers')).toEqual([
      'customer_id string not null',
      'email string null [pii]',
      'city string null [pii]',
      'zip string null [pii]',
      'tier string null',
      'signup_date date null',
    ]);
    expect(upstream('stg_customers')).toEqual({
      customer_id: ['source.crm.customers.customer_id'],
      email: ['source.crm.customers.email'],
      city: ['source.crm.customers.address'],
      zip: ['source.crm.customers.address'],
      tier: ['source.crm.customers.tier'],
      signup_date: ['source.crm.customers.signup_date'],
    });
    expect(rowDeps('stg_customers')).toEqual(['source.crm.customers.full_name:filter']);
    expect(model('stg_customers').dependsOn).toEqual({ models: [], sources: ['source.crm.customers'] });
  });

  it('through a CTE and a subquery: types, lineage, filters in both', () => {
    expect(shape('stg_orders')).toEqual([
      'order_id string not null',
      'customer_id string not null',
      'amount decimal(18,2) null [sensitive]',
      'double_quantity int not null',
      'order_ts timestamp not null',
    ]);
    expect(upstream('stg_orders')).toEqual({
      order_id: ['source.shop.orders.order_id'],
      customer_id: ['source.shop.orders.customer_id'],
      amount: ['source.shop.orders.amount'],
      double_quantity: ['source.shop.orders.quantity'],
      order_ts: ['source.shop.orders.order_ts'],
    });
    expect(rowDeps('stg_orders')).toEqual(['source.shop.orders.is_active:filter', 'source.shop.orders.status:filter']);
  });

  it('LEFT JOIN makes the right side nullable; inner columns of the left keep their nullability', () => {
    expect(shape('orders_enriched')).toEqual([
      'order_id string not null',
      'order_ts timestamp not null',
      'matched_customer_id string null',
      'email string null [pii]',
    ]);
    expect(rowDeps('orders_enriched')).toEqual(['model.stg_customers.customer_id:join', 'model.stg_orders.customer_id:join']);
  });

  it('aggregates: count() is a non-null bigint and drops classification; sum(decimal) widens; GROUP BY and JOIN roles', () => {
    expect(shape('customer_orders')).toEqual([
      'customer_id string not null',
      'email string null [pii]',
      'city string null [pii]',
      'order_count bigint not null',
      'email_count bigint not null',
      'revenue decimal(28,2) null [sensitive]',
      'last_order_ts timestamp null',
    ]);
    expect(upstream('customer_orders')).toEqual({
      customer_id: ['model.stg_customers.customer_id'],
      email: ['model.stg_customers.email'],
      city: ['model.stg_customers.city'],
      order_count: ['model.stg_orders.order_id'],
      email_count: ['model.stg_customers.email'],
      revenue: ['model.stg_orders.amount'],
      last_order_ts: ['model.stg_orders.order_ts'],
    });
    expect(rowDeps('customer_orders')).toEqual([
      'model.stg_customers.city:group',
      'model.stg_customers.customer_id:group',
      'model.stg_customers.customer_id:join',
      'model.stg_customers.email:group',
      'model.stg_orders.customer_id:join',
    ]);
  });

  it('sources are transitive to source columns across two models; classification follows', () => {
    expect(model('top_customers').dependsOn).toEqual({ models: ['model.customer_orders'], sources: [] });
    expect(upstream('top_customers')).toEqual({
      customer_id: ['model.customer_orders.customer_id'],
      city: ['model.customer_orders.city'],
      revenue: ['model.customer_orders.revenue'],
    });
    expect(sources('top_customers')).toEqual({
      customer_id: ['source.crm.customers.customer_id'],
      city: ['source.crm.customers.address'],
      revenue: ['source.shop.orders.amount'],
    });
    expect(shape('top_customers')).toEqual(['customer_id string not null', 'city string null [pii]', 'revenue decimal(28,2) null [sensitive]']);
    expect(rowDeps('top_customers')).toEqual(['model.customer_orders.order_count:filter']);
    expect(sources('customer_orders').email_count).toEqual(['source.crm.customers.email']);
  });

  it('window functions: PARTITION BY / ORDER BY are window dependencies; ranking is a non-null int', () => {
    expect(shape('order_ranks')).toEqual([
      'order_id string not null',
      'amount decimal(18,2) null [sensitive]',
      'recency_rank int not null',
      'customer_total decimal(28,2) null [sensitive]',
    ]);
    expect(upstream('order_ranks')).toEqual({
      order_id: ['model.stg_orders.order_id'],
      amount: ['model.stg_orders.amount'],
      recency_rank: [],
      customer_total: ['model.stg_orders.amount'],
    });
    expect(rowDeps('order_ranks')).toEqual(['model.stg_orders.customer_id:window', 'model.stg_orders.order_ts:window']);
  });

  it('SELECT * keeps every column; * EXCEPT drops the named ones', () => {
    expect(shape('customers_star')).toEqual(shape('stg_customers'));
    expect(upstream('customers_star').city).toEqual(['model.stg_customers.city']);
    expect(shape('customers_except')).toEqual(['customer_id string not null', 'city string null [pii]', 'zip string null [pii]', 'tier string null']);
    expect(sources('customers_except').zip).toEqual(['source.crm.customers.address']);
  });

  it('UNION ALL: columns named by the first branch, lineage from both', () => {
    expect(shape('all_ids')).toEqual(['id string not null', 'kind string not null']);
    expect(upstream('all_ids')).toEqual({ id: ['model.stg_customers.customer_id', 'model.stg_orders.order_id'], kind: [] });
    expect(sources('all_ids')).toEqual({ id: ['source.crm.customers.customer_id', 'source.shop.orders.order_id'], kind: [] });
  });

  it('childMap and parentMap agree with dependsOn', () => {
    const { childMap, parentMap, models } = r.manifest;
    for (const m of Object.values(models)) {
      expect(parentMap[m.id]).toEqual([...m.dependsOn.models, ...m.dependsOn.sources].sort());
      for (const p of parentMap[m.id]!) expect(childMap[p]).toContain(m.id);
    }
    expect(childMap['source.crm.customers']).toEqual(['model.stg_customers']);
    expect(childMap['model.stg_orders']).toEqual(['model.all_ids', 'model.customer_orders', 'model.order_ranks', 'model.orders_enriched']);
  });
});
