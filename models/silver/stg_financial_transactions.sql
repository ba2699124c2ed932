{{config materialized="incremental" incremental_strategy="append" partition_by="transaction_date"}}
-- General-ledger transactions, one row per transaction. Posted transactions never change, so new ones
-- are appended; re-extracted ones (overlapping extraction windows) are skipped.
WITH landed AS (
  SELECT *
  FROM {{source "snowflake" "financial_transactions"}}
  {{> landed_since_last_run}}
),

cleaned AS (
  SELECT
    {{clean_key "transaction_id"}} AS transaction_id,
    {{clean_key "account_id"}} AS account_id,
    {{clean_key "order_id"}} AS order_id,
    {{clean_key "customer_id"}} AS customer_id,
    {{clean_label "transaction_type"}} AS transaction_type,
    amount,
    {{clean_code "currency"}} AS currency,
    trim(gl_account) AS gl_account,
    transaction_date,
    posted_at,
    _run_id,
    _extracted_at
  FROM landed
),

latest AS (
  {{> dedupe_latest relation="cleaned" key="transaction_id" order_by="posted_at DESC, _extracted_at DESC"}}
)

SELECT
  t.transaction_id,
  t.account_id,
  t.order_id,
  t.customer_id,
  t.transaction_type,
  t.amount,
  t.currency,
  t.gl_account,
  t.transaction_date,
  t.posted_at,
  coalesce(abs(t.amount) <= {{var "max_transaction_amount"}}, false) AS is_within_limit,
  t.transaction_id IS NOT NULL AND coalesce(abs(t.amount) <= {{var "max_transaction_amount"}}, false) AS is_valid,
  t._run_id,
  t._extracted_at
FROM latest t
{{#is_incremental}}
LEFT ANTI JOIN {{this}} cur ON cur.transaction_id = t.transaction_id
{{/is_incremental}}
