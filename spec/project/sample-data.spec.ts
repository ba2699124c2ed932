/**
 * The sample-data generator: same options give the same bytes; the ledger it writes
 * (expected-dirt.json) lists exactly the rows that break each data-quality rule, which this spec
 * re-derives from the landed Parquet on its own; the increment adds new, updated, late and
 * re-extracted rows as described. Bad command lines fail with a message, not a stack trace.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EMAIL_PATTERN } from '../../macros/clean.js';
import type { ExpectedDirt } from '../../runtime/sample-data/ledger.js';
import { fileDigests, generate, readBronze, readExpected, REPO, type Row } from './bronze-files.js';

const DAY = '2026-03-02';
const ARGS = ['--scale', '0.1', '--seed', 'spec-seed', '--day', DAY];

let root: string;
const dir = (name: string) => path.join(root, name);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'etl-sample-'));
  for (const name of ['a', 'b']) {
    const base = await generate([...ARGS, '--out', dir(name)]);
    expect(base.stderr).toBe('');
    expect(base.code).toBe(0);
    expect((await generate([...ARGS, '--out', dir(name), '--increment'])).code).toBe(0);
  }
  expect((await generate(['--scale', '0.1', '--seed', 'other-seed', '--day', DAY, '--out', dir('other')])).code).toBe(0);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('determinism', () => {
  it('writes the same bytes for the same seed, scale and day (base and increment)', async () => {
    const a = await fileDigests(dir('a'));
    const b = await fileDigests(dir('b'));
    expect(a.size).toBeGreaterThan(20);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [file, digest] of a) expect(b.get(file), file).toBe(digest);
  });

  it('writes different data for a different seed', async () => {
    const a = await fileDigests(dir('a'));
    const other = await fileDigests(dir('other'));
    const shared = [...other.keys()].filter((f) => f.endsWith('.parquet') && a.has(f.replace('other-seed', 'spec-seed')));
    expect(shared.length).toBeGreaterThan(0);
    for (const f of shared) expect(other.get(f)).not.toBe(a.get(f.replace('other-seed', 'spec-seed')));
  });
});

// --- the rules, re-derived from the Parquet files ---------------------------------------------------

const vars = (parse(await readFile(path.join(REPO, 'project.yaml'), 'utf8')) as { vars: Record<string, unknown> }).vars;
const MIN_DATE = String(vars.min_order_date);
const MAX_DATE = String(vars.max_order_date);
const MAX_AMOUNT = Number(vars.max_transaction_amount);
const CATEGORIES = vars.accepted_product_categories as string[];
// The compiler's generic `email` test pattern, and the project's own (macros/clean.ts): both must agree.
const COMPILER_EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const PROJECT_EMAIL = new RegExp(EMAIL_PATTERN);

const blank = (v: unknown) => v === null || v === undefined || String(v).trim() === '';
const text = (v: unknown) => (v instanceof Date ? v.toISOString().replace('.000Z', 'Z') : String(v));
const day = (v: unknown) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v));
const email = (v: unknown) => String(v ?? '').trim().toLowerCase();
function badEmail(v: unknown): boolean {
  const e = email(v);
  const verdicts = [COMPILER_EMAIL.test(e), PROJECT_EMAIL.test(e)];
  if (verdicts[0] !== verdicts[1]) throw new Error(`email validators disagree on '${e}'`);
  return !verdicts[0];
}

/** Silver's view of a table: the latest version per trimmed key (cursor, then extraction time), plus every keyless row. */
function latestRows(rows: Row[], key: string, cursor: string): Row[] {
  const latest = new Map<string, Row>();
  const keyless: Row[] = [];
  const order = (r: Row) => `${text(r[cursor])}|${text(r._extracted_at)}`;
  for (const r of rows) {
    if (blank(r[key])) keyless.push(r);
    else {
      const k = String(r[key]).trim();
      const cur = latest.get(k);
      if (!cur || order(r) >= order(cur)) latest.set(k, r);
    }
  }
  return [...latest.values(), ...keyless];
}

interface RuleCheck {
  table: string;
  key: string;
  cursor: string;
  breaks: (r: Row) => boolean;
  locate: (r: Row) => string;
}

const RULES: Record<string, RuleCheck> = {
  order_id_not_null: { table: 'snowflake.customer_orders', key: 'order_id', cursor: 'updated_at', breaks: (r) => blank(r.order_id), locate: (r) => text(r.created_at) },
  order_customer_id_not_null: { table: 'snowflake.customer_orders', key: 'order_id', cursor: 'updated_at', breaks: (r) => blank(r.customer_id), locate: (r) => String(r.order_id) },
  order_amount_positive: { table: 'snowflake.customer_orders', key: 'order_id', cursor: 'updated_at', breaks: (r) => !(Number(r.amount) > 0), locate: (r) => String(r.order_id) },
  order_date_in_range: { table: 'snowflake.customer_orders', key: 'order_id', cursor: 'updated_at', breaks: (r) => day(r.order_date) < MIN_DATE || day(r.order_date) > MAX_DATE, locate: (r) => String(r.order_id) },
  order_email_valid: { table: 'snowflake.customer_orders', key: 'order_id', cursor: 'updated_at', breaks: (r) => badEmail(r.customer_email), locate: (r) => String(r.order_id) },
  product_id_not_null: { table: 'snowflake.product_catalog', key: 'product_id', cursor: 'updated_at', breaks: (r) => blank(r.product_id), locate: (r) => String(r.sku) },
  product_price_positive: { table: 'snowflake.product_catalog', key: 'product_id', cursor: 'updated_at', breaks: (r) => !(Number(r.price) > 0), locate: (r) => String(r.product_id) },
  product_category_accepted: {
    table: 'snowflake.product_catalog', key: 'product_id', cursor: 'updated_at',
    breaks: (r) => !CATEGORIES.includes(String(r.category).trim().toLowerCase()), locate: (r) => String(r.product_id),
  },
  transaction_amount_in_range: { table: 'snowflake.financial_transactions', key: 'transaction_id', cursor: 'posted_at', breaks: (r) => Math.abs(Number(r.amount)) > MAX_AMOUNT, locate: (r) => String(r.transaction_id) },
  account_id_not_null: { table: 'salesforce.accounts', key: 'account_id', cursor: 'system_modstamp', breaks: (r) => blank(r.account_id), locate: (r) => String(r.account_name) },
  lead_id_not_null: { table: 'salesforce.leads', key: 'lead_id', cursor: 'system_modstamp', breaks: (r) => blank(r.lead_id), locate: (r) => email(r.email) },
  lead_email_valid: { table: 'salesforce.leads', key: 'lead_id', cursor: 'system_modstamp', breaks: (r) => badEmail(r.email), locate: (r) => String(r.lead_id) },
  opportunity_id_not_null: { table: 'salesforce.opportunities', key: 'opportunity_id', cursor: 'system_modstamp', breaks: (r) => blank(r.opportunity_id), locate: (r) => String(r.opportunity_name) },
  opportunity_account_id_not_null: { table: 'salesforce.opportunities', key: 'opportunity_id', cursor: 'system_modstamp', breaks: (r) => blank(r.account_id), locate: (r) => String(r.opportunity_id) },
  opportunity_amount_in_range: {
    table: 'salesforce.opportunities', key: 'opportunity_id', cursor: 'system_modstamp',
    breaks: (r) => !(Number(r.amount) >= 0 && Number(r.amount) <= MAX_AMOUNT), locate: (r) => String(r.opportunity_id),
  },
};

describe('dirt accounting', () => {
  let expected: ExpectedDirt;
  const tables = new Map<string, Row[]>();
  beforeAll(async () => {
    expected = await readExpected(dir('a'));
    for (const t of Object.keys(expected.tables)) tables.set(t, await readBronze(dir('a'), t));
  });

  it('declares every rule this spec knows, and no other', () => {
    expect(Object.keys(expected.rules).sort()).toEqual(Object.keys(RULES).sort());
  });

  it.each(Object.keys(RULES))('%s: the ledger lists exactly the rows that break the rule', (id) => {
    const check = RULES[id]!;
    const rule = expected.rules[id]!;
    expect(rule.source).toBe(check.table);
    const flagged = latestRows(tables.get(check.table)!, check.key, check.cursor).filter(check.breaks).map(check.locate).sort();
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    expect(flagged).toEqual(rule.values);
  });

  it('counts rows per table as silver will hold them', () => {
    for (const [table, facts] of Object.entries(expected.tables)) {
      const rows = tables.get(table)!;
      expect(rows.length, table).toBe(facts.bronzeRows);
      const spec = Object.values(RULES).find((r) => r.table === table);
      const key = spec?.key ?? (table === 'kafka.inventory_updates' ? 'update_id' : 'event_id');
      const keys = new Set(rows.filter((r) => !blank(r[key])).map((r) => String(r[key]).trim()));
      const keyless = rows.filter((r) => blank(r[key])).length;
      expect(facts.silverRows, table).toBe(keys.size + keyless);
      expect(facts.duplicatedKeys.length, `${table} has duplicates to remove`).toBeGreaterThan(0);
    }
  });

  it('lands bronze in the agreed layout: Kafka partitions by UTC event day, batch sources by extraction day', () => {
    for (const [table, rows] of tables) {
      for (const r of rows) {
        if (table.startsWith('kafka.')) expect(day(r.event_timestamp)).toBe(r.ingest_date);
        else expect(r.ingest_date).toBe(day(r._extracted_at));
        expect(r._run_id).toMatch(/^sample-spec-seed-(base|increment)-\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('marks Salesforce deletes in both the object field and the bronze metadata', () => {
    for (const table of ['salesforce.accounts', 'salesforce.leads', 'salesforce.opportunities']) {
      const rows = tables.get(table)!;
      for (const r of rows) expect(r._is_deleted).toBe(r.is_deleted);
      expect(expected.tables[table]!.deletedKeys.length).toBeGreaterThan(0);
    }
  });
});

describe('the increment batch', () => {
  let expected: ExpectedDirt;
  beforeAll(async () => {
    expected = await readExpected(dir('a'));
  });

  it('is extracted the day after the base, in files of its own run', async () => {
    expect(expected.incrementDay).toBe('2026-03-03');
    const orders = await readBronze(dir('a'), 'snowflake.customer_orders');
    const inc = orders.filter((r) => String(r._run_id).includes('-increment-'));
    expect(inc.length).toBe(expected.increment!['snowflake.customer_orders']!.bronzeRows);
    for (const r of inc) expect(r.ingest_date).toBe('2026-03-03');
  });

  it('re-extracts stale order versions that are older than what the base holds', async () => {
    const orders = await readBronze(dir('a'), 'snowflake.customer_orders');
    const facts = expected.increment!['snowflake.customer_orders']!;
    expect(facts.staleKeys.length).toBeGreaterThan(0);
    for (const key of facts.staleKeys) {
      const base = orders.filter((r) => r.order_id === key && String(r._run_id).includes('-base-'));
      const late = orders.filter((r) => r.order_id === key && String(r._run_id).includes('-increment-'));
      expect(late.length).toBe(1);
      const newestBase = base.map((r) => text(r.updated_at)).sort().at(-1)!;
      expect(text(late[0]!.updated_at) < newestBase).toBe(true);
    }
  });

  it('delivers late Kafka events into the old days they happened on', async () => {
    const events = await readBronze(dir('a'), 'kafka.user_events');
    const late = new Set(expected.increment!['kafka.user_events']!.lateKeys);
    expect(late.size).toBeGreaterThan(0);
    const lateRows = events.filter((r) => late.has(String(r.event_id)));
    expect(lateRows.length).toBe(late.size);
    for (const r of lateRows) {
      expect(String(r._run_id)).toContain('-increment-');
      expect(r.ingest_date < DAY).toBe(true);
    }
  });

  it('keeps new keys new and updated keys known', async () => {
    for (const [table, facts] of Object.entries(expected.increment!)) {
      const overlap = facts.newKeys.filter((k) => facts.updatedKeys.includes(k));
      expect(overlap, table).toEqual([]);
    }
  });
});

describe('command line', () => {
  it('refuses to mix a new base into bronze that already holds data', async () => {
    const res = await generate([...ARGS, '--out', dir('a')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^error: bronze already holds data/);
    expect(res.stderr).toContain('hint: pass --force');
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an increment without its base, or for another seed', async () => {
    const missing = await generate([...ARGS, '--out', dir('empty'), '--increment']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no base batch found/);
    const otherSeed = await generate(['--scale', '0.1', '--seed', 'nope', '--day', DAY, '--out', dir('a'), '--increment']);
    expect(otherSeed.code).toBe(1);
    expect(otherSeed.stderr).toMatch(/was generated with --seed spec-seed/);
  });

  it('rejects bad options with usage exit code 2', async () => {
    for (const args of [['--scale', '-1'], ['--day', '2026-02-30'], ['--bogus']]) {
      const res = await generate([...args, '--out', dir('bad')]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(/^error: /);
    }
  });
});
