// The docs site in a real browser (Debian chromium via playwright-core), opened from file:// as a
// reader would: search a model, open it, follow a column's lineage to its source, check the PII
// view, use the graph; then the reference project's real manifest; then a large synthetic one.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticManifest } from '../../bench/docs-synthetic.js';
import { compileProject } from '../../compiler/index.js';
import { evaluateSelector } from '../../compiler/plan/select.js';
import { generateDocs } from '../../docs-site/generator/index.js';
import { fixtureManifest } from './fixtures/manifest.js';
import { launchChromium, type Browser } from './helpers/browser.js';
import { fixtureSite } from './helpers/fixture-site.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT = join(REPO, 'target', 'docs-screenshots', 'model-page.png');

let browser: Browser;
let fixtureUrl: string;
const cleanup: string[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  const site = await fixtureSite();
  cleanup.push(site.projectDir);
  fixtureUrl = pathToFileURL(site.result.entry).href;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(cleanup.map((d) => rm(d, { recursive: true, force: true })));
});

async function open(url: string, hash = '#/'): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(`${hash}: ${e.message}`));
  await page.goto(url + hash);
  await ready(page);
  return page;
}

/** The app sets body[data-ready] to the route once a page has rendered and is wired up. */
async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready === (location.hash || '#/'), null, { timeout: 30_000 });
}

const graphKeys = (page: Page, scope = '') => page.$$eval(`${scope} .gnode`, (els) => els.map((e) => (e as SVGGElement).dataset.key!).sort());
const loadedChunks = (page: Page) => page.evaluate(() => window.__etlDocs.loadedChunks.length);

describe('the fixture project, from file://', () => {
  it('opens on the overview with counts and health, without loading any model data', async () => {
    const page = await open(fixtureUrl);
    expect(await page.textContent('h1')).toBe('enterprise_lakehouse');
    const stats = await page.$$eval('.stat', (els) => els.map((e) => e.textContent));
    expect(stats).toContain('4bronze sources1 kafka · 1 salesforce · 2 snowflake');
    expect(stats.some((s) => s?.startsWith('3gold models'))).toBe(true);
    expect(stats.some((s) => s?.startsWith('6gold columns from PII'))).toBe(true);
    const health = await page.$$eval('table.health tbody tr td:first-child', (els) => els.map((e) => e.textContent));
    expect(health).toEqual(expect.arrayContaining(['fct_orders', 'stg_customer_orders', 'snowflake.customer_orders']));
    expect(await loadedChunks(page)).toBe(0);
    await page.close();
  });

  it('searches a model, opens it, and shows its columns, classification, tests, SQL and neighbours', async () => {
    const page = await open(fixtureUrl);
    await page.fill('#search', 'stg_cust');
    await page.waitForSelector('.search-result');
    expect(await page.textContent('.search-result >> nth=0')).toContain('stg_customer_orders');
    await page.press('#search', 'Enter');
    await ready(page);
    expect(page.url()).toContain('#/model/model.stg_customer_orders');
    expect(await page.textContent('h1')).toContain('stg_customer_orders');
    expect(await page.textContent('.page-head')).toContain('incremental (merge)');
    // Classification on the columns: PII and sensitive, none on order_id.
    expect(await page.$$eval('tr[data-column="customer_email"] .class-pii', (e) => e.length)).toBe(1);
    expect(await page.$$eval('tr[data-column="amount"] .class-sensitive', (e) => e.length)).toBe(1);
    expect(await page.$$eval('tr[data-column="order_id"] .badge[class*="class-"]', (e) => e.length)).toBe(0);
    // Tests with last-run status.
    expect(await page.$$eval('tr.test-row.status-fail', (e) => e.map((x) => x.textContent))).toEqual([expect.stringContaining('3 duplicate order ids')]);
    expect(await page.textContent('tr.unit-test-row.status-pass')).toMatch(/keeps_latest_version.*snowflake\.customer_orders 2 rows/);
    // Source and compiled SQL side by side.
    expect(await page.textContent('pre.source-sql')).toContain('{{source "snowflake" "customer_orders"}}');
    expect(await page.textContent('pre.compiled-sql')).toContain('FROM bronze.snowflake_customer_orders');
    // The neighbourhood graph draws only the model's parents and children.
    expect(await graphKeys(page)).toEqual(['model.dim_customers', 'model.fct_orders', 'model.stg_customer_orders', 'source.snowflake.customer_orders']);
    await mkdir(join(REPO, 'target', 'docs-screenshots'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  });

  it("follows a gold column's lineage to its source column and the source's page", async () => {
    const page = await open(fixtureUrl, '#/model/model.mart_customer_360');
    await page.click('tr[data-column="email"] a.col-link');
    await ready(page);
    expect(page.url()).toContain('#/lineage/model.mart_customer_360/email');
    const keys = await graphKeys(page, '#lineage-graph');
    expect(keys).toEqual(
      expect.arrayContaining([
        'model.mart_customer_360#email',
        'model.dim_customers#email',
        'model.stg_customer_orders#customer_email',
        'source.snowflake.customer_orders#customer_email',
      ]),
    );
    // Value edges along the path; join/filter edges marked as such.
    const edges = await page.$$eval('#lineage-graph path.edge', (els) => els.map((e) => `${(e as SVGPathElement).dataset.kind}: ${(e as SVGPathElement).dataset.from} -> ${(e as SVGPathElement).dataset.to}`));
    expect(edges).toContain('value: source.snowflake.customer_orders#customer_email -> model.stg_customer_orders#customer_email');
    expect(edges).toContain('join: model.stg_leads#email -> model.mart_customer_360#email');
    expect(await page.$$eval('#lineage-graph path.edge-row', (e) => e.length)).toBeGreaterThan(0);
    // Double-click a column in the graph to re-centre the lineage on it.
    await page.dblclick('#lineage-graph .gnode[data-key="model.dim_customers#email"]');
    await ready(page);
    expect(page.url()).toContain('#/lineage/model.dim_customers/email');
    // Down to the source column, then to the source table's page.
    await page.click('.lineage-sources a.node-link');
    await ready(page);
    expect(page.url()).toContain('#/source/source.snowflake.customer_orders');
    const head = await page.textContent('.page-head');
    expect(head).toContain('target/ingestion/snowflake/customer_orders.json');
    expect(head).toContain('bronze.snowflake_customer_orders');
    // Secrets appear only as the names of their environment variables.
    const connection = await page.textContent('.settings.connection');
    expect(connection).toContain('$SNOWFLAKE_USERNAME');
    expect(connection).toContain('$SNOWFLAKE_PRIVATE_KEY_PATH');
    const freshness = await page.textContent('section:has(h2:text("Freshness SLA"))');
    expect(freshness).toMatch(/warn after\s*2 h/);
    expect(freshness).toMatch(/error after\s*6 h/);
    await page.close();
  });

  it('lists every gold column derived from PII, flagging the ones no longer classified', async () => {
    const page = await open(fixtureUrl, '#/pii');
    const rows = await page.$$eval('tr.pii-row', (els) => els.map((e) => `${(e as HTMLElement).dataset.column}${e.classList.contains('unmarked') ? ' (unmarked)' : ''}`));
    expect(rows.sort()).toEqual([
      'dim_customers.customer_id',
      'dim_customers.email',
      'fct_orders.customer_key (unmarked)',
      'mart_customer_360.customer_id',
      'mart_customer_360.email',
      'mart_customer_360.event_count (unmarked)',
    ]);
    await page.fill('#pii-filter', 'customer_key');
    expect(await page.$$eval('tr.pii-row', (els) => els.length)).toBe(1);
    await page.close();
  });

  it('draws a selection exactly as the CLI selects it, highlights, zooms, and explains a bad selector', async () => {
    const page = await open(fixtureUrl, `#/graph?select=${encodeURIComponent('+fct_orders')}`);
    expect(await graphKeys(page)).toEqual([...evaluateSelector('+fct_orders', fixtureManifest())].sort());
    await page.click('.gnode[data-key="model.stg_customer_orders"]');
    expect(await page.$$eval('.gnode.up', (e) => e.map((x) => (x as SVGGElement).dataset.key))).toEqual(['source.snowflake.customer_orders']);
    expect(await page.$$eval('.gnode.down', (e) => e.map((x) => (x as SVGGElement).dataset.key))).toEqual(['model.fct_orders']);
    const before = await page.getAttribute('.graph-svg > g', 'transform');
    await page.hover('.graph-svg');
    await page.mouse.wheel(0, -300);
    expect(await page.getAttribute('.graph-svg > g', 'transform')).not.toBe(before);
    // Typing a selection and a layer filter in the form.
    await page.fill('#graph-select', 'source:kafka+');
    await page.press('#graph-select', 'Enter');
    await ready(page);
    expect(await graphKeys(page)).toEqual(['model.mart_customer_360', 'model.stg_user_events', 'source.kafka.user_events']);
    await page.uncheck('.layer-boxes input[value="bronze"]');
    await ready(page);
    expect(await graphKeys(page)).toEqual(['model.mart_customer_360', 'model.stg_user_events']);
    await page.fill('#graph-select', 'colour:red');
    await page.press('#graph-select', 'Enter');
    await ready(page);
    expect(await page.textContent('#graph-error')).toMatch(/Unknown selector method 'colour:'/);
    await page.close();
  });

  it('shows test results, failures first', async () => {
    const page = await open(fixtureUrl, '#/tests');
    const statuses = await page.$$eval('tr.test-row', (els) => els.map((e) => e.className.replace('test-row status-', '')));
    expect(statuses).toEqual(['error', 'fail', 'warn', 'none', 'none', 'pass', 'pass']);
    await page.close();
  });

  it('raised no script error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('the reference project (real compiler output)', () => {
  let url: string;
  beforeAll(async () => {
    const compiled = await compileProject({ projectDir: REPO });
    expect(compiled.ok, JSON.stringify(compiled.diagnostics.filter((d) => d.severity === 'error'), null, 1)).toBe(true);
    const out = await mkdtemp(join(tmpdir(), 'etl-docs-ref-'));
    cleanup.push(out);
    // Reads model files from the repo, writes only to the temp folder, ignores any local run.
    const site = await generateDocs({ projectDir: REPO, manifest: compiled.manifest, outDir: join(out, 'docs'), runResultsPath: join(out, 'none.json') });
    url = pathToFileURL(site.entry).href;
  });

  it('finds a gold PII column by search and traces it to the Snowflake column it comes from', async () => {
    const page = await open(url);
    await page.fill('#search', 'customer_email');
    const hit = page.locator('.search-result[data-kind="column"]', { hasText: 'mart_customer_360.customer_email' });
    // Results render after the search's debounce: wait for the hit before counting its marks.
    await hit.waitFor();
    // Classification is marked in search results too.
    expect(await hit.locator('.class-pii').count()).toBe(1);
    await hit.click();
    await ready(page);
    expect(await page.$$eval('.lineage-sources a.node-link', (e) => e.map((x) => x.textContent))).toEqual(['snowflake.customer_orders.customer_email']);
    expect(await graphKeys(page, '#lineage-graph')).toContain('source.snowflake.customer_orders#customer_email');
    await page.goto(url + '#/pii');
    await ready(page);
    const rows = await page.$$eval('tr.pii-row', (els) => els.map((e) => (e as HTMLElement).dataset.column));
    expect(rows).toContain('mart_customer_360.customer_email');
    // For reviewers: the reference project's customer 360 page as the site shows it.
    await page.goto(url + '#/model/model.mart_customer_360');
    await ready(page);
    expect(await page.$$eval('tr.col-row.has-pii', (e) => e.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(REPO, 'target', 'docs-screenshots', 'reference-mart_customer_360.png'), fullPage: true });
    await page.close();
  });
});

describe('a 3,000-model project', () => {
  let url: string;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'etl-docs-big-'));
    cleanup.push(dir);
    const site = await generateDocs({ projectDir: dir, manifest: syntheticManifest({ models: 3000 }) });
    url = pathToFileURL(site.entry).href;
  });

  it('shows the overview from the index alone and a model page from one data chunk', async () => {
    const page = await open(url);
    expect(await loadedChunks(page)).toBe(0);
    expect(await page.textContent('.page')).toMatch(/and \d+ more/);
    const model = await page.getAttribute('table.grid a.node-link.layer-gold', 'href');
    await page.goto(url + model);
    await ready(page);
    expect(await loadedChunks(page)).toBe(1);
    // Only the neighbourhood is laid out, not the project.
    const drawn = (await graphKeys(page)).length;
    expect(drawn).toBeGreaterThan(1);
    expect(drawn).toBeLessThan(60);
    await page.close();
  });

  it('asks for a narrower selection rather than drawing thousands of nodes', async () => {
    const page = await open(url, '#/graph');
    expect(await page.textContent('#graph-too-big')).toMatch(/nodes match/);
    expect(await graphKeys(page)).toEqual([]);
    // A hub link narrows to that node and its direct neighbours, which then draw.
    await page.click('ul.hubs a >> nth=0');
    await ready(page);
    const drawn = await graphKeys(page);
    expect(drawn.length).toBeGreaterThan(1);
    expect(drawn.length).toBeLessThanOrEqual(400);
    await page.close();
  });
});
