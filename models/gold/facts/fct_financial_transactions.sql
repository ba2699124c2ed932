{{config materialized="table" partition_by="transaction_date"}}
-- Valid ledger transactions with a running balance per GL account (SOX reporting).
SELECT
  t.transaction_id,
  t.transaction_date,
  t.posted_at,
  t.transaction_type,
  t.transaction_type = 'refund' AS is_refund,
  t.order_id,
  {{mask_hash "t.customer_id"}} AS customer_id,
  t.account_id,
  t.gl_account,
  t.currency,
  t.amount,
  sum(t.amount) OVER (
    PARTITION BY t.gl_account, t.currency
    ORDER BY t.posted_at, t.transaction_id
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS gl_running_balance
FROM {{ref "stg_financial_transactions"}} t
WHERE t.is_valid
