{{config materialized="incremental" incremental_strategy="merge" unique_key="lead_id"}}
-- Salesforce leads, latest version per lead, emails normalised and validated; deletes kept as flags.
WITH landed AS (
  SELECT *
  FROM {{source "salesforce" "leads"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "lead_id"}} AS lead_id,
    {{clean_text "first_name"}} AS first_name,
    {{clean_text "last_name"}} AS last_name,
    {{normalize_email "email"}} AS email,
    {{clean_text "phone"}} AS phone,
    {{clean_text "company"}} AS company,
    {{clean_text "lead_source"}} AS lead_source,
    {{clean_text "status"}} AS status,
    annual_revenue,
    coalesce(is_converted, false) AS is_converted,
    {{clean_key "converted_account_id"}} AS converted_account_id,
    created_date,
    system_modstamp,
    coalesce(is_deleted, false) AS is_deleted,
    _run_id,
    _extracted_at
  FROM landed
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="lead_id" order_by="system_modstamp DESC, _extracted_at DESC"}}
)

SELECT
  l.lead_id,
  l.first_name,
  l.last_name,
  l.email,
  l.phone,
  l.company,
  l.lead_source,
  l.status,
  l.annual_revenue,
  l.is_converted,
  l.converted_account_id,
  l.created_date,
  l.system_modstamp,
  l.is_deleted,
  {{is_valid_email "l.email"}} AS has_valid_email,
  l.lead_id IS NOT NULL AND {{is_valid_email "l.email"}} AS is_valid,
  l._run_id,
  l._extracted_at
FROM latest l
{{#is_incremental}}
LEFT JOIN {{this}} cur ON cur.lead_id = l.lead_id
WHERE cur.lead_id IS NULL OR l.system_modstamp > cur.system_modstamp
{{/is_incremental}}
