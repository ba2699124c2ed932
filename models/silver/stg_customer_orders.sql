{{config materialized="incremental" incremental_strategy="merge" unique_key="order_id" zorder_by="customer_id" on_schema_change="append_new_columns"}}
-- One row per order: its latest version by updated_at. Orders breaking a rule stay, flagged, so the
-- tests report them; gold keeps valid ones only.
WITH landed AS (
  SELECT *
  FROM {{source "snowflake" "customer_orders"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "order_id"}} AS order_id,
    {{clean_key "customer_id"}} AS customer_id,
    {{normalize_email "customer_email"}} AS customer_email,
    {{clean_text "customer_name"}} AS customer_name,
    {{clean_text "shipping_address"}} AS shipping_address,
    {{clean_key "product_id"}} AS product_id,
    quantity,
    unit_price,
    amount,
    {{clean_code "currency"}} AS currency,
    {{clean_label "order_status"}} AS order_status,
    order_date,
    created_at,
    updated_at,
    _run_id,
    _extracted_at
  FROM landed
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="order_id" order_by="updated_at DESC, _extracted_at DESC"}}
),

checked AS (
  SELECT
    *,
    {{is_valid_email "customer_email"}} AS has_valid_email,
    coalesce(amount > 0, false) AS has_positive_amount,
    coalesce(order_date BETWEEN DATE {{var "min_order_date"}} AND DATE {{var "max_order_date"}}, false) AS has_valid_order_date
  FROM latest
)

SELECT
  c.order_id,
  c.customer_id,
  c.customer_email,
  c.customer_name,
  c.shipping_address,
  c.product_id,
  c.quantity,
  c.unit_price,
  c.amount,
  c.currency,
  c.order_status,
  c.order_date,
  c.created_at,
  c.updated_at,
  c.has_valid_email,
  c.has_positive_amount,
  c.has_valid_order_date,
  -- An invalid email does not void an order: it only keeps the email out of dim_customer.
  c.order_id IS NOT NULL AND c.customer_id IS NOT NULL AND c.has_positive_amount AND c.has_valid_order_date AS is_valid,
  c._run_id,
  c._extracted_at
FROM checked c
{{#is_incremental}}
-- A late, older version re-extracted now must not overwrite the newer one already merged.
LEFT JOIN {{this}} cur ON cur.order_id = c.order_id
WHERE cur.order_id IS NULL OR c.updated_at > cur.updated_at
{{/is_incremental}}
