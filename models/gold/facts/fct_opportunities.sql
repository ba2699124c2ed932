-- Live, valid opportunities with their account's industry and segment, weighted pipeline value and cycle time.
WITH live AS (
  SELECT *
  FROM {{ref "stg_opportunities"}}
  WHERE is_valid AND NOT is_deleted
)

SELECT
  o.opportunity_id,
  o.account_id,
  a.industry,
  a.segment,
  o.opportunity_name,
  o.stage_name,
  o.is_closed,
  o.is_won,
  o.amount,
  o.probability,
  CAST(o.amount * o.probability / 100 AS decimal(18,2)) AS weighted_amount,
  o.close_date,
  trunc(o.close_date, 'MM') AS close_month,
  datediff(o.close_date, CAST(o.created_date AS date)) AS days_to_close,
  o.owner_id,
  o.created_date,
  o.system_modstamp AS updated_at
FROM live o
LEFT JOIN {{ref "dim_account"}} a ON a.account_id = o.account_id
