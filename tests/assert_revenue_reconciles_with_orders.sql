-- Gross revenue in the daily mart must equal the sum of non-cancelled valid orders, per currency.
WITH mart AS (
  SELECT currency, sum(gross_revenue) AS revenue FROM {{ref "mart_daily_revenue"}} GROUP BY currency
),
facts AS (
  SELECT currency, sum(amount) AS revenue FROM {{ref "fct_orders"}} WHERE NOT is_cancelled GROUP BY currency
)
SELECT coalesce(m.currency, f.currency) AS currency, m.revenue AS mart_revenue, f.revenue AS fact_revenue
FROM mart m
FULL OUTER JOIN facts f ON f.currency = m.currency
WHERE m.revenue IS NULL OR f.revenue IS NULL OR m.revenue <> f.revenue
