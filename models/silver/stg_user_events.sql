{{config materialized="incremental" incremental_strategy="insert_overwrite" partition_by="event_date"}}
-- Clickstream events, one row per event_id (the first delivery; Kafka delivers at least once).
-- Bronze is partitioned by event day and late events land in old days, so an incremental run
-- rebuilds every day that received anything new since the last build, and only those.
WITH
{{#is_incremental}}
touched_days AS (
  SELECT DISTINCT ingest_date
  FROM {{source "kafka" "user_events"}}
  WHERE _extracted_at > (SELECT coalesce(max(_extracted_at), TIMESTAMP '1970-01-01 00:00:00') FROM {{this}})
),
{{/is_incremental}}
landed AS (
  SELECT *
  FROM {{source "kafka" "user_events"}}
  {{#is_incremental}}
  WHERE ingest_date IN (SELECT ingest_date FROM touched_days)
  {{/is_incremental}}
),

cleaned AS (
  SELECT
    {{clean_key "event_id"}} AS event_id,
    {{clean_key "user_id"}} AS user_id,
    {{clean_key "session_id"}} AS session_id,
    {{clean_label "event_type"}} AS event_type,
    page_url,
    device,
    properties,
    event_timestamp,
    -- The bronze partition is the event's UTC day; reusing it avoids session-time-zone surprises.
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
  event_id,
  user_id,
  session_id,
  event_type,
  page_url,
  device,
  properties,
  event_timestamp,
  user_id IS NULL AS is_anonymous,
  kafka_partition,
  kafka_offset,
  _run_id,
  _extracted_at,
  event_date
FROM first_delivery
