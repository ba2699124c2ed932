import { defineModel, mask } from 'lakehouse-etl';

/**
 * The customer 360 view: profile, order history, payments, behaviour on the site and the matching
 * CRM lead (by email), one row per customer, with a value tier and a revenue decile.
 */
export default defineModel({
  description: 'Customer 360: orders, payments, site behaviour and CRM lead status per customer.',
  owner: 'customer-insights',
  tags: ['customers', 'customer-360'],
  config: { materialized: 'table' },
  columns: {
    customer_id: {
      description: 'Customer identifier, the salted hash of dim_customer.',
      classification: ['pseudonymised'],
      tests: ['not_null', 'unique', { relationships: { to: 'dim_customer', field: 'customer_id' } }],
    },
    customer_name: { exposes: { pii: 'Customer 360 is the CRM team\'s working view: they contact the customer; roles decide who reads it.' } },
    customer_email: { exposes: { pii: 'Customer 360 is the CRM team\'s working view and matches CRM leads by e-mail; roles decide who reads it.' } },
    lifetime_revenue: { description: 'Sum of non-cancelled order amounts.', classification: ['sensitive'] },
    value_tier: { tests: [{ accepted_values: { values: ['high', 'medium', 'low'] } }] },
    revenue_decile: { description: '1 = top 10% of customers by lifetime revenue.', tests: [{ range: { min: 1, max: 10 } }] },
  },
  sql: ({ ref, var: v }) => {
    const c = ref('dim_customer').as('c');
    const orders = ref('fct_orders');
    const events = ref('fct_user_events');
    const payments = ref('fct_financial_transactions');
    const leads = ref('stg_leads');
    return `
WITH order_stats AS (
  SELECT
    customer_id,
    count(*) AS lifetime_orders,
    sum(CASE WHEN is_cancelled THEN 0 ELSE amount END) AS lifetime_revenue,
    sum(CASE WHEN is_cancelled THEN 1 ELSE 0 END) AS cancelled_orders,
    count(DISTINCT category) AS categories_bought
  FROM ${orders}
  GROUP BY customer_id
),

event_stats AS (
  SELECT
    user_id AS customer_id,
    count(*) AS events,
    count(DISTINCT session_id) AS sessions,
    sum(CASE WHEN is_conversion THEN 1 ELSE 0 END) AS purchase_events,
    max(event_timestamp) AS last_seen_at
  FROM ${events}
  WHERE user_id IS NOT NULL
  GROUP BY user_id
),

payment_stats AS (
  SELECT
    customer_id,
    sum(CASE WHEN transaction_type = 'payment' THEN amount ELSE 0 END) AS paid_amount,
    -sum(CASE WHEN is_refund THEN amount ELSE 0 END) AS refunded_amount
  FROM ${payments}
  WHERE customer_id IS NOT NULL
  GROUP BY customer_id
),

crm_lead AS (
  SELECT email, lead_id, status AS lead_status, lead_source, is_converted,
         row_number() OVER (PARTITION BY email ORDER BY system_modstamp DESC, lead_id) AS recency
  FROM ${leads}
  WHERE is_valid AND NOT is_deleted
)

SELECT
  ${c.c.customer_id},
  ${c.c.customer_name},
  ${c.c.customer_email},
  ${c.c.first_order_date},
  ${c.c.last_order_date},
  coalesce(o.lifetime_orders, 0) AS lifetime_orders,
  coalesce(o.cancelled_orders, 0) AS cancelled_orders,
  coalesce(o.lifetime_revenue, 0) AS lifetime_revenue,
  coalesce(o.categories_bought, 0) AS categories_bought,
  coalesce(p.paid_amount, 0) AS paid_amount,
  coalesce(p.refunded_amount, 0) AS refunded_amount,
  coalesce(e.sessions, 0) AS sessions,
  coalesce(e.events, 0) AS events,
  coalesce(e.purchase_events, 0) AS purchase_events,
  e.last_seen_at,
  ${mask.hash('l.lead_id', v('mask_salt'))} AS lead_id,
  l.lead_status,
  l.lead_source,
  coalesce(l.is_converted, false) AS is_converted_lead,
  CASE
    WHEN coalesce(o.lifetime_revenue, 0) >= 2000 THEN 'high'
    WHEN coalesce(o.lifetime_revenue, 0) >= 500 THEN 'medium'
    ELSE 'low'
  END AS value_tier,
  ntile(10) OVER (ORDER BY coalesce(o.lifetime_revenue, 0) DESC, ${c.c.customer_id}) AS revenue_decile
FROM ${c}
LEFT JOIN order_stats o ON o.customer_id = ${c.c.customer_id}
LEFT JOIN event_stats e ON e.customer_id = ${c.c.customer_id}
LEFT JOIN payment_stats p ON p.customer_id = ${c.c.customer_id}
LEFT JOIN crm_lead l ON l.email = ${c.c.customer_email} AND l.recency = 1
`;
  },
});
