-- Pipeline by close month, industry and stage (CRM mart), with each industry's win rate on closed deals.
WITH by_stage AS (
  SELECT
    close_month,
    coalesce(industry, 'Unknown') AS industry,
    stage_name,
    count(*) AS opportunities,
    sum(amount) AS pipeline_amount,
    sum(weighted_amount) AS weighted_amount,
    sum(CASE WHEN is_won THEN 1 ELSE 0 END) AS won_count,
    sum(CASE WHEN is_closed THEN 1 ELSE 0 END) AS closed_count,
    CAST(avg(days_to_close) AS decimal(10,1)) AS avg_days_to_close
  FROM {{ref "fct_opportunities"}}
  GROUP BY close_month, coalesce(industry, 'Unknown'), stage_name
)

SELECT
  close_month,
  industry,
  stage_name,
  opportunities,
  pipeline_amount,
  weighted_amount,
  won_count,
  closed_count,
  avg_days_to_close,
  CAST(
    sum(won_count) OVER (PARTITION BY industry) / nullif(sum(closed_count) OVER (PARTITION BY industry), 0)
    AS decimal(5,4)
  ) AS industry_win_rate,
  rank() OVER (PARTITION BY close_month ORDER BY weighted_amount DESC) AS month_rank
FROM by_stage
