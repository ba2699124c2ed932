-- Sellable products: valid catalog rows only, with unit margin and a price band for reporting.
SELECT
  product_id,
  sku,
  product_name,
  category,
  subcategory,
  brand,
  price,
  cost,
  price - cost AS unit_margin,
  CAST(round((price - cost) / price, 4) AS decimal(6,4)) AS margin_pct,
  CASE
    WHEN price < 20 THEN 'budget'
    WHEN price < 200 THEN 'mid'
    ELSE 'premium'
  END AS price_band,
  attributes['color'] AS color,
  is_active,
  updated_at
FROM {{ref "stg_product_catalog"}}
WHERE is_valid
