-- full refresh
CREATE DATABASE IF NOT EXISTS `gold`;

CREATE OR REPLACE TABLE `gold`.`dutch_revenue`
USING DELTA
LOCATION '<gold>/dutch_revenue'
AS
-- Child with its own WITH: the ephemeral parents (two levels) are merged into it.
WITH __ephemeral_active_customers AS (
SELECT customer_id, country
FROM silver.customers_merge
WHERE email IS NOT NULL
),
__ephemeral_dutch_customers AS (
SELECT customer_id
FROM __ephemeral_active_customers
WHERE country = 'NL'
),
orders AS (
  SELECT customer_id, amount FROM silver.orders_table
)
SELECT d.customer_id, sum(o.amount) AS revenue
FROM __ephemeral_dutch_customers d
JOIN orders o ON o.customer_id = d.customer_id
GROUP BY d.customer_id;

-- after either
OPTIMIZE `gold`.`dutch_revenue` ZORDER BY (`customer_id`);
