{{config materialized="incremental" incremental_strategy="append" partition_by="event_date"}}
-- Order lifecycle events, one row per event_id. New events are appended; Kafka re-deliveries of
-- events already stored are skipped.
WITH landed AS (
  SELECT *
  FROM {{source "kafka" "order_events"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "event_id"}} AS event_id,
    {{clean_key "order_id"}} AS order_id,
    {{clean_key "customer_id"}} AS customer_id,
    {{clean_label "event_type"}} AS event_type,
    amount,
    items,
    size(items) AS item_count,
    event_timestamp,
    ingest_date AS event_date,
    _partition AS kafka_partition,
    _offset AS kafka_offset,
    _run_id,
    _extracted_at
  FROM landed
),

first_delivery AS (
  {{> dedupe_latest relation="cleaned" key="event_id" order_by="_extracted_at ASC, kafka_partition ASC, kafka_offset ASC"}}
)

SELECT
  e.event_id,
  e.order_id,
  e.customer_id,
  e.event_type,
  e.amount,
  e.items,
  e.item_count,
  e.event_timestamp,
  e.kafka_partition,
  e.kafka_offset,
  e._run_id,
  e._extracted_at,
  e.event_date
FROM first_delivery e
{{#is_incremental}}
LEFT ANTI JOIN {{this}} cur ON cur.event_id = e.event_id
{{/is_incremental}}
