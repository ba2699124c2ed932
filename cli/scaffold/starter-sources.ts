/**
 * One starter per source system `etl init --sources` offers: a typed source declaration, a silver
 * model (SQL, tests in its sidecar YAML) and a gold model in TypeScript whose column handles are
 * typed by the generated typings (`tsc` rejects a column that does not exist). Primary keys are
 * strings, so `etl ingest --dev-sources` lands every table as generated.
 */
export const SOURCE_SYSTEMS = ['snowflake', 'salesforce', 'kafka', 'files'] as const;
export type SourceSystem = (typeof SOURCE_SYSTEMS)[number];

export type Files = Record<string, string>;

const snowflake: Files = {
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
  'models/silver/stg_orders.sql': `-- Orders as landed in bronze, trimmed; one row per order (its latest version).
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
  amount:
    tests:
      - expression: { expression: "amount >= 0", severity: warn }
`,
  'models/gold/daily_revenue.ts': `import { defineModel } from 'lakehouse-etl';

// Revenue and order count per order day. \`o.c.<column>\` is typed by .etl/types (written by
// \`etl compile\`): a column stg_orders does not have is a tsc error on its line.
export default defineModel({
  config: { materialized: 'table' },
  sql: ({ ref }) => {
    const o = ref('stg_orders').as('o');
    return \`
SELECT \${o.c.order_date} AS order_date, sum(\${o.c.amount}) AS revenue, count(*) AS orders
FROM \${o}
GROUP BY \${o.c.order_date}
\`;
  },
});
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
};

const salesforce: Files = {
  'sources/crm.ts': `import { defineSource, env, t } from 'lakehouse-etl';

// Salesforce objects through the REST and Bulk 2.0 APIs; credentials are environment variable names.
export default defineSource({
  name: 'crm',
  system: 'salesforce',
  connection: {
    loginUrl: 'https://login.salesforce.com',
    apiVersion: '58.0',
    auth: {
      kind: 'refresh_token',
      clientId: env('SALESFORCE_CLIENT_ID'),
      clientSecret: env('SALESFORCE_CLIENT_SECRET'),
      refreshToken: env('SALESFORCE_REFRESH_TOKEN'),
    },
  },
  tables: {
    accounts: {
      object: 'Account',
      cursor: 'system_modstamp',
      freshness: { warnAfter: '1d' },
      columns: {
        account_id: t.string().primaryKey().from('Id'),
        account_name: t.string().from('Name'),
        industry: t.string().from('Industry'),
        annual_revenue: t.decimal(18, 2).from('AnnualRevenue'),
        system_modstamp: t.timestamp().notNull().from('SystemModstamp'),
      },
    },
  },
});
`,
  'models/silver/stg_accounts.sql': `-- Accounts as landed in bronze; one row per account (its latest version).
SELECT account_id, account_name, coalesce(industry, 'Unknown') AS industry, annual_revenue, system_modstamp
FROM (
  SELECT *, row_number() OVER (PARTITION BY account_id ORDER BY system_modstamp DESC) AS version_rank
  FROM {{source "crm" "accounts"}}
) versions
WHERE version_rank = 1
`,
  'models/silver/stg_accounts.yml': `description: Salesforce accounts, latest version per account.
columns:
  account_id:
    tests: [not_null, unique]
  industry:
    tests: [not_null]
`,
  'models/gold/accounts_by_industry.ts': `import { defineModel } from 'lakehouse-etl';

// Accounts and their revenue per industry; column handles are typed by .etl/types.
export default defineModel({
  config: { materialized: 'table' },
  sql: ({ ref }) => {
    const a = ref('stg_accounts').as('a');
    return \`
SELECT \${a.c.industry} AS industry, count(*) AS accounts, sum(\${a.c.annual_revenue}) AS annual_revenue
FROM \${a}
GROUP BY \${a.c.industry}
\`;
  },
});
`,
  'models/gold/accounts_by_industry.yml': `description: Accounts and annual revenue per industry.
columns:
  industry:
    tests: [not_null, unique]
`,
};

const kafka: Files = {
  'sources/events.ts': `import { defineSource, env, t } from 'lakehouse-etl';

// A Kafka topic of JSON events, landed in micro-batches and partitioned by event time in bronze.
export default defineSource({
  name: 'events',
  system: 'kafka',
  connection: {
    brokers: ['kafka.example.com:9092'],
    securityProtocol: 'SASL_SSL',
    sasl: { mechanism: 'scram-sha-512', username: env('KAFKA_USERNAME'), password: env('KAFKA_PASSWORD') },
    consumerGroupPrefix: 'lakehouse-etl',
  },
  tables: {
    page_views: {
      topic: 'page_views',
      partitions: 3,
      valueFormat: 'json',
      keyColumn: 'user_id',
      eventTimeColumn: 'event_timestamp',
      freshness: { warnAfter: '1h' },
      columns: {
        event_id: t.string().primaryKey(),
        user_id: t.string().pii(),
        page_url: t.string(),
        event_timestamp: t.timestamp().notNull(),
      },
    },
  },
});
`,
  'models/silver/stg_page_views.sql': `-- Page views, one row per event (Kafka delivers at least once).
SELECT event_id, user_id, page_url, event_timestamp
FROM (
  SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY event_timestamp) AS copy
  FROM {{source "events" "page_views"}}
) events
WHERE copy = 1
`,
  'models/silver/stg_page_views.yml': `description: Page views without duplicate deliveries.
columns:
  event_id:
    tests: [not_null, unique]
`,
  'models/gold/daily_page_views.ts': `import { defineModel } from 'lakehouse-etl';

// Page views and distinct visitors per day; column handles are typed by .etl/types.
export default defineModel({
  config: { materialized: 'table' },
  sql: ({ ref }) => {
    const v = ref('stg_page_views').as('v');
    return \`
SELECT to_date(\${v.c.event_timestamp}) AS view_date, count(*) AS views, count(DISTINCT \${v.c.user_id}) AS visitors
FROM \${v}
GROUP BY to_date(\${v.c.event_timestamp})
\`;
  },
});
`,
  'models/gold/daily_page_views.yml': `description: Page views and visitors per day.
columns:
  view_date:
    tests: [not_null, unique]
`,
};

const files: Files = {
  'sources/landing.ts': `import { defineSource, t } from 'lakehouse-etl';

// JSON-lines files, one folder per table under landing/ in this project (any process may drop them).
export default defineSource({
  name: 'landing',
  system: 'files',
  connection: { directory: 'landing' },
  tables: {
    customers: {
      cursor: 'updated_at',
      freshness: { warnAfter: '7d' },
      columns: {
        customer_id: t.string().primaryKey(),
        email: t.string().pii(),
        country: t.string(),
        updated_at: t.timestamp().notNull(),
      },
    },
  },
});
`,
  'landing/customers/part-0001.jsonl': [
    { customer_id: 'c-001', email: 'ada@example.com', country: 'GB', updated_at: '2025-01-02T09:00:00Z' },
    { customer_id: 'c-002', email: 'grace@example.com', country: 'US', updated_at: '2025-01-03T10:30:00Z' },
    { customer_id: 'c-003', email: 'edsger@example.com', country: 'NL', updated_at: '2025-01-04T08:15:00Z' },
    { customer_id: 'c-004', email: 'barbara@example.com', country: 'US', updated_at: '2025-01-05T16:45:00Z' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n',
  'models/silver/stg_customers.sql': `-- Customers from the landed files; one row per customer (the latest file's version).
SELECT customer_id, lower(email) AS email, upper(country) AS country, updated_at
FROM (
  SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) AS version_rank
  FROM {{source "landing" "customers"}}
) versions
WHERE version_rank = 1
`,
  'models/silver/stg_customers.yml': `description: Customers, latest version per customer.
columns:
  customer_id:
    tests: [not_null, unique]
`,
  'models/gold/customers_by_country.ts': `import { defineModel } from 'lakehouse-etl';

// Customers per country; column handles are typed by .etl/types.
export default defineModel({
  config: { materialized: 'table' },
  sql: ({ ref }) => {
    const c = ref('stg_customers').as('c');
    return \`
SELECT \${c.c.country} AS country, count(*) AS customers
FROM \${c}
GROUP BY \${c.c.country}
\`;
  },
});
`,
  'models/gold/customers_by_country.yml': `description: Customers per country.
columns:
  country:
    tests: [unique]
`,
};

export const STARTER_SOURCES: Record<SourceSystem, Files> = { snowflake, salesforce, kafka, files };
