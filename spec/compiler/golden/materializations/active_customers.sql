-- ephemeral: no operations; inlined into its children as
SELECT customer_id, country
FROM silver.customers_merge
WHERE email IS NOT NULL
