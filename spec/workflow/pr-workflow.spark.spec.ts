/**
 * The pull-request workflow end to end, on a real Spark: a git repository holding a small project
 * (main), production built from its compiled plan, then a branch that edits a silver model, adds a
 * gold column and renames another, run through the steps of `.github/workflows/etl.yml` exactly as
 * the workflow writes them (compile, diff, build into pr_1 with deferral, test), the merge built
 * from the plan, and the environment dropped.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { writeParquetFile } from '../../runtime/bronze/parquet-writer.js';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { resolveManifestLocation } from '../../runtime/plan/locations.js';
import { sharedSpark, type SharedSpark } from '../spark/shared-spark.js';
import { git, readWorkflow, runStep, workflowFile, type StepResult, type Workflow } from './workflow-steps.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCRATCH = join(REPO, '.etl', 'spec-workflow');
const DIR = join(SCRATCH, 'project');

let spark: SharedSpark | undefined;
let sql: SparkSession;
let workflow: Workflow;
let values: Record<string, string>;

const rows = async (query: string) => (await sql.query(query)).rows as Array<Record<string, unknown>>;
const versions = async (table: string) => (await rows(`DESCRIBE HISTORY ${table}`)).length;
const step = (job: string, id: string): StepResult => {
  const r = runStep(workflow, job, id, DIR, values);
  if (r.status !== 0) throw new Error(`step ${job}.${id} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
};
const edit = (file: string, from: string, to: string) => {
  const p = join(DIR, file);
  const text = readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no '${from}'`);
  writeFileSync(p, text.replace(from, to));
};
/** What the upload-artifact / download-artifact pair carries between jobs: a copy of target/. */
const artifact = (to: string) => {
  rmSync(join(DIR, to), { recursive: true, force: true });
  cpSync(join(DIR, 'target'), join(DIR, to), { recursive: true });
};
const builtModels = () =>
  (JSON.parse(readFileSync(join(DIR, 'target', 'run_results.json'), 'utf8')) as { results: Array<{ id: string; status: string }> }).results
    .filter((r) => r.id.startsWith('model.'))
    .map((r) => `${r.id}:${r.status}`)
    .sort();

async function landBronze(): Promise<void> {
  const { manifest } = await compileProject({ projectDir: DIR, cache: false });
  const meta = { _run_id: 'run-1', _extracted_at: '2026-01-05T06:00:00Z', _source: 'fixture', _cursor_value: null, _is_deleted: false };
  const land = async (id: string, data: Record<string, unknown>[]) => {
    const source = manifest.sources[id]!;
    const file = join(resolveManifestLocation(source.bronze.location, DIR), 'ingest_date=2026-01-05', 'part-00000.parquet');
    await writeParquetFile(file, [...source.columns, ...source.bronze.metadataColumns], data.map((r) => ({ ...meta, ...r })));
  };
  const at = '2026-01-05T05:00:00Z';
  await land('source.shop.customers', [
    { customer_id: 'c1', country: 'fr', updated_at: at },
    { customer_id: 'c2', country: 'de', updated_at: at },
    { customer_id: 'c3', country: 'fr', updated_at: at },
  ]);
  await land('source.shop.orders', [
    { order_id: 'o1', customer_id: 'c1', amount: '10.50', order_date: '2026-01-01', updated_at: at },
    { order_id: 'o2', customer_id: 'c1', amount: '4.50', order_date: '2026-01-02', updated_at: at },
    { order_id: 'o3', customer_id: 'c2', amount: '7.00', order_date: '2026-01-02', updated_at: at },
  ]);
}

beforeAll(async () => {
  execFileSync('bash', [join(REPO, 'scripts', 'setup-spark.sh')], { stdio: 'inherit' });
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
  cpSync(join(import.meta.dirname, 'fixtures', 'pr-shop'), DIR, { recursive: true });
  spark = await sharedSpark();
  sql = spark.sql;
  workflow = readWorkflow(workflowFile(REPO));
  values = {
    ETL: `node ${join(REPO, 'bin', 'etl.js')}`,
    ETL_ENV: 'pr_1',
    GITHUB_STEP_SUMMARY: join(SCRATCH, 'step-summary.md'),
    ETL_SPARK_THRIFT: spark.thrift,
  };
  git(DIR, 'init', '-q');
  git(DIR, 'add', '-A');
  git(DIR, 'commit', '-qm', 'main');
  await landBronze();
});

afterAll(async () => {
  await spark?.release();
});

describe('the pull-request workflow, step by step', () => {
  let prodVersions: Record<string, number>;

  it('main: production is compiled, then built from the compiled plan as it is', async () => {
    step('production-compile', 'compile-main');
    artifact('compiled-target');
    step('production-build', 'build-main');
    expect(await rows('SELECT country, customers FROM gold.country_summary ORDER BY country')).toEqual([
      { country: 'de', customers: 1 },
      { country: 'fr', customers: 2 },
    ]);
    prodVersions = {};
    for (const t of ['silver.stg_orders', 'silver.stg_customers', 'gold.customer_totals', 'gold.daily_orders', 'gold.country_summary']) prodVersions[t] = await versions(t);
    // The production manifest the pull request compares with and defers to.
    artifact(String(workflow.env.PROD_STATE));
  });

  it('a branch edits a silver model, adds a gold column and renames another', () => {
    git(DIR, 'checkout', '-qb', 'pr-1');
    edit('models/silver/stg_customers.sql', 'SELECT customer_id, country', 'SELECT customer_id, upper(country) AS country');
    edit('models/gold/daily_orders.sql', 'count(*) AS orders', 'count(*) AS orders, sum(amount) AS revenue');
    edit('models/gold/customer_totals.sql', 'max(o.order_date) AS last_order_date', 'max(o.order_date) AS latest_order_date');
    git(DIR, 'commit', '-qam', 'pr');
    expect(git(DIR, 'diff', '--name-only', 'main').trim().split('\n').sort()).toEqual([
      'models/gold/customer_totals.sql',
      'models/gold/daily_orders.sql',
      'models/silver/stg_customers.sql',
    ]);
  });

  it('compile: no diagnostics, a SARIF log with no results', () => {
    const r = step('pull-request', 'compile');
    expect(r.stderr).not.toMatch(/^::(error|warning)/m);
    const sarif = JSON.parse(readFileSync(join(DIR, 'etl.sarif'), 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]!.results).toEqual([]);
  });

  it('diff: the rename is breaking, the added column is not, with the downstream columns that read them', () => {
    rmSync(values.GITHUB_STEP_SUMMARY!, { force: true });
    step('pull-request', 'diff');
    const summary = readFileSync(values.GITHUB_STEP_SUMMARY!, 'utf8');
    expect(summary).toMatch(/customer_totals[\s\S]*breaking/i);
    expect(summary).toMatch(/last_order_date\W+(->|→)\W+latest_order_date/);
    expect(summary).toMatch(/daily_orders[\s\S]*non-breaking/i);
    // stg_customers changed: what reads it downstream is listed, per model.
    expect(summary).toMatch(/customer_totals: [^\n|<]*\bcountry\b/);
    expect(summary).toMatch(/country_summary: [^\n|<]*\bcountry\b/);
  });

  it('build: only the modified models and their dependants, into pr_1, reading the rest from production', async () => {
    step('pull-request', 'build');
    expect(builtModels()).toEqual(['model.country_summary:success', 'model.customer_totals:success', 'model.daily_orders:success', 'model.stg_customers:success']);
    const manifest = JSON.parse(readFileSync(join(DIR, 'target', 'manifest.json'), 'utf8')) as { environment: string; deferred: Record<string, string> };
    expect(manifest.environment).toBe('pr_1');
    expect(manifest.deferred).toEqual({ 'model.stg_orders': 'silver.stg_orders' });
    // customer_totals joined the PR's stg_customers with production's stg_orders.
    expect(await rows('SELECT customer_id, country, CAST(total_amount AS STRING) AS total_amount, order_count FROM gold__pr_1.customer_totals ORDER BY customer_id')).toEqual([
      { customer_id: 'c1', country: 'FR', total_amount: '15.00', order_count: 2 },
      { customer_id: 'c2', country: 'DE', total_amount: '7.00', order_count: 1 },
      { customer_id: 'c3', country: 'FR', total_amount: null, order_count: 0 },
    ]);
    expect(await rows('SELECT country, customers FROM gold__pr_1.country_summary ORDER BY country')).toEqual([
      { country: 'DE', customers: 1 },
      { country: 'FR', customers: 2 },
    ]);
    expect(await rows('SELECT CAST(latest_order_date AS STRING) AS d FROM gold__pr_1.customer_totals WHERE customer_id = \'c1\'')).toEqual([{ d: '2026-01-02' }]);
    expect(existsSync(join(DIR, 'data', 'warehouse', 'envs', 'pr_1', 'gold', 'customer_totals'))).toBe(true);
    const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(DIR, 'etl-build.xml'), 'utf8')) as { testsuites: unknown };
    expect(junit.testsuites).toBeDefined();
  });

  it('test: the data tests of the selection pass in pr_1, with a JUnit report', () => {
    step('pull-request', 'test');
    const xml = readFileSync(join(DIR, 'etl-test.xml'), 'utf8');
    expect(xml).toContain('stg_customers');
    expect(xml).not.toContain('<failure');
  });

  it('production tables were not touched by the pull request', async () => {
    for (const [table, count] of Object.entries(prodVersions)) expect({ table, versions: await versions(table) }).toEqual({ table, versions: count });
    expect(await rows('SELECT country, customers FROM gold.country_summary ORDER BY country')).toEqual([
      { country: 'de', customers: 1 },
      { country: 'fr', customers: 2 },
    ]);
  });

  it('merge: production is built from the plan compiled for the merge commit', async () => {
    git(DIR, 'checkout', '-q', 'main');
    git(DIR, 'merge', '-q', '--ff-only', 'pr-1');
    step('production-compile', 'compile-main');
    artifact('compiled-target');
    step('production-build', 'build-main');
    expect(await rows('SELECT country, customers FROM gold.country_summary ORDER BY country')).toEqual([
      { country: 'DE', customers: 1 },
      { country: 'FR', customers: 2 },
    ]);
    expect((await rows('DESCRIBE gold.customer_totals')).map((r) => r.col_name)).toContain('latest_order_date');
  });

  it('close: the environment is dropped, production stays', async () => {
    step('pull-request-closed', 'drop');
    const databases = (await rows('SHOW DATABASES')).map((r) => Object.values(r)[0]);
    expect(databases).not.toContain('silver__pr_1');
    expect(databases).not.toContain('gold__pr_1');
    expect(databases).toEqual(expect.arrayContaining(['silver', 'gold', 'bronze']));
    expect(existsSync(join(DIR, 'data', 'warehouse', 'envs', 'pr_1'))).toBe(false);
    expect((await rows('SELECT count(*) AS n FROM gold.customer_totals'))[0]).toEqual({ n: 3 });
  });
});
