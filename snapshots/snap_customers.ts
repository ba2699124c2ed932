import { defineSnapshot } from 'lakehouse-etl';

/**
 * History of customer profiles (SCD type 2, check strategy): a new version whenever the latest
 * name, email or shipping address of a customer changes between builds.
 */
export default defineSnapshot({
  description: 'Customer profile history: a version per change of name, email or shipping address.',
  owner: 'sales-analytics',
  tags: ['customers', 'history'],
  config: { strategy: 'check', unique_key: 'customer_id', check_cols: ['customer_name', 'customer_email', 'shipping_address'] },
  columns: {
    customer_id: { classification: ['pii'], tests: ['not_null'] },
    is_current: { tests: ['not_null'] },
  },
  sql: ({ ref }) => {
    const o = ref('stg_customer_orders').as('o');
    return `
SELECT customer_id, customer_name, customer_email, shipping_address
FROM (
  SELECT ${o.c.customer_id}, ${o.c.customer_name}, ${o.c.customer_email}, ${o.c.shipping_address},
         row_number() OVER (PARTITION BY ${o.c.customer_id} ORDER BY ${o.c.updated_at} DESC, ${o.c.order_id} DESC) AS recency
  FROM ${o}
  WHERE ${o.c.is_valid}
) latest
WHERE recency = 1
`;
  },
});
