-- full refresh
CREATE DATABASE IF NOT EXISTS `silver`;

CREATE OR REPLACE TABLE `silver`.`customers_merge`
USING DELTA
LOCATION '<silver>/customers_merge'
AS
SELECT customer_id, email, country, updated_at
FROM bronze.shop_customers;

-- incremental
CREATE DATABASE IF NOT EXISTS `silver`;

MERGE INTO `silver`.`customers_merge` AS target
USING (
SELECT customer_id, email, country, updated_at
FROM bronze.shop_customers
WHERE updated_at > (SELECT max(updated_at) FROM silver.customers_merge)
) AS source
ON target.`customer_id` = source.`customer_id`
WHEN MATCHED THEN UPDATE SET *
WHEN NOT MATCHED THEN INSERT *;

-- after either
OPTIMIZE `silver`.`customers_merge` ZORDER BY (`country`, `email`);
