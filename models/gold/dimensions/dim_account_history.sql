-- Account dimension with history (SCD type 2) from the accounts snapshot: join facts on
-- account_id AND the fact's time BETWEEN valid_from AND coalesce(valid_to, TIMESTAMP '9999-12-31').
SELECT
  account_id,
  account_name,
  coalesce(industry, 'Unknown') AS industry,
  account_type,
  billing_country,
  valid_from,
  valid_to,
  is_current
FROM {{ref "snap_accounts"}}
