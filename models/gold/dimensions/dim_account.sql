-- Live Salesforce accounts (deleted ones dropped) with a size segment and how many leads converted into each.
WITH live_accounts AS (
  SELECT *
  FROM {{ref "stg_accounts"}}
  WHERE is_valid AND NOT is_deleted
),

conversions AS (
  SELECT converted_account_id AS account_id, count(*) AS converted_leads
  FROM {{ref "stg_leads"}}
  WHERE is_converted AND NOT is_deleted AND converted_account_id IS NOT NULL
  GROUP BY converted_account_id
)

SELECT
  a.account_id,
  a.account_name,
  coalesce(a.industry, 'Unknown') AS industry,
  a.account_type,
  a.billing_country,
  cc.currency_code AS billing_currency,
  a.billing_city,
  a.annual_revenue,
  a.number_of_employees,
  CASE
    WHEN a.number_of_employees >= 5000 THEN 'enterprise'
    WHEN a.number_of_employees >= 500 THEN 'mid-market'
    ELSE 'smb'
  END AS segment,
  coalesce(c.converted_leads, 0) AS converted_leads,
  a.created_date,
  a.system_modstamp AS updated_at
FROM live_accounts a
LEFT JOIN conversions c ON c.account_id = a.account_id
LEFT JOIN {{ref "country_currency"}} cc ON cc.country_code = a.billing_country
