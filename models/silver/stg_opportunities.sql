{{config materialized="incremental" incremental_strategy="merge" unique_key="opportunity_id"}}
-- Salesforce opportunities, latest version per opportunity; amount checked against the valid range.
WITH landed AS (
  SELECT *
  FROM {{source "salesforce" "opportunities"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "opportunity_id"}} AS opportunity_id,
    {{clean_key "account_id"}} AS account_id,
    {{clean_text "opportunity_name"}} AS opportunity_name,
    {{clean_text "stage_name"}} AS stage_name,
    amount,
    probability,
    close_date,
    coalesce(is_closed, false) AS is_closed,
    coalesce(is_won, false) AS is_won,
    {{clean_key "owner_id"}} AS owner_id,
    created_date,
    system_modstamp,
    coalesce(is_deleted, false) AS is_deleted,
    _run_id,
    _extracted_at
  FROM landed
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="opportunity_id" order_by="system_modstamp DESC, _extracted_at DESC"}}
),

checked AS (
  SELECT
    *,
    coalesce(amount BETWEEN 0 AND {{var "max_transaction_amount"}}, false) AS has_valid_amount
  FROM latest
)

SELECT
  o.opportunity_id,
  o.account_id,
  o.opportunity_name,
  o.stage_name,
  o.amount,
  o.probability,
  o.close_date,
  o.is_closed,
  o.is_won,
  o.owner_id,
  o.created_date,
  o.system_modstamp,
  o.is_deleted,
  o.has_valid_amount,
  o.opportunity_id IS NOT NULL AND o.account_id IS NOT NULL AND o.has_valid_amount AS is_valid,
  o._run_id,
  o._extracted_at
FROM checked o
{{#is_incremental}}
LEFT JOIN {{this}} cur ON cur.opportunity_id = o.opportunity_id
WHERE cur.opportunity_id IS NULL OR o.system_modstamp > cur.system_modstamp
{{/is_incremental}}
