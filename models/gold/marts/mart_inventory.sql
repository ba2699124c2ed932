-- Current stock per product and warehouse (latest movement wins), last-7-day flow, days of cover and
-- stock value at cost; flags what needs reordering.
WITH latest_stock AS (
  SELECT
    product_id,
    warehouse_id,
    quantity_on_hand,
    event_timestamp AS stock_as_of,
    row_number() OVER (PARTITION BY product_id, warehouse_id ORDER BY event_timestamp DESC, kafka_offset DESC) AS recency
  FROM {{ref "stg_inventory_updates"}}
),

last_week AS (
  SELECT
    product_id,
    warehouse_id,
    sum(CASE WHEN reason = 'sale' THEN -quantity_change ELSE 0 END) AS units_sold_7d,
    sum(CASE WHEN reason = 'receipt' THEN quantity_change ELSE 0 END) AS units_received_7d
  FROM {{ref "stg_inventory_updates"}}
  WHERE event_date > (SELECT date_sub(max(event_date), 7) AS cutoff FROM {{ref "stg_inventory_updates"}})
  GROUP BY product_id, warehouse_id
)

SELECT
  s.product_id,
  p.product_name,
  p.category,
  s.warehouse_id,
  s.quantity_on_hand,
  s.stock_as_of,
  coalesce(w.units_sold_7d, 0) AS units_sold_7d,
  coalesce(w.units_received_7d, 0) AS units_received_7d,
  CAST(s.quantity_on_hand / nullif(w.units_sold_7d / 7.0, 0) AS decimal(10,1)) AS days_of_cover,
  s.quantity_on_hand * p.cost AS stock_value_at_cost,
  s.quantity_on_hand <= 10 AS needs_reorder
FROM latest_stock s
LEFT JOIN {{ref "dim_product"}} p ON p.product_id = s.product_id
LEFT JOIN last_week w ON w.product_id = s.product_id AND w.warehouse_id = s.warehouse_id
WHERE s.recency = 1
