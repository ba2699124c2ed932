{{config materialized="incremental" incremental_strategy="append" partition_by="event_date"}}
-- Stock movements per product and warehouse, one row per update_id; re-deliveries skipped.
WITH landed AS (
  SELECT *
  FROM {{source "kafka" "inventory_updates"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "update_id"}} AS update_id,
    {{clean_key "product_id"}} AS product_id,
    {{clean_code "warehouse_id"}} AS warehouse_id,
    quantity_change,
    quantity_on_hand,
    {{clean_label "reason"}} AS reason,
    event_timestamp,
    ingest_date AS event_date,
    _partition AS kafka_partition,
    _offset AS kafka_offset,
    _run_id,
    _extracted_at
  FROM landed
),

first_delivery AS (
  {{> dedupe_latest relation="cleaned" key="update_id" order_by="_extracted_at ASC, kafka_partition ASC, kafka_offset ASC"}}
)

SELECT
  u.update_id,
  u.product_id,
  u.warehouse_id,
  u.quantity_change,
  u.quantity_on_hand,
  u.reason,
  u.event_timestamp,
  u.kafka_partition,
  u.kafka_offset,
  u._run_id,
  u._extracted_at,
  u.event_date
FROM first_delivery u
{{#is_incremental}}
LEFT ANTI JOIN {{this}} cur ON cur.update_id = u.update_id
{{/is_incremental}}
