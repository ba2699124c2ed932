{{config severity="warn"}}
-- Orders dated outside the accepted window (vars min_order_date .. max_order_date).
SELECT order_id, order_date, created_at
FROM {{ref "stg_customer_orders"}}
WHERE order_date IS NULL
   OR order_date NOT BETWEEN DATE {{var "min_order_date"}} AND DATE {{var "max_order_date"}}
