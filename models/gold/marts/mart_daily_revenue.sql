-- Revenue per day and currency: orders, customers, gross revenue (cancellations excluded), refunds
-- booked that day, net revenue and a trailing 7-day net revenue.
WITH daily_orders AS (
  SELECT
    order_date AS revenue_date,
    currency,
    count(*) AS orders,
    count(DISTINCT customer_id) AS customers,
    sum(CASE WHEN is_cancelled THEN 1 ELSE 0 END) AS cancelled_orders,
    sum(CASE WHEN is_cancelled THEN 0 ELSE amount END) AS gross_revenue
  FROM {{ref "fct_orders"}}
  GROUP BY order_date, currency
),

daily_refunds AS (
  SELECT transaction_date AS revenue_date, currency, -sum(amount) AS refunds
  FROM {{ref "fct_financial_transactions"}}
  WHERE is_refund
  GROUP BY transaction_date, currency
),

daily AS (
  SELECT
    coalesce(o.revenue_date, r.revenue_date) AS revenue_date,
    coalesce(o.currency, r.currency) AS currency,
    coalesce(o.orders, 0) AS orders,
    coalesce(o.customers, 0) AS customers,
    coalesce(o.cancelled_orders, 0) AS cancelled_orders,
    coalesce(o.gross_revenue, 0) AS gross_revenue,
    coalesce(r.refunds, 0) AS refunds
  FROM daily_orders o
  FULL OUTER JOIN daily_refunds r ON r.revenue_date = o.revenue_date AND r.currency = o.currency
)

SELECT
  revenue_date,
  currency,
  orders,
  customers,
  cancelled_orders,
  gross_revenue,
  refunds,
  gross_revenue - refunds AS net_revenue,
  CAST(gross_revenue / nullif(orders - cancelled_orders, 0) AS decimal(18,2)) AS avg_order_value,
  -- Trailing seven calendar days, including days without sales.
  sum(gross_revenue - refunds) OVER (
    PARTITION BY currency
    ORDER BY unix_date(revenue_date)
    RANGE BETWEEN 6 PRECEDING AND CURRENT ROW
  ) AS net_revenue_7d
FROM daily
