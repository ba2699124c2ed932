-- full refresh
CREATE DATABASE IF NOT EXISTS `silver`;

CREATE OR REPLACE TABLE `silver`.`orders_table`
USING DELTA
PARTITIONED BY (`order_date`)
LOCATION 's3://custom-bucket/orders_table'
TBLPROPERTIES (
  'delta.appendOnly' = 'false',
  'delta.autoOptimize.optimizeWrite' = 'true'
)
AS
SELECT order_id, customer_id, amount, order_date
FROM silver.orders_view;
