/**
 * End to end on real Spark + Delta: the reference project builds from generated sample data, its
 * data tests flag exactly the planted bad rows (per expected-dirt.json), gold holds only valid rows,
 * and a second build after the increment batch touches only new and updated rows.
 *
 * Starts its own Spark Thrift Server (the project's local engine) and stops it afterwards; the
 * builds run through `etl build`, pointed at that server with ETL_SPARK_THRIFT.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestTest } from '../../compiler/manifest/types.js';
import { SparkSession } from '../../runtime/engines/spark/client.js';
import { startThriftServer, stopProcess, type RunningServer } from '../../runtime/engines/spark/launcher.js';
import { sparkPaths } from '../../runtime/engines/spark/paths.js';
import { readTargetSparkSettings } from '../../runtime/engines/spark/project-settings.js';
import type { ExpectedDirt, PlantedRule } from '../../runtime/sample-data/ledger.js';
import { generate, readExpected, REPO } from './bronze-files.js';
import { PROJECT_PARTS } from '../../compiler/cache/input-stamp.js';

const exec = promisify(execFile);
/** A build runs about 120 Spark statements: minutes on a busy 2-core machine. */
const BUILD_TIMEOUT_MS = 45 * 60_000;
const SCALE = '0.1';
const SEED = 'e2e';

let projectDir: string;
/** Where a compiled target/ is run by a second "CI job": only target/ and the bronze data are there. */
let elsewhere: string | undefined;
type RunResultsFile = { results: Array<{ id: string; kind: string; status: string; rows?: number; failures?: number }> };
let firstBuild: RunResultsFile | undefined;
let warehouse: string;
let server: RunningServer | undefined;
let session: SparkSession | undefined;

async function etl(args: string[], dir = projectDir): Promise<{ code: number; stdout: string; stderr: string }> {
  // Run the CLI as a user would: without vitest's environment (the compiler skips its module hook under VITEST).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
  Object.assign(env, { ETL_SPARK_THRIFT: `${server!.host}:${server!.port}`, NO_COLOR: '1' });
  try {
    const { stdout, stderr } = await exec(process.execPath, [path.join(REPO, 'bin/etl.js'), ...args, '--project', dir], { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The manifest `etl build` compiled and wrote. */
async function readManifest(): Promise<Manifest> {
  return JSON.parse(await readFile(path.join(projectDir, 'target', 'manifest.json'), 'utf8')) as Manifest;
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await session!.query(sql)).rows;
}
async function count(sql: string): Promise<number> {
  const [r] = await rows(`SELECT count(*) AS n FROM (${sql}) q`);
  return Number(r!.n);
}
async function values(sql: string, column: string): Promise<string[]> {
  return (await rows(sql)).map((r) => String(r[column])).sort();
}

beforeAll(async () => {
  projectDir = await mkdtemp(path.join(tmpdir(), 'etl-reference-'));
  for (const entry of PROJECT_PARTS) if (existsSync(path.join(REPO, entry))) await cp(path.join(REPO, entry), path.join(projectDir, entry), { recursive: true });
  await writeFile(path.join(projectDir, 'package.json'), '{ "name": "reference-copy", "private": true, "type": "module" }\n');
  warehouse = path.join(projectDir, 'data', 'warehouse');
  // Extracted "now", so the sources' freshness checks pass.
  const gen = await generate(['--project', projectDir, '--scale', SCALE, '--seed', SEED, '--now']);
  expect(gen.code, gen.stderr).toBe(0);
  const { settings } = readTargetSparkSettings(projectDir);
  server = await startThriftServer(sparkPaths(projectDir), settings, { timeoutMs: 300_000 });
  session = await SparkSession.open(server.host, server.port);
});

afterAll(async () => {
  await session?.close().catch(() => {});
  if (server) await stopProcess(server.pid);
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
  if (elsewhere) await rm(elsewhere, { recursive: true, force: true });
});

/** The manifest test that implements a planted rule. */
function testFor(manifest: Manifest, rule: PlantedRule): ManifestTest {
  const tests = Object.values(manifest.tests);
  const found = rule.test.startsWith('singular:')
    ? tests.find((t) => t.kind === 'singular' && t.name === rule.test.slice('singular:'.length))
    : tests.find((t) => t.test === rule.test && t.attachedTo.node === `model.${rule.model}` && t.attachedTo.column === rule.column);
  if (!found) throw new Error(`no test ${rule.test} on ${rule.model}.${rule.column ?? ''}`);
  return found;
}

/** Locator values of a test's failing rows; timestamps compared as epoch seconds (session time zone aside). */
async function flagged(test: ManifestTest, rule: PlantedRule): Promise<string[]> {
  const isTime = rule.values.some((v) => /^\d{4}-\d{2}-\d{2}T/.test(v));
  const expr = isTime ? `CAST(unix_timestamp(f.${rule.locatorColumn}) AS STRING)` : `CAST(f.${rule.locatorColumn} AS STRING)`;
  return values(`SELECT ${expr} AS locator FROM (${test.sql}) f`, 'locator');
}
const expectedLocators = (rule: PlantedRule) =>
  rule.values.map((v) => (/^\d{4}-\d{2}-\d{2}T/.test(v) ? String(Date.parse(v) / 1000) : v)).sort();

async function checkFlags(expected: ExpectedDirt): Promise<void> {
  const manifest = await readManifest();
  for (const [id, rule] of Object.entries(expected.rules)) {
    const test = testFor(manifest, rule);
    expect(test.severity, id).toBe('warn');
    expect(await flagged(test, rule), id).toEqual(expectedLocators(rule));
  }
}

describe('reference project on Spark', () => {
  let expected: ExpectedDirt;
  beforeAll(async () => {
    expected = await readExpected(warehouse);
  });

  it('builds every model; only warn-level tests fail, and only those guarding planted dirt', async () => {
    const res = await etl(['build', '--threads', '3']);
    // Soft: a failing node fails the test, and the data checks below still run and report.
    expect.soft(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    const results = JSON.parse(await readFile(path.join(projectDir, 'target', 'run_results.json'), 'utf8')) as RunResultsFile;
    firstBuild = results;
    const models = results.results.filter((r) => r.kind === 'model');
    // 20 models, the two snapshots (snap_accounts, snap_customers) and dim_account_history; seeds are loaded first (seed.* nodes).
    expect(models.length).toBe(23);
    expect(results.results.filter((r) => r.id.startsWith('seed.')).map((r) => [r.id, r.status]).sort()).toEqual([
      ['seed.country_currency', 'success'],
      ['seed.product_categories', 'success'],
    ]);
    for (const m of models) expect.soft(m.status, m.id).toBe('success');
    const manifest = await readManifest();
    const dirtTests = new Set(Object.values(expected.rules).map((r) => testFor(manifest, r).id));
    for (const r of results.results.filter((x) => x.kind === 'test')) {
      if (dirtTests.has(r.id)) expect.soft(r.status, r.id).toBe('warn');
      // Freshness may warn on a slow machine (30 minutes for Kafka topics), but must not fail.
      else if (r.id.includes('freshness')) expect.soft(['pass', 'success', 'warn'], r.id).toContain(r.status);
      else expect.soft(['pass', 'success'], r.id).toContain(r.status);
    }
  }, BUILD_TIMEOUT_MS);

  it('a compiled target/ copied to an empty directory builds and tests there as it was compiled, with the same results', async () => {
    expect(firstBuild, 'the first build ran').toBeDefined();
    elsewhere = await mkdtemp(path.join(tmpdir(), 'etl-plan-elsewhere-'));
    // What a second CI job downloads: the compiled target/ (as an artifact) and the bronze data. No sources, no project.yaml.
    await cp(path.join(projectDir, 'target'), path.join(elsewhere, 'artifact', 'target'), { recursive: true });
    await cp(path.join(warehouse, 'bronze'), path.join(elsewhere, 'data', 'warehouse', 'bronze'), { recursive: true });
    const build = await etl(['build', '--plan', 'artifact/target', '--threads', '3'], elsewhere);
    expect.soft(build.code, `${build.stdout}\n${build.stderr}`).toBe(0);
    const there = JSON.parse(await readFile(path.join(elsewhere, 'target', 'run_results.json'), 'utf8')) as RunResultsFile;
    const summary = (r: RunResultsFile) => r.results.map((x) => `${x.id} ${x.status} rows=${x.rows ?? '-'} failures=${x.failures ?? '-'}`).sort();
    // Freshness depends on the clock: compare everything else exactly.
    const stable = (r: RunResultsFile) => summary({ results: r.results.filter((x) => !x.id.includes('freshness')) });
    expect(stable(there)).toEqual(stable(firstBuild!));
    // The tables were written under this directory, not the project's.
    const [detail] = await rows('DESCRIBE DETAIL silver.stg_customer_orders');
    expect(String(detail!.location)).toContain(elsewhere);
    const test = await etl(['test', '--plan', 'artifact/target', '--data'], elsewhere);
    expect.soft(test.code, `${test.stdout}\n${test.stderr}`).toBe(0);
    const tested = JSON.parse(await readFile(path.join(elsewhere, 'target', 'run_results.json'), 'utf8')) as RunResultsFile;
    const testsOnly = (r: RunResultsFile) => stable({ results: r.results.filter((x) => x.kind === 'test') });
    expect(testsOnly(tested)).toEqual(testsOnly(firstBuild!));
  }, BUILD_TIMEOUT_MS);

  it('flags exactly the planted rows, rule by rule', async () => {
    await checkFlags(expected);
  });

  it('holds one silver row per key and only valid, live rows in gold', async () => {
    const silver: Record<string, string> = {
      'snowflake.customer_orders': 'silver.stg_customer_orders',
      'snowflake.product_catalog': 'silver.stg_product_catalog',
      'snowflake.financial_transactions': 'silver.stg_financial_transactions',
      'salesforce.accounts': 'silver.stg_accounts',
      'salesforce.leads': 'silver.stg_leads',
      'salesforce.opportunities': 'silver.stg_opportunities',
      'kafka.user_events': 'silver.stg_user_events',
      'kafka.order_events': 'silver.stg_order_events',
      'kafka.inventory_updates': 'silver.stg_inventory_updates',
    };
    for (const [source, table] of Object.entries(silver)) {
      expect(await count(`SELECT * FROM ${table}`), table).toBe(expected.tables[source]!.silverRows);
    }
    const gold: Record<string, string> = {
      'snowflake.customer_orders': 'gold.fct_orders',
      'snowflake.product_catalog': 'gold.dim_product',
      'snowflake.financial_transactions': 'gold.fct_financial_transactions',
      'salesforce.accounts': 'gold.dim_account',
      'salesforce.opportunities': 'gold.fct_opportunities',
      'kafka.user_events': 'gold.fct_user_events',
    };
    for (const [source, table] of Object.entries(gold)) {
      expect(await count(`SELECT * FROM ${table}`), table).toBe(expected.tables[source]!.validKeys);
    }
    const deletedAccounts = expected.tables['salesforce.accounts']!.deletedKeys;
    expect(await count(`SELECT * FROM gold.dim_account WHERE account_id IN (${deletedAccounts.map((k) => `'${k}'`).join(', ')})`)).toBe(0);
    expect(await count(`SELECT * FROM silver.stg_accounts WHERE is_deleted`)).toBe(deletedAccounts.length);
  });

  it('an increment touches only new and updated rows, and late versions do not win', async () => {
    const before = new Map(
      (await rows(`SELECT order_id, CAST(unix_timestamp(updated_at) AS STRING) AS updated, _run_id FROM silver.stg_customer_orders WHERE order_id IS NOT NULL`)).map((r) => [
        String(r.order_id),
        r,
      ]),
    );
    const gen = await generate(['--project', projectDir, '--scale', SCALE, '--seed', SEED, '--day', expected.baseDay, '--increment']);
    expect(gen.code, gen.stderr).toBe(0);
    expected = await readExpected(warehouse);
    const inc = expected.increment!;
    const runId = `sample-${SEED}-increment-${expected.incrementDay}`;

    const res = await etl(['build', '--threads', '3']);
    // Soft: a failing node fails the test, and the data checks below still run and report.
    expect.soft(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);

    // Orders: merged rows are exactly the new and the updated keys; stale re-extractions left alone.
    const orders = inc['snowflake.customer_orders']!;
    const touched = await values(`SELECT order_id FROM silver.stg_customer_orders WHERE _run_id = '${runId}'`, 'order_id');
    expect(touched).toEqual([...orders.newKeys, ...orders.updatedKeys].sort());
    for (const key of orders.staleKeys) {
      const [now] = await rows(`SELECT CAST(unix_timestamp(updated_at) AS STRING) AS updated, _run_id FROM silver.stg_customer_orders WHERE order_id = '${key}'`);
      expect(now!.updated, key).toBe(before.get(key)!.updated);
      expect(now!._run_id, key).toBe(before.get(key)!._run_id);
    }
    // Append: re-extracted transactions are not appended twice.
    const tx = inc['snowflake.financial_transactions']!;
    expect(await values(`SELECT transaction_id FROM silver.stg_financial_transactions WHERE _run_id = '${runId}'`, 'transaction_id')).toEqual(tx.newKeys);
    // Salesforce merges: only new and updated ids carry the increment's run.
    for (const [source, table, key] of [
      ['salesforce.accounts', 'stg_accounts', 'account_id'],
      ['salesforce.leads', 'stg_leads', 'lead_id'],
      ['salesforce.opportunities', 'stg_opportunities', 'opportunity_id'],
    ] as const) {
      const f = inc[source]!;
      expect(await values(`SELECT ${key} FROM silver.${table} WHERE _run_id = '${runId}'`, key), table).toEqual([...f.newKeys, ...f.updatedKeys].sort());
    }
    // Late Kafka events reach their old day's partition.
    const late = inc['kafka.user_events']!.lateKeys;
    expect(await count(`SELECT * FROM silver.stg_user_events WHERE event_id IN (${late.map((k) => `'${k}'`).join(', ')}) AND event_date < DATE '${expected.baseDay}'`)).toBe(late.length);

    for (const [source, table] of [
      ['snowflake.customer_orders', 'silver.stg_customer_orders'],
      ['kafka.user_events', 'silver.stg_user_events'],
      ['kafka.order_events', 'silver.stg_order_events'],
      ['kafka.inventory_updates', 'silver.stg_inventory_updates'],
    ] as const) {
      expect(await count(`SELECT * FROM ${table}`), table).toBe(expected.tables[source]!.silverRows);
    }
    expect(await count('SELECT * FROM gold.fct_orders')).toBe(expected.tables['snowflake.customer_orders']!.validKeys);
    expect(await count('SELECT * FROM gold.fct_opportunities')).toBe(expected.tables['salesforce.opportunities']!.validKeys);
    await checkFlags(expected);
  }, BUILD_TIMEOUT_MS);

  it('a second build on the same data changes nothing (merges are idempotent)', async () => {
    const snapshot = async () => values(`SELECT concat_ws('|', order_id, order_status, _run_id) AS r FROM silver.stg_customer_orders WHERE order_id IS NOT NULL`, 'r');
    const first = await snapshot();
    const res = await etl(['build', '--select', 'stg_customer_orders']);
    expect(res.code, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(await snapshot()).toEqual(first);
  }, BUILD_TIMEOUT_MS);
});
