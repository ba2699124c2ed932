-- The product catalog, latest version per product. Rebuilt in full every run (it is small), so a
-- price change or re-categorisation is always reflected.
WITH cleaned AS (
  SELECT
    {{clean_key "product_id"}} AS product_id,
    trim(sku) AS sku,
    {{clean_text "product_name"}} AS product_name,
    {{clean_label "category"}} AS category,
    {{clean_label "subcategory"}} AS subcategory,
    {{clean_text "brand"}} AS brand,
    price,
    cost,
    coalesce(is_active, false) AS is_active,
    attributes,
    created_at,
    updated_at,
    _run_id,
    _extracted_at
  FROM {{source "snowflake" "product_catalog"}}
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="product_id" order_by="updated_at DESC, _extracted_at DESC"}}
),

checked AS (
  SELECT
    latest.*,
    coalesce(latest.price > 0, false) AS has_positive_price,
    accepted.category IS NOT NULL AS has_accepted_category
  FROM latest
  LEFT JOIN {{ref "product_categories"}} AS accepted ON accepted.category = latest.category
)

SELECT
  product_id,
  sku,
  product_name,
  category,
  subcategory,
  brand,
  price,
  cost,
  is_active,
  attributes,
  created_at,
  updated_at,
  has_positive_price,
  has_accepted_category,
  product_id IS NOT NULL AND has_positive_price AND has_accepted_category AS is_valid,
  _run_id,
  _extracted_at
FROM checked
