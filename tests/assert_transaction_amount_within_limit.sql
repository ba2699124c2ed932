{{config severity="warn"}}
-- Ledger transactions whose absolute amount exceeds vars.max_transaction_amount (likely keying errors).
SELECT transaction_id, transaction_type, amount, posted_at
FROM {{ref "stg_financial_transactions"}}
WHERE abs(amount) > {{var "max_transaction_amount"}}
