/**
 * Deterministic generator of synthetic lakehouse-etl projects for the compile benchmark.
 *
 *   node --import tsx bench/generate-project.ts --models 10000 --out /tmp/etl-bench [--seed 42]
 *
 * Writes project.yaml, typed sources (sources/*.ts, importing from 'lakehouse-etl'), shared macros
 * and N SQL models: ~30% silver models that clean and de-duplicate one source table each, ~70% gold
 * models reading 1-3 earlier models (aggregates with GROUP BY, window functions, joins of aggregated
 * CTEs, UNION ALL), materialized as table, view, incremental (merge, append, insert_overwrite) or
 * ephemeral, some with a sidecar YAML of tests. The generator tracks every model's output columns and
 * their kinds, so each generated query is valid against its upstreams: the project compiles clean.
 * Same options, same bytes.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../runtime/dev-servers/reference-data.js';

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32, shared with the loopback servers' data)

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  float(): number {
    return this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  /** Picks by weight: `[['a', 3], ['b', 1]]`. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of items) {
      x -= w;
      if (x < 0) return v;
    }
    return items[items.length - 1]![0];
  }
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    const out: T[] = [];
    while (out.length < n && copy.length) out.push(copy.splice(this.int(copy.length), 1)[0]!);
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Column model

/** What the generator needs to know about a column to use it correctly. */
type Kind = 'str' | 'int' | 'bigint' | 'dec' | 'dbl' | 'bool' | 'date' | 'ts' | 'arr' | 'map' | 'struct';
type Role = 'pk' | 'key' | 'label' | 'text' | 'email' | 'measure' | 'flag' | 'date' | 'ts' | 'complex';

interface Col {
  name: string;
  kind: Kind;
  role: Role;
  /** Stable base name, so derived names do not grow from layer to layer. */
  root: string;
  /** Known values of a label (lower case). */
  values?: string[];
  /** For struct columns: string fields. For maps: a key to extract. */
  fields?: string[];
}

interface SourceCol extends Col {
  builder: string;
}

interface SourceTable {
  system: 'snowflake' | 'salesforce' | 'kafka';
  name: string;
  /** Snowflake table, Salesforce object or Kafka topic. */
  external: string;
  description: string;
  pk: string;
  cursor: string;
  dateCol: string;
  cols: SourceCol[];
}

const NUMERIC: ReadonlySet<Kind> = new Set(['int', 'bigint', 'dec', 'dbl']);

// Column builders for the source DSL below.
const pk = (name: string, extra = ''): SourceCol => ({ name, kind: 'str', role: 'pk', root: name, builder: `t.string().primaryKey()${extra}` });
const key = (name: string, extra = ''): SourceCol => ({ name, kind: 'str', role: 'key', root: name, builder: `t.string()${extra}` });
const label = (name: string, values: string[]): SourceCol => ({ name, kind: 'str', role: 'label', root: name, values, builder: 't.string()' });
const text = (name: string, extra = ''): SourceCol => ({ name, kind: 'str', role: 'text', root: name, builder: `t.string()${extra}` });
const email = (name: string): SourceCol => ({ name, kind: 'str', role: 'email', root: name, builder: 't.string().pii()' });
const dec = (name: string, p = 18, s = 2, extra = ''): SourceCol => ({ name, kind: 'dec', role: 'measure', root: name, builder: `t.decimal(${p}, ${s})${extra}` });
const int = (name: string): SourceCol => ({ name, kind: 'int', role: 'measure', root: name, builder: 't.int()' });
const big = (name: string): SourceCol => ({ name, kind: 'bigint', role: 'measure', root: name, builder: 't.bigint()' });
const dbl = (name: string): SourceCol => ({ name, kind: 'dbl', role: 'measure', root: name, builder: 't.double()' });
const flag = (name: string): SourceCol => ({ name, kind: 'bool', role: 'flag', root: name, builder: 't.boolean()' });
const date = (name: string): SourceCol => ({ name, kind: 'date', role: 'date', root: name, builder: 't.date()' });
const ts = (name: string, notNull = true): SourceCol => ({ name, kind: 'ts', role: 'ts', root: name, builder: `t.timestamp()${notNull ? '.notNull()' : ''}` });
const arr = (name: string): SourceCol => ({ name, kind: 'arr', role: 'complex', root: name, builder: 't.array(t.string())' });
const map = (name: string, keyName: string): SourceCol => ({ name, kind: 'map', role: 'complex', root: name, fields: [keyName], builder: 't.map(t.string(), t.string())' });
const struct = (name: string, fields: string[]): SourceCol => ({
  name,
  kind: 'struct',
  role: 'complex',
  root: name,
  fields,
  builder: `t.struct({ ${fields.map((f) => `${f}: t.string()`).join(', ')} })`,
});

const STATUS = ['created', 'paid', 'shipped', 'delivered', 'cancelled'];
const CURRENCY = ['usd', 'eur', 'gbp', 'jpy'];
const CHANNEL = ['web', 'mobile', 'store', 'partner'];
const REGION = ['amer', 'emea', 'apac'];

function table(system: SourceTable['system'], name: string, description: string, cols: SourceCol[], cursor = 'updated_at', dateCol?: string): SourceTable {
  const pkCol = cols.find((c) => c.role === 'pk')!;
  const d = dateCol ?? cols.find((c) => c.role === 'date')!.name;
  const external = system === 'snowflake' ? name.toUpperCase() : system === 'salesforce' ? name.split('_').map((p) => p[0]!.toUpperCase() + p.slice(1)).join('') : name;
  return { system, name, external, description, pk: pkCol.name, cursor, dateCol: d, cols };
}

/** A few dozen source tables across the three systems, with realistic typed columns. */
export const SOURCE_TABLES: SourceTable[] = [
  // Snowflake: ERP, commerce and finance batches.
  table('snowflake', 'customer_orders', 'Orders captured by the CRM, one row per order version.', [
    pk('order_id'), key('customer_id', '.pii()'), key('product_id'), key('store_id'), email('customer_email'), text('shipping_address', '.pii()'),
    int('quantity'), dec('unit_price', 18, 2, '.sensitive()'), dec('amount', 18, 2, '.sensitive()'), label('currency', CURRENCY), label('order_status', STATUS),
    label('sales_channel', CHANNEL), flag('is_gift'), date('order_date'), ts('created_at'), ts('updated_at'),
  ]),
  table('snowflake', 'order_lines', 'Order lines with prices after discounts.', [
    pk('line_id'), key('order_id'), key('product_id'), key('customer_id', '.pii()'), int('quantity'), dec('line_amount'), dec('discount_amount'),
    label('line_status', ['open', 'fulfilled', 'returned']), flag('is_promo'), date('order_date'), ts('updated_at'),
  ]),
  table('snowflake', 'customers', 'Customer master from the ERP.', [
    pk('customer_id', '.pii()'), key('account_id'), email('email'), text('full_name', '.pii()'), text('city'), label('region', REGION),
    label('segment', ['consumer', 'smb', 'enterprise']), dec('credit_limit', 18, 2, '.sensitive()'), flag('is_active'), date('signup_date'), ts('updated_at'),
    map('attributes', 'tier'),
  ]),
  table('snowflake', 'product_catalog', 'Products from the ERP with current list price.', [
    pk('product_id'), key('supplier_id'), text('sku'), text('product_name'), label('category', ['electronics', 'apparel', 'home', 'sports', 'beauty', 'grocery', 'toys']),
    text('brand'), dec('price', 12, 2, '.sensitive()'), dec('cost', 12, 2, '.sensitive()'), flag('is_active'), date('launch_date'), ts('updated_at'), arr('tags'),
  ]),
  table('snowflake', 'product_prices', 'Price changes per product and region.', [
    pk('price_id'), key('product_id'), label('region', REGION), dec('list_price', 12, 2), dec('sale_price', 12, 2), label('price_type', ['list', 'promo', 'clearance']),
    date('effective_date'), ts('updated_at'),
  ]),
  table('snowflake', 'invoices', 'Invoices issued to customers.', [
    pk('invoice_id', '.restricted()'), key('customer_id', '.pii()'), key('order_id'), key('account_id'), dec('invoice_amount', 18, 2, '.sensitive()'), dec('tax_amount'),
    label('invoice_status', ['draft', 'issued', 'paid', 'void']), label('currency', CURRENCY), int('payment_terms_days'), date('invoice_date'), ts('updated_at'),
  ]),
  table('snowflake', 'payments', 'Payments received, by method.', [
    pk('payment_id'), key('invoice_id'), key('customer_id', '.pii()'), key('order_id'), dec('payment_amount', 18, 2, '.sensitive()'), dec('fee_amount', 18, 4),
    label('payment_method', ['card', 'wire', 'paypal', 'voucher']), label('payment_status', ['pending', 'settled', 'failed']), flag('is_refunded'), date('payment_date'), ts('updated_at'),
  ]),
  table('snowflake', 'refunds', 'Refunds issued against orders.', [
    pk('refund_id'), key('order_id'), key('customer_id', '.pii()'), key('product_id'), dec('refund_amount'), label('refund_reason', ['damaged', 'late', 'wrong_item', 'other']),
    flag('is_partial'), date('refund_date'), ts('updated_at'),
  ]),
  table('snowflake', 'shipments', 'Shipments from warehouses to customers.', [
    pk('shipment_id'), key('order_id'), key('warehouse_id'), key('customer_id', '.pii()'), label('carrier', ['ups', 'fedex', 'dhl', 'usps']), int('package_count'),
    dbl('weight_kg'), dec('shipping_cost'), label('shipment_status', ['packed', 'in_transit', 'delivered', 'lost']), date('ship_date'), ts('updated_at'),
  ]),
  table('snowflake', 'returns', 'Returned items received at warehouses.', [
    pk('return_id'), key('order_id'), key('product_id'), key('warehouse_id'), int('returned_quantity'), dec('return_value'), label('condition', ['new', 'opened', 'damaged']),
    date('return_date'), ts('updated_at'),
  ]),
  table('snowflake', 'suppliers', 'Supplier master.', [
    pk('supplier_id'), text('supplier_name'), label('region', REGION), label('tier', ['strategic', 'preferred', 'spot']), int('lead_time_days'), dbl('quality_score'),
    flag('is_certified'), date('onboarded_date'), ts('updated_at'),
  ]),
  table('snowflake', 'purchase_orders', 'Purchase orders sent to suppliers.', [
    pk('po_id'), key('supplier_id'), key('product_id'), key('warehouse_id'), int('ordered_quantity'), dec('po_amount'), label('po_status', ['open', 'received', 'closed', 'cancelled']),
    date('po_date'), ts('updated_at'),
  ]),
  table('snowflake', 'inventory_levels', 'Daily stock levels per product and warehouse.', [
    pk('inventory_id'), key('product_id'), key('warehouse_id'), int('on_hand'), int('reserved'), int('reorder_point'), dec('stock_value'), flag('is_stockout'),
    date('snapshot_date'), ts('updated_at'),
  ]),
  table('snowflake', 'warehouses', 'Warehouses and fulfilment centres.', [
    pk('warehouse_id'), text('warehouse_name'), label('region', REGION), int('capacity_units'), dbl('utilisation'), flag('is_automated'), date('opened_date'), ts('updated_at'),
  ]),
  table('snowflake', 'gl_transactions', 'General-ledger transactions (SOX scope).', [
    pk('transaction_id', '.restricted()'), key('account_id', '.restricted()'), key('order_id'), key('customer_id', '.pii()'), label('transaction_type', ['debit', 'credit', 'adjustment']),
    dec('gl_amount', 18, 2, '.sensitive().restricted()'), label('currency', CURRENCY), text('gl_account', '.restricted()'), date('transaction_date'), ts('posted_at'),
  ], 'posted_at'),
  table('snowflake', 'budgets', 'Monthly budgets per account and region.', [
    pk('budget_id'), key('account_id'), label('region', REGION), dec('budget_amount', 18, 2, '.restricted()'), dec('forecast_amount'), label('scenario', ['plan', 'forecast', 'stretch']),
    date('budget_month'), ts('updated_at'),
  ]),
  table('snowflake', 'stores', 'Physical stores.', [
    pk('store_id'), text('store_name'), label('region', REGION), label('format', ['flagship', 'mall', 'outlet']), int('floor_area_m2'), dbl('footfall_index'), flag('is_open'),
    date('opened_date'), ts('updated_at'),
  ]),
  // Salesforce: CRM objects.
  table('salesforce', 'accounts', 'Customer accounts.', [
    pk('account_id'), text('account_name'), label('industry', ['retail', 'finance', 'health', 'tech', 'public']), label('region', REGION), big('employee_count'),
    dec('annual_revenue', 18, 2, '.sensitive()'), flag('is_partner'), date('created_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'contacts', 'Contacts at accounts.', [
    pk('contact_id', '.pii()'), key('account_id'), key('customer_id', '.pii()'), email('email'), text('full_name', '.pii()'), text('title'),
    label('lead_source', ['web', 'event', 'referral', 'partner']), flag('has_opted_out'), date('created_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'leads', 'Marketing and sales leads.', [
    pk('lead_id', '.pii()'), key('campaign_id'), email('email'), text('company'), label('lead_status', ['open', 'working', 'qualified', 'unqualified']),
    label('lead_source', ['web', 'event', 'referral', 'partner']), int('lead_score'), flag('is_converted'), date('created_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'opportunities', 'Sales opportunities.', [
    pk('opportunity_id'), key('account_id'), key('campaign_id'), key('owner_id'), dec('opportunity_amount', 18, 2, '.sensitive()'), dbl('probability'),
    label('stage', ['prospecting', 'qualification', 'proposal', 'negotiation', 'closed_won', 'closed_lost']), flag('is_closed'), date('close_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'cases', 'Support cases.', [
    pk('case_id'), key('account_id'), key('contact_id', '.pii()'), key('product_id'), label('priority', ['low', 'medium', 'high', 'urgent']), label('case_status', ['new', 'working', 'escalated', 'closed']),
    int('reopen_count'), dbl('resolution_hours'), flag('is_escalated'), date('opened_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'campaigns', 'Marketing campaigns.', [
    pk('campaign_id'), text('campaign_name'), label('campaign_type', ['email', 'webinar', 'event', 'ads']), dec('budgeted_cost'), dec('actual_cost'), int('expected_responses'),
    flag('is_active'), date('start_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'campaign_members', 'Leads and contacts responding to campaigns.', [
    pk('member_id'), key('campaign_id'), key('lead_id', '.pii()'), key('contact_id', '.pii()'), label('member_status', ['sent', 'responded', 'attended']), flag('has_responded'),
    int('touch_count'), date('first_responded_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'tasks', 'Sales activities.', [
    pk('task_id'), key('account_id'), key('owner_id'), key('opportunity_id'), label('task_type', ['call', 'email', 'meeting']), int('duration_minutes'), flag('is_completed'),
    date('activity_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'contracts', 'Signed contracts.', [
    pk('contract_id'), key('account_id'), key('opportunity_id'), dec('contract_value', 18, 2, '.sensitive()'), int('term_months'), label('contract_status', ['draft', 'activated', 'expired']),
    flag('auto_renew'), date('start_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  table('salesforce', 'quotes', 'Quotes sent on opportunities.', [
    pk('quote_id'), key('opportunity_id'), key('account_id'), key('product_id'), dec('quote_amount'), dec('discount_pct', 5, 2), label('quote_status', ['draft', 'sent', 'accepted', 'rejected']),
    date('quote_date'), ts('system_modstamp'),
  ], 'system_modstamp'),
  // Kafka: event streams.
  table('kafka', 'page_views', 'Page views from the web and apps.', [
    pk('event_id'), key('customer_id', '.pii().restricted()'), key('session_id', '.restricted()'), key('product_id'), text('page_url'), label('device_type', ['desktop', 'mobile', 'tablet']),
    int('time_on_page_ms'), flag('is_bounce'), struct('device', ['os', 'browser', 'app_version']), map('properties', 'referrer'), date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'cart_events', 'Add and remove from cart.', [
    pk('event_id'), key('customer_id', '.pii()'), key('product_id'), key('session_id'), label('cart_action', ['add', 'remove', 'update']), int('quantity'), dec('cart_value'),
    date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'checkout_events', 'Checkout funnel steps.', [
    pk('event_id'), key('customer_id', '.pii()'), key('order_id'), key('session_id'), label('checkout_step', ['cart', 'shipping', 'payment', 'confirm']), dec('basket_amount'),
    flag('is_completed'), arr('coupon_codes'), date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'payment_events', 'Payment gateway callbacks.', [
    pk('event_id'), key('payment_id'), key('order_id'), key('customer_id', '.pii()'), label('gateway_status', ['authorised', 'captured', 'declined', 'refunded']), dec('event_amount'),
    int('latency_ms'), date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'shipment_events', 'Carrier tracking updates.', [
    pk('event_id'), key('shipment_id'), key('order_id'), key('warehouse_id'), label('tracking_status', ['label_created', 'picked_up', 'in_transit', 'delivered']), dbl('distance_km'),
    int('delay_minutes'), date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'app_sessions', 'Mobile app sessions.', [
    pk('session_id'), key('customer_id', '.pii()'), label('platform', ['ios', 'android', 'web']), int('screen_count'), big('session_duration_ms'), flag('has_crash'),
    struct('client', ['os', 'locale']), date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'search_events', 'Site search queries.', [
    pk('event_id'), key('customer_id', '.pii()'), key('session_id'), key('product_id'), text('query_text'), int('result_count'), dbl('relevance_score'), flag('has_click'),
    date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'inventory_events', 'Stock movements from warehouse scanners.', [
    pk('event_id'), key('product_id'), key('warehouse_id'), label('movement_type', ['receipt', 'pick', 'adjustment', 'transfer']), int('quantity_delta'), dec('movement_value'),
    date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
  table('kafka', 'review_events', 'Product reviews and ratings.', [
    pk('event_id'), key('customer_id', '.pii()'), key('product_id'), int('rating'), text('review_title'), flag('is_verified_purchase'), dbl('sentiment_score'),
    date('event_date'), ts('event_timestamp'),
  ], 'event_timestamp'),
];

// ---------------------------------------------------------------------------------------------
// Project files

function projectYaml(): string {
  return `# Synthetic project generated by bench/generate-project.ts: do not edit.
name: bench_lakehouse
version: 1

layers:
  bronze: { database: bronze }
  silver: { database: silver }
  gold: { database: gold }

vars:
  min_event_date: '2015-01-01'
  max_event_date: '2030-12-31'
  high_value_threshold: 1000
  accepted_regions: [amer, emea, apac]

defaults:
  models/silver:
    materialized: table
    tags: [silver]
  models/gold:
    materialized: table
    tags: [gold]
  models/gold/marts:
    tags: [mart]

default_target: local

targets:
  local:
    kind: local
    warehouse_dir: data/warehouse
    spark:
      master: local[2]
      driver_memory: 4g
      conf:
        spark.sql.shuffle.partitions: '4'
  emr:
    kind: emr
    region: us-east-1
    bucket: bench-lakehouse
    artifacts_prefix: etl/builds
    cluster:
      existing_cluster_id: null
      release: emr-7.13.0
      log_uri: s3://bench-lakehouse/emr-logs/
      primary_instance_type: m5.2xlarge
      core_instance_type: m5.2xlarge
      core_instance_count: 4
      task_spot_instance_count: 2
      managed_scaling: { min_units: 2, max_units: 10 }
      service_role: EMR_DefaultRole
      instance_profile: EMR_EC2_DefaultRole
      terminate_after_build: false
      tags: { team: data-platform }
    cloudwatch_namespace: BenchLakehouse/ETL
`;
}

const CONNECTIONS: Record<SourceTable['system'], string> = {
  snowflake: `{
    account: 'company',
    warehouse: 'ETL_WH',
    database: 'RAW_DATA',
    schema: 'PUBLIC',
    role: 'ETL_READER',
    auth: { kind: 'keypair', username: env('SNOWFLAKE_USERNAME'), privateKeyPath: env('SNOWFLAKE_PRIVATE_KEY_PATH') },
  }`,
  salesforce: `{
    loginUrl: 'https://company.salesforce.com',
    apiVersion: '58.0',
    auth: {
      kind: 'refresh_token',
      clientId: env('SALESFORCE_CLIENT_ID'),
      clientSecret: env('SALESFORCE_CLIENT_SECRET'),
      refreshToken: env('SALESFORCE_REFRESH_TOKEN'),
    },
  }`,
  kafka: `{
    brokers: ['company-kafka.company.com:9092'],
    securityProtocol: 'SASL_SSL',
    sasl: { mechanism: 'scram-sha-512', username: env('KAFKA_USERNAME'), password: env('KAFKA_PASSWORD') },
    consumerGroupPrefix: 'lakehouse-etl',
  }`,
};

function sourceFile(system: SourceTable['system'], tables: SourceTable[]): string {
  const body = tables
    .map((tb, i) => {
      const specific =
        system === 'snowflake'
          ? `      table: '${tb.external}',\n      windowSize: '1d',\n`
          : system === 'salesforce'
            ? `      object: '${tb.external}',\n      includeDeleted: true,\n`
            : `      topic: '${tb.external}',\n      partitions: ${4 + (i % 3) * 4},\n      valueFormat: 'json',\n      keyColumn: '${tb.pk}',\n      eventTimeColumn: '${tb.cursor}',\n`;
      const cols = tb.cols.map((c) => `        ${c.name}: ${c.builder},`).join('\n');
      return `    ${tb.name}: {
${specific}      description: '${tb.description.replace(/'/g, "\\'")}',
      cursor: '${tb.cursor}',
      freshness: { warnAfter: '${system === 'kafka' ? '30m' : '6h'}', errorAfter: '${system === 'kafka' ? '2h' : '1d'}' },
      drift: '${['evolve', 'quarantine', 'fail'][i % 3]}',
      tags: ['${system}'],
      columns: {
${cols}
      },
    },`;
    })
    .join('\n');
  return `import { defineSource, env, t } from 'lakehouse-etl';

/** Synthetic ${system} source generated by bench/generate-project.ts. */
export default defineSource({
  name: '${system}',
  system: '${system}',
  description: 'Synthetic ${system} tables for the compile benchmark.',
  owner: 'data-platform',
  connection: ${CONNECTIONS[system]},
  tables: {
${body}
  },
});
`;
}

const MACRO_HELPERS = `/** Cleaning helpers shared by the generated silver models (Handlebars helpers by export name). */
export function clean_key(column: string): string {
  return \`nullif(trim(\${column}), '')\`;
}

export function clean_text(column: string): string {
  return \`nullif(trim(\${column}), '')\`;
}

export function clean_label(column: string): string {
  return \`lower(trim(\${column}))\`;
}

export function normalize_email(column: string): string {
  return \`lower(trim(\${column}))\`;
}
`;

const DEDUPE_PARTIAL = `{{!-- Latest version per key; adds _version_rank. --}}
SELECT *
FROM (
  SELECT
    *,
    row_number() OVER (PARTITION BY {{key}} ORDER BY {{order_by}}) AS _version_rank
  FROM {{relation}}
) ranked
WHERE _version_rank = 1 OR {{key}} IS NULL
`;

// ---------------------------------------------------------------------------------------------
// Models

type Materialized = 'table' | 'view' | 'incremental' | 'ephemeral';

interface ModelInfo {
  name: string;
  layer: 'silver' | 'gold';
  cols: Col[];
  /** Columns identifying a row (for merge keys and unique tests); empty when unknown. */
  grain: string[];
  dateCol: string;
  materialized: Materialized;
}

interface GeneratedModel {
  info: ModelInfo;
  file: string;
  sql: string;
  yaml?: string;
}

const keysOf = (m: { cols: Col[] }) => m.cols.filter((c) => c.kind === 'str' && (c.role === 'key' || c.role === 'pk'));
const measuresOf = (m: { cols: Col[] }) => m.cols.filter((c) => c.role === 'measure' && NUMERIC.has(c.kind));
const labelsOf = (m: { cols: Col[] }) => m.cols.filter((c) => c.role === 'label' && c.values?.length);
const flagsOf = (m: { cols: Col[] }) => m.cols.filter((c) => c.kind === 'bool');
const tsOf = (m: { cols: Col[] }) => m.cols.filter((c) => c.kind === 'ts' && !c.name.startsWith('_'));
const col = (m: { cols: Col[] }, name: string) => m.cols.find((c) => c.name === name)!;
const quote = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** Unique output names: the first use keeps the name, later ones get a numbered suffix. */
class Names {
  private readonly used = new Set<string>();
  take(name: string): string {
    let n = name;
    for (let i = 2; this.used.has(n); i++) n = `${name}_${i}`;
    this.used.add(n);
    return n;
  }
  has(name: string): boolean {
    return this.used.has(name);
  }
}

function configLine(mat: Materialized, opts: { strategy?: string; uniqueKey?: string[]; partitionBy?: string; zorderBy?: string; tags?: string[] }): string {
  const parts = [`materialized="${mat}"`];
  if (opts.strategy) parts.push(`incremental_strategy="${opts.strategy}"`);
  if (opts.uniqueKey?.length) parts.push(`unique_key="${opts.uniqueKey.join(',')}"`);
  if (opts.partitionBy) parts.push(`partition_by="${opts.partitionBy}"`);
  if (opts.zorderBy) parts.push(`zorder_by="${opts.zorderBy}"`);
  if (opts.tags?.length) parts.push(`tags="${opts.tags.join(',')}"`);
  return `{{config ${parts.join(' ')}}}`;
}

/** Picks how a model is materialized and the matching config line. */
function materialization(rng: Rng, layer: 'silver' | 'gold', grain: string[], dateCol: string, keyCol: string | undefined, extraTags: string[]) {
  const mat: Materialized =
    layer === 'silver'
      ? rng.weighted([['incremental', 50], ['table', 35], ['view', 15]] as const)
      : rng.weighted([['table', 45], ['view', 18], ['incremental', 28], ['ephemeral', 9]] as const);
  if (mat !== 'incremental') {
    const zorder = mat === 'table' && keyCol && rng.chance(0.3) ? keyCol : undefined;
    const partition = mat === 'table' && rng.chance(0.25) ? dateCol : undefined;
    return { mat, line: configLine(mat, { ...(zorder ? { zorderBy: zorder } : {}), ...(partition ? { partitionBy: partition } : {}), tags: extraTags }) };
  }
  const strategy = grain.length ? rng.weighted([['merge', 6], ['append', 2], ['insert_overwrite', 2]] as const) : rng.weighted([['append', 1], ['insert_overwrite', 1]] as const);
  const opts: Parameters<typeof configLine>[1] = { strategy, tags: extraTags };
  if (strategy === 'merge') opts.uniqueKey = grain;
  if (strategy !== 'merge' || rng.chance(0.3)) opts.partitionBy = dateCol;
  if (keyCol && rng.chance(0.4)) opts.zorderBy = keyCol;
  return { mat, line: configLine('incremental', opts), strategy };
}

function sidecar(rng: Rng, info: ModelInfo, description: string): string | undefined {
  if (!rng.chance(0.25)) return undefined;
  const lines = [`description: ${description}`, `owner: ${rng.pick(['data-platform', 'sales-analytics', 'finance-analytics', 'growth', 'supply-chain'])}`, 'columns:'];
  const documented = new Set<string>();
  const add = (name: string, body: string[]) => {
    if (documented.has(name)) return;
    documented.add(name);
    lines.push(`  ${name}:`, ...body.map((b) => `    ${b}`));
  };
  if (info.grain.length === 1) {
    const g = info.grain[0]!;
    add(g, ['description: Row identifier.', 'tests:', '  - not_null', `  - unique: { where: "${g} IS NOT NULL" }`]);
  } else if (info.grain.length > 1) {
    for (const g of info.grain) add(g, ['tests: [not_null]']);
  }
  const lbl = labelsOf(info)[0];
  if (lbl && rng.chance(0.7)) add(lbl.name, [`description: One of ${lbl.values!.join(', ')}.`, 'tests:', `  - accepted_values: { values: [${lbl.values!.join(', ')}], severity: warn }`]);
  const m = measuresOf(info)[0];
  if (m && rng.chance(0.6)) add(m.name, ['description: Non-negative measure.', 'tests:', `  - expression: { expression: "${m.name} >= 0 OR ${m.name} IS NULL", severity: warn }`]);
  const k = keysOf(info).find((c) => !documented.has(c.name));
  if (k && rng.chance(0.5)) add(k.name, ['description: Foreign key.', 'tests:', '  - not_null: { severity: warn, warn_if: ">10" }']);
  if (documented.size === 0) lines.pop();
  if (info.grain.length > 1 && rng.chance(0.5)) lines.push('tests:', `  - unique_combination: { columns: [${info.grain.join(', ')}] }`);
  return `${lines.join('\n')}\n`;
}

/** A silver model: cleans, types and de-duplicates one source table (optionally a slice of it). */
function silverModel(rng: Rng, index: number, tb: SourceTable): GeneratedModel {
  const name = `stg_${tb.name}_${String(index).padStart(5, '0')}`;
  const names = new Names();
  const cleaned: string[] = [];
  const cols: Col[] = [];
  const push = (expr: string, c: Col) => {
    const n = names.take(c.name);
    cleaned.push(expr === n ? `    ${n}` : `    ${expr} AS ${n}`);
    cols.push({ ...c, name: n });
  };
  const landedCols = tb.cols.map((c) => c.name);
  for (const c of tb.cols) {
    switch (c.role) {
      case 'pk':
      case 'key':
        push(`{{clean_key "${c.name}"}}`, c);
        break;
      case 'label':
        push(`{{clean_label "${c.name}"}}`, c);
        break;
      case 'email':
        push(`{{normalize_email "${c.name}"}}`, c);
        break;
      case 'text':
        if (rng.chance(0.8)) push(`{{clean_text "${c.name}"}}`, c);
        break;
      case 'measure':
        if (c.kind === 'dec' && rng.chance(0.4)) push(`CAST(${c.name} AS decimal(18,2))`, { ...c, kind: 'dec' });
        else if (rng.chance(0.3)) push(`coalesce(${c.name}, 0)`, c);
        else push(c.name, c);
        break;
      case 'flag':
        push(`coalesce(${c.name}, false)`, c);
        break;
      case 'date':
      case 'ts':
        push(c.name, c);
        break;
      case 'complex':
        if (c.kind === 'arr') push(`size(${c.name})`, { name: `${c.name}_count`, kind: 'int', role: 'measure', root: `${c.name}_count` });
        else if (c.kind === 'map') push(`element_at(${c.name}, '${c.fields![0]}')`, { name: `${c.name}_${c.fields![0]}`, kind: 'str', role: 'text', root: `${c.name}_${c.fields![0]}` });
        else for (const f of c.fields!.slice(0, 2)) push(`${c.name}.${f}`, { name: `${c.name}_${f}`, kind: 'str', role: 'text', root: `${c.name}_${f}` });
        break;
    }
  }
  const hasMeasure = cols.some((c) => c.role === 'measure' && NUMERIC.has(c.kind));
  if (!hasMeasure || rng.chance(0.3)) push(`datediff(current_date(), ${tb.dateCol})`, { name: 'age_days', kind: 'int', role: 'measure', root: 'age_days' });
  push('_extracted_at', { name: '_extracted_at', kind: 'ts', role: 'ts', root: '_extracted_at' });

  const measure = cols.find((c) => c.role === 'measure' && NUMERIC.has(c.kind));
  const sourceMeasure = tb.cols.find((c) => c.role === 'measure');
  const lbl = cols.find((c) => c.role === 'label');
  const filters: string[] = [];
  const slice = rng.int(4);
  if (slice === 0 && lbl) filters.push(`lower(trim(${lbl.name})) IN (${quote(rng.sample(lbl.values!, 2))})`);
  if (slice === 1) filters.push(`${tb.dateCol} BETWEEN DATE '{{var "min_event_date"}}' AND DATE '{{var "max_event_date"}}'`);
  if (slice === 2 && sourceMeasure) filters.push(`${sourceMeasure.name} IS NOT NULL`);

  const keyCols = cols.filter((c) => c.role === 'key');
  const zorderKey = keyCols.length ? rng.pick(keyCols).name : undefined;
  const m = materialization(rng, 'silver', [tb.pk], tb.dateCol, zorderKey, rng.chance(0.2) ? [tb.system] : []);
  const incremental = m.mat === 'incremental';
  const where = filters.length ? `  WHERE ${filters.join('\n    AND ')}\n` : '';
  const incFilter = incremental
    ? `  {{#is_incremental}}\n  ${filters.length ? 'AND' : 'WHERE'} _extracted_at > (SELECT coalesce(max(_extracted_at), TIMESTAMP '1970-01-01 00:00:00') FROM {{this}})\n  {{/is_incremental}}\n`
    : '';
  const cursor = tb.cursor;
  const dedupe = rng.chance(0.5)
    ? `  {{> dedupe_latest relation="cleaned" key="${tb.pk}" order_by="${cursor} DESC, _extracted_at DESC"}}`
    : `  SELECT\n    *,\n    row_number() OVER (PARTITION BY ${tb.pk} ORDER BY ${cursor} DESC, _extracted_at DESC) AS _version_rank\n  FROM cleaned\n  QUALIFY _version_rank = 1`;
  const validity: string[] = [`${tb.pk} IS NOT NULL`];
  if (measure) validity.push(`coalesce(${measure.name} >= 0, false)`);
  const flagCol = cols.find((c) => c.kind === 'bool');
  if (flagCol && rng.chance(0.3)) validity.push(`NOT ${flagCol.name}`);
  const finalCols = cols.map((c) => `  ${c.name}`);
  const outCols = [...cols];
  const isValidName = names.take('is_valid');
  outCols.splice(outCols.length - 1, 0, { name: isValidName, kind: 'bool', role: 'flag', root: 'is_valid' });
  finalCols.splice(finalCols.length - 1, 0, `  ${validity.join(' AND ')} AS ${isValidName}`);

  const sql = `${m.line}
-- ${tb.description} Cleaned, typed and de-duplicated to the latest version per ${tb.pk}.
WITH landed AS (
  SELECT ${landedCols.join(', ')}, _extracted_at
  FROM {{source "${tb.system}" "${tb.name}"}}
${where}${incFilter}),

cleaned AS (
  SELECT
${cleaned.join(',\n')}
  FROM landed
),

latest AS (
${dedupe}
)

SELECT
${finalCols.join(',\n')}
FROM latest
${incremental ? `{{#is_incremental}}\nWHERE ${tb.pk} IS NOT NULL\n{{/is_incremental}}\n` : ''}`;
  const info: ModelInfo = { name, layer: 'silver', cols: outCols, grain: [tb.pk], dateCol: tb.dateCol, materialized: m.mat };
  const yaml = sidecar(rng, info, `${tb.description} One row per ${tb.pk}.`);
  return { info, file: `models/silver/${tb.system}/${tb.name}/${name}.sql`, sql, ...(yaml ? { yaml } : {}) };
}

/** The columns of `m` a gold model carries forward: grain, keys, date, a few measures, labels, flags, one timestamp. */
function carried(rng: Rng, m: ModelInfo, max = 12): Col[] {
  const out: Col[] = [];
  const add = (c: Col | undefined) => {
    if (c && !out.some((o) => o.name === c.name) && out.length < max) out.push(c);
  };
  for (const g of m.grain) add(col(m, g));
  for (const k of keysOf(m).slice(0, 3)) add(k);
  add(col(m, m.dateCol));
  add(tsOf(m)[0]);
  for (const c of rng.sample(measuresOf(m), 3)) add(c);
  for (const c of rng.sample(labelsOf(m), 2)) add(c);
  add(rng.pick([...flagsOf(m), undefined]));
  return out;
}

/** `upstream` candidates sharing a join key with `a`. */
function partner(rng: Rng, a: ModelInfo, pool: ModelInfo[], exclude: Set<string>): { b: ModelInfo; key: string; bKey: string } | undefined {
  const aKeys = keysOf(a).map((k) => k.name);
  for (let tries = 0; tries < 40; tries++) {
    const b = rng.pick(pool);
    if (exclude.has(b.name)) continue;
    const shared = keysOf(b).find((k) => aKeys.includes(k.name));
    if (shared) return { b, key: shared.name, bKey: shared.name };
  }
  return undefined;
}

type GoldKind = 'aggregate' | 'window' | 'join' | 'union';

const DOMAIN_OF = (name: string) => name.replace(/^(stg|agg|fct|dim|mart|int)_/, '').replace(/_\d+$/, '').split('_').slice(0, 2).join('_');

function goldModel(rng: Rng, index: number, pool: ModelInfo[]): GeneratedModel {
  // Upstreams: half from the most recent models (deep chains), half from anywhere before.
  const pickUpstream = () => (rng.chance(0.5) ? pool[Math.max(0, pool.length - 1 - rng.int(Math.min(pool.length, 400)))]! : rng.pick(pool));
  const a = pickUpstream();
  const aCols = carried(rng, a);
  let kind: GoldKind = rng.weighted([['aggregate', 33], ['window', 25], ['join', 32], ['union', 10]] as const);
  const domain = DOMAIN_OF(a.name);
  const joins: Array<{ b: ModelInfo; key: string }> = [];
  if (kind === 'join' || kind === 'union' || (kind === 'aggregate' && rng.chance(0.3))) {
    const exclude = new Set([a.name]);
    const n = kind === 'join' ? 1 + rng.int(2) : 1;
    for (let i = 0; i < n; i++) {
      const p = partner(rng, { ...a, cols: aCols }, pool, exclude);
      if (!p) break;
      exclude.add(p.b.name);
      joins.push({ b: p.b, key: p.key });
    }
    if (joins.length === 0 && kind !== 'aggregate') kind = rng.chance(0.5) ? 'aggregate' : 'window';
  }
  const prefix = { aggregate: 'agg', window: 'fct', join: 'mart', union: 'int' }[kind];
  const name = `${prefix}_${domain}_${String(index).padStart(5, '0')}`;
  const folder = { aggregate: 'marts', window: 'facts', join: kind === 'join' && rng.chance(0.5) ? 'dims' : 'marts', union: 'facts' }[kind];
  const bucket = `g${String(Math.floor(index / 200)).padStart(3, '0')}`;
  let body: string;
  let cols: Col[];
  let grain: string[];
  let dateCol: string;
  let header: string;

  const aKey = keysOf({ cols: aCols })[0]!.name;
  const aDate = a.dateCol;
  const aMeasures = measuresOf({ cols: aCols });
  const aTs = tsOf({ cols: aCols })[0];
  const refA = `{{ref "${a.name}"}}`;
  const dateFilter = rng.chance(0.4) ? `\n  WHERE ${aDate} >= DATE '{{var "min_event_date"}}'` : '';

  if (kind === 'aggregate') {
    const names = new Names();
    const srcNames = new Names();
    aCols.forEach((c) => srcNames.take(c.name));
    const groupKey = joins[0]?.key ?? rng.pick(keysOf({ cols: aCols })).name;
    const monthly = rng.chance(0.4) && aDate !== 'month_start';
    const lbl = rng.chance(0.5) ? labelsOf({ cols: aCols })[0] : undefined;
    const flg = flagsOf({ cols: aCols })[0];
    const srcCols = aCols.map((c) => `a.${c.name}`);
    let joinSql = '';
    let extraCte = '';
    const extraMeasures: Col[] = [];
    if (joins[0]) {
      const { b, key: k } = joins[0];
      const bm = measuresOf(b)[0];
      const bName = `${DOMAIN_OF(b.name).split('_')[0]}`;
      const rowsRaw = `${bName}_rows`;
      const totalRaw = bm ? `${bName}_total_${bm.root}` : undefined;
      const cte = srcNames.take(`${bName}_by_key`);
      extraCte = `${cte} AS (
  SELECT
    ${k},
    count(*) AS ${rowsRaw}${bm ? `,\n    sum(${bm.name}) AS ${totalRaw}` : ''}
  FROM {{ref "${b.name}"}}
  GROUP BY ${k}
),

`;
      joinSql = `\n  LEFT JOIN ${cte} b ON a.${k} = b.${k}`;
      const bRows = srcNames.take(rowsRaw);
      srcCols.push(`coalesce(b.${rowsRaw}, 0) AS ${bRows}`);
      extraMeasures.push({ name: bRows, kind: 'bigint', role: 'measure', root: `${bName}_rows` });
      if (bm && totalRaw) {
        const bTotal = srcNames.take(totalRaw);
        srcCols.push(bTotal === totalRaw ? `b.${totalRaw}` : `b.${totalRaw} AS ${bTotal}`);
        extraMeasures.push({ name: bTotal, kind: 'dec', role: 'measure', root: bm.root });
      }
    }
    dateCol = monthly ? srcNames.take('month_start') : aDate;
    if (monthly) srcCols.push(`trunc(a.${aDate}, 'MM') AS ${dateCol}`);
    const groupCols = [groupKey, dateCol, ...(lbl ? [lbl.name] : [])];
    cols = groupCols.map((g) => (monthly && g === dateCol ? { name: g, kind: 'date', role: 'date', root: 'month_start' } : { ...aCols.find((c) => c.name === g)! }));
    groupCols.forEach((g) => names.take(g));
    const aggs: string[] = [];
    const addAgg = (expr: string, c: Col) => {
      const n = names.take(c.name);
      aggs.push(`  ${expr} AS ${n}`);
      cols.push({ ...c, name: n });
    };
    addAgg('count(*)', { name: 'row_count', kind: 'bigint', role: 'measure', root: 'row_count' });
    const other = keysOf({ cols: aCols }).find((k) => k.name !== groupKey);
    if (other) addAgg(`count(DISTINCT ${other.name})`, { name: `distinct_${other.root}s`, kind: 'bigint', role: 'measure', root: `distinct_${other.root}s` });
    for (const mm of [...aMeasures.slice(0, 2), ...extraMeasures]) {
      const f = rng.pick(['sum', 'sum', 'avg', 'max', 'min'] as const);
      const prefixName = { sum: 'total', avg: 'avg', max: 'max', min: 'min' }[f];
      addAgg(`${f}(${mm.name})`, { name: `${prefixName}_${mm.root}`, kind: f === 'avg' ? (mm.kind === 'dec' ? 'dec' : 'dbl') : f === 'sum' && mm.kind === 'int' ? 'bigint' : mm.kind, role: 'measure', root: mm.root });
    }
    if (lbl === undefined) {
      const l2 = labelsOf({ cols: aCols })[0];
      const mm = aMeasures[0];
      if (l2 && mm) {
        const v = rng.pick(l2.values!);
        addAgg(`sum(CASE WHEN ${l2.name} = '${v}' THEN ${mm.name} ELSE 0 END)`, { name: `${v}_${mm.root}`, kind: mm.kind === 'int' ? 'bigint' : mm.kind, role: 'measure', root: mm.root });
      }
    }
    if (flg) addAgg(`count_if(${flg.name})`, { name: `${flg.root}_count`, kind: 'bigint', role: 'measure', root: `${flg.root}_count` });
    if (aTs) addAgg(`max(${aTs.name})`, { name: `last_${aTs.root.replace(/^last_/, '')}`, kind: 'ts', role: 'ts', root: `last_${aTs.root.replace(/^last_/, '')}` });
    grain = groupCols;
    const having = rng.chance(0.3) ? '\nHAVING count(*) > 1' : '';
    header = `-- ${monthly ? 'Monthly' : 'Daily'} ${domain.replace(/_/g, ' ')} figures per ${groupKey}${lbl ? ` and ${lbl.name}` : ''}.`;
    body = `WITH ${extraCte}src AS (
  SELECT
    ${srcCols.join(',\n    ')}
  FROM ${refA} a${joinSql}${dateFilter ? dateFilter.replace(aDate, `a.${aDate}`) : ''}
  {{#is_incremental}}
  ${dateFilter ? 'AND' : 'WHERE'} a.${aDate} >= (SELECT coalesce(max(${dateCol}), DATE '1970-01-01') FROM {{this}})
  {{/is_incremental}}
)

SELECT
${groupCols.map((g) => `  ${g}`).join(',\n')},
${aggs.join(',\n')}
FROM src
GROUP BY ${rng.chance(0.3) ? groupCols.map((_, i) => i + 1).join(', ') : groupCols.join(', ')}${having}
`;
  } else if (kind === 'window') {
    const names = new Names();
    aCols.forEach((c) => names.take(c.name));
    const m1 = aMeasures[0]!;
    const latest = rng.chance(0.5) && !a.grain.includes(aDate);
    const order = aTs ? `${aDate} DESC, ${aTs.name} DESC` : `${aDate} DESC`;
    const win: string[] = [];
    cols = aCols.map((c) => ({ ...c }));
    const addWin = (expr: string, c: Col, visible = true) => {
      const n = names.take(c.name);
      win.push(`    ${expr} AS ${n}`);
      if (visible) cols.push({ ...c, name: n });
      return n;
    };
    const rankName = addWin(`row_number() OVER (PARTITION BY ${aKey} ORDER BY ${order})`, { name: 'recency_rank', kind: 'int', role: 'measure', root: 'recency_rank' }, !latest);
    addWin(`sum(${m1.name}) OVER (PARTITION BY ${aKey} ORDER BY ${aDate} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`, { name: `running_${m1.root}`, kind: m1.kind === 'int' ? 'bigint' : m1.kind, role: 'measure', root: m1.root });
    const prev = addWin(`lag(${m1.name}) OVER (PARTITION BY ${aKey} ORDER BY ${aDate})`, { name: `previous_${m1.root}`, kind: m1.kind, role: 'measure', root: m1.root });
    if (rng.chance(0.6)) addWin(`avg(${m1.name}) OVER (PARTITION BY ${aKey} ORDER BY ${aDate} ROWS BETWEEN 6 PRECEDING AND CURRENT ROW)`, { name: `${m1.root}_7_row_avg`, kind: m1.kind === 'dec' ? 'dec' : 'dbl', role: 'measure', root: m1.root });
    if (rng.chance(0.5)) addWin(`dense_rank() OVER (PARTITION BY ${aDate} ORDER BY ${m1.name} DESC)`, { name: `daily_${m1.root}_rank`, kind: 'int', role: 'measure', root: 'rank' });
    if (rng.chance(0.3)) addWin(`count(*) OVER (PARTITION BY ${aKey})`, { name: `rows_per_${aKey}`, kind: 'bigint', role: 'measure', root: `rows_per_${aKey}` });
    const changeName = names.take(`${m1.root}_change`);
    cols.push({ name: changeName, kind: m1.kind === 'int' ? 'int' : m1.kind, role: 'measure', root: m1.root });
    const outList = cols.filter((c) => c.name !== changeName).map((c) => `  ${c.name}`);
    outList.push(`  ${m1.name} - coalesce(${prev}, 0) AS ${changeName}`);
    grain = latest ? [aKey] : [...a.grain.filter((g) => cols.some((c) => c.name === g))];
    if (!latest && grain.length !== a.grain.length) grain = [];
    dateCol = aDate;
    header = latest ? `-- Latest ${domain.replace(/_/g, ' ')} row per ${aKey}, with running totals.` : `-- ${domain.replace(/_/g, ' ')} rows with running totals and ranks per ${aKey}.`;
    const useQualify = latest && rng.chance(0.4);
    body = `WITH base AS (
  SELECT
    ${aCols.map((c) => c.name).join(',\n    ')}
  FROM ${refA}${dateFilter}
),

ranked AS (
  SELECT
    *,
${win.join(',\n')}
  FROM base
)

SELECT
${outList.join(',\n')}
FROM ranked${latest ? (useQualify ? `\nQUALIFY ${rankName} = 1` : `\nWHERE ${rankName} = 1`) : ''}
{{#is_incremental}}
${latest && !useQualify ? 'AND' : 'WHERE'} ${aDate} >= (SELECT coalesce(max(${aDate}), DATE '1970-01-01') FROM {{this}})
{{/is_incremental}}
`;
    if (useQualify) {
      // QUALIFY must come after WHERE: put the incremental filter before it.
      body = body.replace(`FROM ranked\nQUALIFY ${rankName} = 1\n{{#is_incremental}}\nWHERE ${aDate} >= (SELECT coalesce(max(${aDate}), DATE '1970-01-01') FROM {{this}})\n{{/is_incremental}}\n`, `FROM ranked\n{{#is_incremental}}\nWHERE ${aDate} >= (SELECT coalesce(max(${aDate}), DATE '1970-01-01') FROM {{this}})\n{{/is_incremental}}\nQUALIFY ${rankName} = 1\n`);
    }
  } else if (kind === 'join') {
    const names = new Names();
    aCols.forEach((c) => names.take(c.name));
    cols = aCols.map((c) => ({ ...c }));
    const ctes: string[] = [];
    const selects = aCols.map((c) => `  a.${c.name}`);
    const joinSql: string[] = [];
    joins.forEach(({ b, key: k }, i) => {
      const alias = i === 0 ? 'b' : 'c';
      const bName = DOMAIN_OF(b.name).split('_')[0]!;
      const bm = measuresOf(b)[0];
      const bTs = tsOf(b)[0];
      const cte = names.take(`${bName}_stats`);
      const rowsCol = `${bName}_rows`;
      const totalCol = bm ? `${bName}_total_${bm.root}` : undefined;
      const lastDate = `${bName}_last_${b.dateCol}`;
      ctes.push(`${cte} AS (
  SELECT
    ${k},
    count(*) AS ${rowsCol},${bm ? `\n    sum(${bm.name}) AS ${totalCol},` : ''}
    max(${b.dateCol}) AS ${lastDate}${bTs ? `,\n    max(${bTs.name}) AS ${bName}_last_${bTs.root.replace(/^last_/, '')}` : ''}
  FROM {{ref "${b.name}"}}${rng.chance(0.3) ? `\n  WHERE ${b.dateCol} IS NOT NULL` : ''}
  GROUP BY ${k}
)`);
      const rn = names.take(rowsCol);
      selects.push(`  coalesce(${alias}.${rowsCol}, 0) AS ${rn}`);
      cols.push({ name: rn, kind: 'bigint', role: 'measure', root: rowsCol });
      if (totalCol) {
        const tn = names.take(totalCol);
        selects.push(`  ${alias}.${totalCol} AS ${tn}`);
        cols.push({ name: tn, kind: 'dec', role: 'measure', root: bm!.root });
        const tier = names.take(`${bName}_tier`);
        selects.push(
          `  CASE\n    WHEN coalesce(${alias}.${totalCol}, 0) > {{var "high_value_threshold"}} THEN 'high'\n    WHEN coalesce(${alias}.${totalCol}, 0) > 0 THEN 'medium'\n    ELSE 'none'\n  END AS ${tier}`,
        );
        cols.push({ name: tier, kind: 'str', role: 'label', root: tier, values: ['high', 'medium', 'none'] });
      }
      const dn = names.take(`days_since_${bName}`);
      selects.push(`  datediff(a.${aDate}, ${alias}.${lastDate}) AS ${dn}`);
      cols.push({ name: dn, kind: 'int', role: 'measure', root: dn });
      const hn = names.take(`has_${bName}`);
      selects.push(`  ${alias}.${k} IS NOT NULL AS ${hn}`);
      cols.push({ name: hn, kind: 'bool', role: 'flag', root: hn });
      const jt = i === 0 ? 'LEFT JOIN' : rng.pick(['LEFT JOIN', 'INNER JOIN', 'LEFT OUTER JOIN']);
      joinSql.push(`${jt} ${cte} ${alias}\n  ON a.${k} = ${alias}.${k}`);
    });
    const m1 = aMeasures[0];
    if (m1 && rng.chance(0.5)) {
      const sn = names.take(`${m1.root}_share_of_${aKey.replace(/_id$/, '')}`);
      selects.push(`  ${m1.name} / nullif(sum(a.${m1.name}) OVER (PARTITION BY a.${aKey}), 0) AS ${sn}`.replace(`  ${m1.name} /`, `  a.${m1.name} /`));
      cols.push({ name: sn, kind: m1.kind === 'dec' ? 'dec' : 'dbl', role: 'measure', root: 'share' });
    }
    grain = a.grain.every((g) => aCols.some((c) => c.name === g)) ? [...a.grain] : [];
    dateCol = aDate;
    header = `-- ${domain.replace(/_/g, ' ')} enriched with ${joins.map((j) => DOMAIN_OF(j.b.name).replace(/_/g, ' ')).join(' and ')} per key.`;
    const flg = flagsOf({ cols: aCols })[0];
    const wheres = [dateFilter ? `a.${aDate} >= DATE '{{var "min_event_date"}}'` : '', flg && rng.chance(0.3) ? `NOT a.${flg.name}` : ''].filter(Boolean);
    body = `WITH ${ctes.join(',\n\n')}

SELECT
${selects.join(',\n')}
FROM ${refA} a
${joinSql.join('\n')}${wheres.length ? `\nWHERE ${wheres.join('\n  AND ')}` : ''}
{{#is_incremental}}
${wheres.length ? 'AND' : 'WHERE'} a.${aDate} >= (SELECT coalesce(max(${aDate}), DATE '1970-01-01') FROM {{this}})
{{/is_incremental}}
`;
  } else {
    // union: activity of two models on a shared key, aggregated per key, day and origin.
    const { b, key: k } = joins[0]!;
    const bm = measuresOf(b)[0]!;
    const am = aMeasures[0]!;
    const branch = (m: ModelInfo, measure: Col, origin: string) =>
      `  SELECT\n    ${k},\n    CAST(${m.dateCol} AS date) AS activity_date,\n    CAST(${measure.name} AS decimal(38,4)) AS activity_amount,\n    '${origin}' AS origin\n  FROM {{ref "${m.name}"}}`;
    const ao = DOMAIN_OF(a.name);
    const bo = DOMAIN_OF(b.name) === ao ? `${ao}_peer` : DOMAIN_OF(b.name);
    body = `WITH activity AS (
${branch(a, am, ao)}
  UNION ALL
${branch(b, bm, bo)}
)

SELECT
  ${k},
  activity_date,
  origin,
  count(*) AS activity_count,
  sum(activity_amount) AS total_activity_amount,
  max(activity_amount) AS max_activity_amount
FROM activity
WHERE ${k} IS NOT NULL
{{#is_incremental}}
  AND activity_date >= (SELECT coalesce(max(activity_date), DATE '1970-01-01') FROM {{this}})
{{/is_incremental}}
GROUP BY ${k}, activity_date, origin
`;
    cols = [
      { ...keysOf(a).find((c) => c.name === k)! },
      { name: 'activity_date', kind: 'date', role: 'date', root: 'activity_date' },
      { name: 'origin', kind: 'str', role: 'label', root: 'origin', values: [ao, bo] },
      { name: 'activity_count', kind: 'bigint', role: 'measure', root: 'activity_count' },
      { name: 'total_activity_amount', kind: 'dec', role: 'measure', root: 'total_activity_amount' },
      { name: 'max_activity_amount', kind: 'dec', role: 'measure', root: 'max_activity_amount' },
    ];
    grain = [k, 'activity_date', 'origin'];
    dateCol = 'activity_date';
    header = `-- ${ao.replace(/_/g, ' ')} and ${bo.replace(/_/g, ' ')} activity per ${k} and day.`;
  }

  const keyCol = keysOf({ cols })[0]?.name;
  const m = materialization(rng, 'gold', grain, dateCol, keyCol, []);
  let text = body;
  if (m.mat !== 'incremental') text = text.replace(/\{\{#is_incremental\}\}[\s\S]*?\{\{\/is_incremental\}\}\n/g, '');
  const info: ModelInfo = { name, layer: 'gold', cols, grain, dateCol, materialized: m.mat };
  const sql = `${m.line}\n${header}\n${text}`;
  const yaml = m.mat === 'ephemeral' ? undefined : sidecar(rng, info, header.replace(/^-- /, '').replace(/:/g, ' -'));
  return { info, file: `models/gold/${folder}/${bucket}/${name}.sql`, sql, ...(yaml ? { yaml } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Entry points

export interface GenerateOptions {
  models: number;
  outDir: string;
  seed?: number;
  /** Share of silver models (default 0.3). */
  silverShare?: number;
}

export interface GenerateSummary {
  outDir: string;
  models: number;
  silver: number;
  gold: number;
  sourceTables: number;
  withYaml: number;
  byMaterialization: Record<string, number>;
  files: number;
  bytes: number;
}

/** Builds the project in memory: path -> content. Deterministic for given options. */
export function generateFiles(models: number, seed = 42, silverShare = 0.3): { files: Map<string, string>; infos: ModelInfo[] } {
  const rng = new Rng(seed);
  const files = new Map<string, string>();
  files.set('project.yaml', projectYaml());
  for (const system of ['snowflake', 'salesforce', 'kafka'] as const) {
    files.set(`sources/${system}.ts`, sourceFile(system, SOURCE_TABLES.filter((t) => t.system === system)));
  }
  files.set('macros/clean.ts', MACRO_HELPERS);
  files.set('macros/dedupe_latest.hbs', DEDUPE_PARTIAL);
  files.set('.gitignore', 'target/\ndata/\nnode_modules/\n');
  // An ES module package like the tool; `etl` resolves 'lakehouse-etl' in sources/ to itself.
  files.set('package.json', `${JSON.stringify({ name: 'bench-lakehouse', private: true, type: 'module' }, null, 2)}\n`);
  const silverCount = Math.max(1, Math.min(models, Math.round(models * silverShare)));
  const infos: ModelInfo[] = [];
  for (let i = 0; i < silverCount; i++) {
    // Every source table first, then random ones.
    const tb = i < SOURCE_TABLES.length ? SOURCE_TABLES[i]! : rng.pick(SOURCE_TABLES);
    const g = silverModel(rng, i, tb);
    infos.push(g.info);
    files.set(g.file, g.sql);
    if (g.yaml) files.set(g.file.replace(/\.sql$/, '.yml'), g.yaml);
  }
  for (let i = silverCount; i < models; i++) {
    const g = goldModel(rng, i, infos);
    infos.push(g.info);
    files.set(g.file, g.sql);
    if (g.yaml) files.set(g.file.replace(/\.sql$/, '.yml'), g.yaml);
  }
  return { files, infos };
}

/** Writes a generated project to `outDir` (replacing models/, sources/ and macros/ there). */
export function generateProject(options: GenerateOptions): GenerateSummary {
  const { files, infos } = generateFiles(options.models, options.seed ?? 42, options.silverShare ?? 0.3);
  const outDir = path.resolve(options.outDir);
  for (const sub of ['models', 'sources', 'macros', 'target']) rmSync(path.join(outDir, sub), { recursive: true, force: true });
  const dirs = new Set([...files.keys()].map((f) => path.dirname(path.join(outDir, f))));
  for (const d of dirs) mkdirSync(d, { recursive: true });
  let bytes = 0;
  for (const [f, text] of files) {
    writeFileSync(path.join(outDir, f), text);
    bytes += Buffer.byteLength(text);
  }
  const byMaterialization: Record<string, number> = {};
  for (const m of infos) byMaterialization[m.materialized] = (byMaterialization[m.materialized] ?? 0) + 1;
  const silver = infos.filter((m) => m.layer === 'silver').length;
  return {
    outDir,
    models: infos.length,
    silver,
    gold: infos.length - silver,
    sourceTables: SOURCE_TABLES.length,
    withYaml: [...files.keys()].filter((f) => f.startsWith('models/') && f.endsWith('.yml')).length,
    byMaterialization,
    files: files.size,
    bytes,
  };
}

function parseArgs(argv: string[]): GenerateOptions {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const out = get('--out');
  if (!out) {
    process.stderr.write('usage: generate-project.ts --models 10000 --out DIR [--seed N]\n');
    process.exit(2);
  }
  const models = Number(get('--models') ?? 10000);
  const seed = Number(get('--seed') ?? 42);
  if (!Number.isInteger(models) || models < 1 || !Number.isInteger(seed)) {
    process.stderr.write('--models and --seed must be integers (models >= 1)\n');
    process.exit(2);
  }
  return { models, outDir: out, seed };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const summary = generateProject(parseArgs(process.argv.slice(2)));
  process.stdout.write(
    `Generated ${summary.models} models (${summary.silver} silver, ${summary.gold} gold; ${Object.entries(summary.byMaterialization)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}), ${summary.withYaml} sidecar YAML, ${summary.sourceTables} source tables: ${summary.files} files, ${(summary.bytes / 1e6).toFixed(1)} MB in ${(performance.now() - t0).toFixed(0)} ms -> ${summary.outDir}\n`,
  );
}
