import { defineExposure } from 'lakehouse-etl';

/** Account managers' customer view: lifetime value, engagement and lead status per customer. */
export default defineExposure({
  name: 'customer_360',
  type: 'dashboard',
  tool: 'tableau',
  owner: { name: 'Customer Success', email: 'customer-success@example.com' },
  url: 'https://tableau.example.com/#/views/Customer360/Overview',
  description: 'One page per customer: orders, revenue, refunds, sessions and the lead they came from.',
  depends: [
    {
      ref: 'mart_customer_360',
      columns: ['customer_id', 'customer_name', 'customer_email', 'lifetime_orders', 'lifetime_revenue', 'refunded_amount', 'sessions', 'last_seen_at', 'lead_status', 'value_tier'],
    },
  ],
});
