-- full refresh
CREATE DATABASE IF NOT EXISTS `silver`;

CREATE OR REPLACE TABLE `silver`.`orders_append`
USING DELTA
LOCATION '<silver>/orders_append'
AS
SELECT order_id, customer_id, amount, order_date
FROM silver.orders_view;

-- incremental
CREATE DATABASE IF NOT EXISTS `silver`;

INSERT INTO `silver`.`orders_append`
SELECT order_id, customer_id, amount, order_date
FROM silver.orders_view
WHERE order_date > (SELECT max(order_date) FROM silver.orders_append);
