-- full refresh
CREATE DATABASE IF NOT EXISTS `silver`;

CREATE OR REPLACE TABLE `silver`.`orders_overwrite`
USING DELTA
PARTITIONED BY (`order_date`)
LOCATION '<silver>/orders_overwrite'
AS
SELECT order_id, amount, order_date
FROM silver.orders_view;

-- incremental
CREATE DATABASE IF NOT EXISTS `silver`;

SET spark.sql.sources.partitionOverwriteMode = dynamic;

INSERT OVERWRITE TABLE `silver`.`orders_overwrite`
SELECT order_id, amount, order_date
FROM silver.orders_view
WHERE order_date >= date_sub(current_date(), 3);

SET spark.sql.sources.partitionOverwriteMode = static;
