{{config strategy='timestamp' unique_key='account_id' updated_at='system_modstamp' invalidate_hard_deletes=true}}
-- History of Salesforce accounts (SCD type 2): a new version each time SystemModstamp moves; an
-- account deleted in Salesforce (or no longer valid) has its current version closed.
SELECT
  account_id,
  account_name,
  industry,
  account_type,
  billing_country,
  billing_city,
  annual_revenue,
  number_of_employees,
  system_modstamp
FROM {{ref "stg_accounts"}}
WHERE is_valid AND NOT is_deleted
