-- full refresh
CREATE DATABASE IF NOT EXISTS `gold`;

CREATE OR REPLACE TABLE `gold`.`customer_revenue`
USING DELTA
LOCATION '<gold>/customer_revenue'
AS
WITH __ephemeral_active_customers AS (
SELECT customer_id, country
FROM silver.customers_merge
WHERE email IS NOT NULL
)
-- Child without a WITH: the ephemeral parents become the query's WITH.
SELECT a.customer_id, a.country, sum(o.amount) AS revenue
FROM __ephemeral_active_customers a
JOIN silver.orders_table o ON o.customer_id = a.customer_id
GROUP BY a.customer_id, a.country;
