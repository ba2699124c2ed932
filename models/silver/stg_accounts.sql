{{config materialized="incremental" incremental_strategy="merge" unique_key="account_id"}}
-- Salesforce accounts, latest version per account. Deletes (IsDeleted) are kept as flagged rows so a
-- merge can apply them; gold drops them.
WITH landed AS (
  SELECT *
  FROM {{source "salesforce" "accounts"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "account_id"}} AS account_id,
    {{clean_text "account_name"}} AS account_name,
    {{clean_text "industry"}} AS industry,
    {{clean_text "account_type"}} AS account_type,
    {{clean_code "billing_country"}} AS billing_country,
    {{clean_text "billing_city"}} AS billing_city,
    {{clean_text "phone"}} AS phone,
    annual_revenue,
    number_of_employees,
    created_date,
    system_modstamp,
    coalesce(is_deleted, false) AS is_deleted,
    _run_id,
    _extracted_at
  FROM landed
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="account_id" order_by="system_modstamp DESC, _extracted_at DESC"}}
)

SELECT
  a.account_id,
  a.account_name,
  a.industry,
  a.account_type,
  a.billing_country,
  a.billing_city,
  a.phone,
  a.annual_revenue,
  a.number_of_employees,
  a.created_date,
  a.system_modstamp,
  a.is_deleted,
  a.account_id IS NOT NULL AS is_valid,
  a._run_id,
  a._extracted_at
FROM latest a
{{#is_incremental}}
LEFT JOIN {{this}} cur ON cur.account_id = a.account_id
WHERE cur.account_id IS NULL OR a.system_modstamp > cur.system_modstamp
{{/is_incremental}}
