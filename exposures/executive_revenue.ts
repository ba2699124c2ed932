import { defineExposure } from 'lakehouse-etl';

/** The executive team's revenue dashboard: daily revenue and the sales pipeline, refreshed each morning. */
export default defineExposure({
  name: 'executive_revenue',
  type: 'dashboard',
  tool: 'quicksight',
  owner: { name: 'Finance Analytics', email: 'finance-analytics@example.com' },
  url: 'https://us-east-1.quicksight.aws.amazon.com/sn/dashboards/executive-revenue',
  description: 'Net revenue by day and currency with its 7-day trend, and the open pipeline by close month.',
  depends: [
    { ref: 'mart_daily_revenue', columns: ['revenue_date', 'currency', 'orders', 'gross_revenue', 'refunds', 'net_revenue', 'net_revenue_7d'] },
    { ref: 'mart_sales_pipeline', columns: ['close_month', 'stage_name', 'pipeline_amount', 'weighted_amount', 'won_count'] },
  ],
});
