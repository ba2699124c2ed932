{{config severity="warn"}}
-- Products whose (normalised) category is not one of vars.accepted_product_categories.
SELECT product_id, sku, category
FROM {{ref "stg_product_catalog"}}
WHERE category IS NULL
   OR category NOT IN ({{quote_list (var "accepted_product_categories")}})
