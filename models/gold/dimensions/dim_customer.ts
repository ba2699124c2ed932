import { defineModel, mask } from 'lakehouse-etl';

/**
 * One row per customer seen on a valid order: the latest profile, the latest well-formed email
 * (a malformed one never overwrites a good one), and first/last order dates.
 */
export default defineModel({
  description: 'Customers seen on valid orders, with their latest profile and a verified email.',
  owner: 'sales-analytics',
  tags: ['customers'],
  config: { materialized: 'table' },
  columns: {
    customer_id: { description: 'Customer identifier from the CRM, as a salted hash (mask_salt): joins the gold facts, names nobody.', classification: ['pseudonymised'], tests: ['not_null', 'unique'] },
    customer_name: { exposes: { pii: 'Customer dimension: support and the CRM team address customers by name; roles decide who reads it.' } },
    customer_email: {
      description: 'Latest well-formed email of the customer; null when none was valid.',
      classification: ['pii'],
      exposes: { pii: 'Customer dimension: the contact address support and the CRM team write to; roles decide who reads it.' },
      tests: ['email'],
    },
    shipping_address: { exposes: { pii: 'Customer dimension: where orders ship, for support; roles decide who reads it.' } },
    first_order_date: { description: 'Day of the first valid order.', tests: ['not_null'] },
  },
  sql: ({ ref, var: v }) => {
    const o = ref('stg_customer_orders').as('o');
    return `
WITH valid_orders AS (
  SELECT ${o.c.customer_id}, ${o.c.customer_name}, ${o.c.customer_email}, ${o.c.has_valid_email},
         ${o.c.shipping_address}, ${o.c.order_date}, ${o.c.order_id}, ${o.c.updated_at}
  FROM ${o}
  WHERE ${o.c.is_valid}
),

latest_profile AS (
  SELECT
    customer_id,
    customer_name,
    shipping_address,
    row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC, order_id DESC) AS recency
  FROM valid_orders
),

latest_valid_email AS (
  SELECT
    customer_id,
    customer_email,
    row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC, order_id DESC) AS recency
  FROM valid_orders
  WHERE has_valid_email
),

order_span AS (
  SELECT customer_id, min(order_date) AS first_order_date, max(order_date) AS last_order_date
  FROM valid_orders
  GROUP BY customer_id
)

SELECT
  ${mask.hash('p.customer_id', v('mask_salt'))} AS customer_id,
  p.customer_name,
  e.customer_email,
  p.shipping_address,
  s.first_order_date,
  s.last_order_date
FROM latest_profile p
JOIN order_span s ON s.customer_id = p.customer_id
LEFT JOIN latest_valid_email e ON e.customer_id = p.customer_id AND e.recency = 1
WHERE p.recency = 1
`;
  },
});
