import { defineModel, mask } from 'lakehouse-etl';

/**
 * One row per valid order at its latest version, with product category and margin. Incremental:
 * merges only orders whose silver row changed since the last build (silver `_extracted_at`).
 */
export default defineModel({
  description: 'Valid orders at their latest version, with category, cost and gross margin.',
  owner: 'sales-analytics',
  tags: ['orders', 'fact'],
  config: {
    materialized: 'incremental',
    incremental_strategy: 'merge',
    unique_key: 'order_id',
    partition_by: 'order_date',
    zorder_by: 'customer_id',
  },
  columns: {
    order_id: { description: 'Order identifier.', tests: ['not_null', 'unique'] },
    customer_id: {
      description: 'Customer placing the order, as the salted hash dim_customer keys on.',
      classification: ['pseudonymised'],
      tests: ['not_null', { relationships: { to: 'dim_customer', field: 'customer_id' } }],
    },
    product_id: { tests: [{ relationships: { to: 'dim_product', field: 'product_id' } }] },
    amount: { description: 'Order total.', classification: ['sensitive'], tests: [{ expression: { expression: 'amount > 0' } }] },
    gross_margin: { description: 'amount minus quantity x unit cost.', classification: ['sensitive'] },
  },
  sql: ({ ref, isIncremental, this: self, var: v }) => {
    const o = ref('stg_customer_orders').as('o');
    const p = ref('dim_product').as('p');
    const changed = isIncremental
      ? `AND ${o.c._extracted_at} > (SELECT coalesce(max(_extracted_at), TIMESTAMP '1970-01-01 00:00:00') FROM ${self})`
      : '';
    return `
SELECT
  ${o.c.order_id},
  ${mask.hash(o.c.customer_id, v('mask_salt'))} AS customer_id,
  ${o.c.product_id},
  ${p.c.category},
  ${o.c.order_date},
  ${o.c.order_status},
  ${o.c.order_status} = 'cancelled' AS is_cancelled,
  ${o.c.currency},
  ${o.c.quantity},
  ${o.c.unit_price},
  ${o.c.amount},
  ${o.c.quantity} * ${p.c.cost} AS cost_amount,
  ${o.c.amount} - ${o.c.quantity} * ${p.c.cost} AS gross_margin,
  ${o.c.created_at},
  ${o.c.updated_at},
  ${o.c._extracted_at}
FROM ${o}
LEFT JOIN ${p} ON ${p.c.product_id} = ${o.c.product_id}
WHERE ${o.c.is_valid}
  ${changed}
`;
  },
});
