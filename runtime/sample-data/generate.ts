/**
 * Generates the reference project's sample data in memory: the base batch, and optionally the
 * increment batch that follows it one day later. Pure and deterministic: the same options give
 * the same rows in the same order. Writing files is `write.ts`'s job.
 */
import { type BatchRows, type BronzeRow, type GeneratorKit, type RunContext } from './batch.js';
import { kafkaBase, kafkaIncrement, KEYS as KAFKA } from './kafka.js';
import { DirtLedger, type ExpectedDirt, type IncrementFacts, type TableFacts } from './ledger.js';
import { Rng } from './prng.js';
import { salesforceBase, salesforceIncrement, KEYS as SALESFORCE } from './salesforce.js';
import { snowflakeBase, snowflakeIncrement, KEYS as SNOWFLAKE } from './snowflake.js';
import { addDays, dayStart, MS_PER_DAY } from './values.js';
import { makeCustomers, sizesFor } from './world.js';

export interface SampleOptions {
  scale: number;
  seed: string;
  /** Day of the base extraction (YYYY-MM-DD); the increment is extracted the day after. */
  day: string;
  increment: boolean;
  /**
   * Extraction time of the base batch within `day`, in minutes after midnight UTC (default 06:00).
   * The quickstart passes the current time so source freshness checks see fresh data.
   */
  extractionMinute?: number;
}

export interface SampleBatch {
  name: 'base' | 'increment';
  runId: string;
  rows: BatchRows;
}

export interface SampleData {
  batches: SampleBatch[];
  expected: ExpectedDirt;
}

/** How each table is keyed and which planted rules make a row invalid downstream. */
const TABLES: Record<string, { key: string; cursor: string; invalidRules: string[] }> = {
  [SNOWFLAKE.orders]: { key: 'order_id', cursor: 'updated_at', invalidRules: ['order_customer_id_not_null', 'order_amount_positive', 'order_date_in_range'] },
  [SNOWFLAKE.products]: { key: 'product_id', cursor: 'updated_at', invalidRules: ['product_price_positive', 'product_category_accepted'] },
  [SNOWFLAKE.transactions]: { key: 'transaction_id', cursor: 'posted_at', invalidRules: ['transaction_amount_in_range'] },
  [SALESFORCE.accounts]: { key: 'account_id', cursor: 'system_modstamp', invalidRules: [] },
  [SALESFORCE.leads]: { key: 'lead_id', cursor: 'system_modstamp', invalidRules: ['lead_email_valid'] },
  [SALESFORCE.opportunities]: { key: 'opportunity_id', cursor: 'system_modstamp', invalidRules: ['opportunity_account_id_not_null', 'opportunity_amount_in_range'] },
  [KAFKA.userEvents]: { key: 'event_id', cursor: '_kafka_timestamp', invalidRules: [] },
  [KAFKA.orderEvents]: { key: 'event_id', cursor: '_kafka_timestamp', invalidRules: [] },
  [KAFKA.inventory]: { key: 'update_id', cursor: '_kafka_timestamp', invalidRules: [] },
};
export const SAMPLE_TABLES = Object.keys(TABLES);

export function validateOptions(o: SampleOptions): void {
  if (!Number.isFinite(o.scale) || o.scale <= 0 || o.scale > 1000) throw new Error(`--scale must be a number in (0, 1000], got ${o.scale}`);
  if (o.seed.length === 0) throw new Error('--seed must not be empty');
  dayStart(o.day);
  const m = o.extractionMinute;
  if (m !== undefined && (!Number.isInteger(m) || m < 0 || m >= 1440)) throw new Error(`extraction minute must be 0..1439, got ${m}`);
}

/** A run id safe in file names: `sample-<seed>-<batch>-<day>`. */
export function runIdFor(seed: string, batch: string, day: string): string {
  return `sample-${seed.replace(/[^A-Za-z0-9_-]/g, '_')}-${batch}-${day}`;
}

export function generateSampleData(options: SampleOptions): SampleData {
  validateOptions(options);
  const { seed, scale, day } = options;
  const sizes = sizesFor(scale);
  const ledger = new DirtLedger();
  const kit: GeneratorKit = {
    rng: (stream) => new Rng(seed, stream),
    ledger,
    dirtCount: (n) => Math.max(2, Math.round(n * 0.01)),
  };
  const customers = makeCustomers(seed, sizes.customers);

  // Extractions run at 06:00 UTC unless told otherwise; the base batch covers the 60 days before.
  const baseAt = dayStart(day) + (options.extractionMinute ?? 360) * 60_000;
  const base: RunContext = { batch: 'base', runId: runIdFor(seed, 'base', day), extractedAtMs: baseAt, windowStartMs: baseAt - 60 * MS_PER_DAY, ingestDate: day };
  const baseRows: BatchRows = new Map();
  const sf = salesforceBase(kit, base, sizes, customers, baseRows);
  const snow = snowflakeBase(kit, base, sizes, customers, sf.referencable, baseRows);
  const kafka = kafkaBase(kit, base, sizes, { customers, products: snow.products, orders: snow.orders }, baseRows);
  const batches: SampleBatch[] = [{ name: 'base', runId: base.runId, rows: baseRows }];

  let incrementFacts: Record<string, IncrementFacts> | null = null;
  const incrementDay = options.increment ? addDays(day, 1) : null;
  if (incrementDay) {
    const ctx: RunContext = { batch: 'increment', runId: runIdFor(seed, 'increment', incrementDay), extractedAtMs: baseAt + MS_PER_DAY, windowStartMs: baseAt, ingestDate: incrementDay };
    const rows: BatchRows = new Map();
    incrementFacts = {
      ...salesforceIncrement(kit, ctx, sf, customers, rows),
      ...snowflakeIncrement(kit, ctx, snow, customers, rows),
      ...kafkaIncrement(kit, ctx, kafka, sizes, { customers, products: snow.products, orders: snow.orders }, rows),
    };
    batches.push({ name: 'increment', runId: ctx.runId, rows });
  }

  const rules = ledger.toJSON();
  const tables: Record<string, TableFacts> = {};
  for (const [table, spec] of Object.entries(TABLES)) {
    const rows = batches.flatMap((b) => b.rows.get(table) ?? []);
    const invalid = new Set(spec.invalidRules.flatMap((id) => rules[id]?.values ?? []));
    tables[table] = tableFacts(rows, spec.key, spec.cursor, invalid);
  }
  return {
    batches,
    expected: {
      generator: 'lakehouse-etl sample-data',
      version: 1,
      seed,
      scale,
      baseDay: day,
      baseExtractedAt: new Date(baseAt).toISOString(),
      incrementDay,
      rules,
      tables,
      increment: incrementFacts && Object.fromEntries(Object.entries(incrementFacts).map(([k, f]) => [k, sortFacts(f)])),
    },
  };
}

function sortFacts(f: IncrementFacts): IncrementFacts {
  return { ...f, newKeys: [...f.newKeys].sort(), updatedKeys: [...f.updatedKeys].sort(), staleKeys: [...f.staleKeys].sort(), lateKeys: [...f.lateKeys].sort() };
}

/** What silver and gold must hold for one table, derived from every landed row. */
function tableFacts(rows: BronzeRow[], key: string, cursor: string, invalid: Set<string>): TableFacts {
  const latest = new Map<string, Record<string, unknown>>();
  const seen = new Map<string, number>();
  let nullKeys = 0;
  for (const { values } of rows) {
    const k = typeof values[key] === 'string' ? (values[key] as string).trim() : '';
    if (k === '') {
      nullKeys++;
      continue;
    }
    seen.set(k, (seen.get(k) ?? 0) + 1);
    const current = latest.get(k);
    if (!current || order(values, cursor) >= order(current, cursor)) latest.set(k, values);
  }
  const deletedKeys = [...latest].filter(([, v]) => v.is_deleted === true).map(([k]) => k).sort();
  const deleted = new Set(deletedKeys);
  return {
    bronzeRows: rows.length,
    silverRows: latest.size + nullKeys,
    validKeys: [...latest.keys()].filter((k) => !invalid.has(k) && !deleted.has(k)).length,
    duplicatedKeys: [...seen].filter(([, n]) => n > 1).map(([k]) => k).sort(),
    deletedKeys,
  };
}

/** Sort key of a version: its cursor, then its extraction time (ISO strings compare in time order). */
function order(values: Record<string, unknown>, cursor: string): string {
  return `${String(values[cursor])}|${String(values._extracted_at)}`;
}
