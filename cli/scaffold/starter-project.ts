/**
 * The files of a new project (`etl init`): one typed source, a silver model with tests in a sidecar
 * YAML, a gold model, a singular test, and the folders the compiler expects. It compiles clean as
 * written, so the first `etl compile` shows the whole loop.
 */
export function starterProject(name: string, schemaPath: string): Record<string, string> {
  return {
    'project.yaml': `# yaml-language-server: $schema=${schemaPath}
name: ${name}
version: 1

layers:
  bronze: { database: bronze }
  silver: { database: silver }
  gold: { database: gold }

vars:
  min_order_date: '2015-01-01'

defaults:
  models/silver:
    materialized: table
  models/gold:
    materialized: table

default_target: local

targets:
  local:
    kind: local
    # Warehouse roots on the local file system, relative to the project.
    warehouse_dir: data/warehouse
`,
    'sources/shop.ts': `import { defineSource, env, t } from 'lakehouse-etl';

// Credentials are names of environment variables, never values.
export default defineSource({
  name: 'shop',
  system: 'snowflake',
  connection: {
    account: 'acme-xy12345',
    warehouse: 'INGEST_WH',
    database: 'SHOP',
    schema: 'PUBLIC',
    auth: { kind: 'password', username: env('SNOWFLAKE_USER'), password: env('SNOWFLAKE_PASSWORD') },
  },
  tables: {
    orders: {
      table: 'ORDERS',
      cursor: 'updated_at',
      freshness: { warnAfter: '6h', errorAfter: '24h' },
      columns: {
        order_id: t.string().primaryKey(),
        customer_email: t.string().pii(),
        amount: t.decimal(18, 2).notNull(),
        order_date: t.date().notNull(),
        updated_at: t.timestamp().notNull(),
      },
    },
  },
});
`,
    'models/silver/stg_orders.sql': `-- Orders as landed in bronze, typed and trimmed; one row per order (the latest version).
SELECT order_id, lower(trim(customer_email)) AS customer_email, amount, order_date, updated_at
FROM (
  SELECT *, row_number() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS version_rank
  FROM {{source "shop" "orders"}}
  WHERE order_date >= DATE '{{var "min_order_date"}}'
) versions
WHERE version_rank = 1
`,
    'models/silver/stg_orders.yml': `description: Orders from the shop database, latest version per order.
owner: data-team
columns:
  order_id:
    description: Order identifier.
    tests: [not_null, unique]
  customer_email:
    tests: [email]
  amount:
    tests:
      - expression: { expression: "amount >= 0", severity: warn }
`,
    'models/gold/daily_revenue.sql': `-- Revenue and order count per day.
SELECT order_date, sum(amount) AS revenue, count(*) AS orders
FROM {{ref "stg_orders"}}
GROUP BY order_date
`,
    'models/gold/daily_revenue.yml': `description: Revenue per order day.
columns:
  order_date:
    tests: [not_null, unique]
`,
    'tests/assert_revenue_not_negative.sql': `-- A singular test: the rows it returns are failures.
SELECT order_date, revenue
FROM {{ref "daily_revenue"}}
WHERE revenue < 0
`,
    'macros/README.md': `Handlebars partials (\`*.hbs\`, used as \`{{> name}}\`) and TypeScript helpers (\`*.ts\`, each export a
helper) for the models.
`,
    '.gitignore': `target/
.etl/
data/
`,
  };
}
