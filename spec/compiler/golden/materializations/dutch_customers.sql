-- ephemeral: no operations; inlined into its children as
WITH __ephemeral_active_customers AS (
SELECT customer_id, country
FROM silver.customers_merge
WHERE email IS NOT NULL
)
SELECT customer_id
FROM __ephemeral_active_customers
WHERE country = 'NL'
