-- full refresh
CREATE DATABASE IF NOT EXISTS `silver`;

CREATE OR REPLACE VIEW `silver`.`orders_view` AS
-- default materialization: view
SELECT order_id, customer_id, amount, order_date
FROM bronze.shop_orders
WHERE order_date >= DATE '2020-01-01';
