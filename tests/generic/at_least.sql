{{!-- args: { min: number } --}}
{{!-- Rows whose column is below `min` (NULLs are left to not_null). --}}
SELECT t.*
FROM {{model}} AS t
WHERE {{column}} < {{args.min}}
