{{config severity="warn"}}
-- Products whose (normalised) category is not one of the accepted ones (seeds/product_categories.csv).
SELECT product_id, sku, category
FROM {{ref "stg_product_catalog"}}
WHERE category IS NULL
   OR category NOT IN (SELECT category FROM {{ref "product_categories"}})
