// Exposures in the docs site, in a real browser from file://: the diff-base fixture project compiled
// (its exposures/*.ts declare a QuickSight dashboard and an application), its site generated, then
// the exposures page (tool, owner, URL, models and columns) and a model page's "Exposures" section.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { buildSiteData } from '../../docs-site/generator/build-site-data.js';
import { generateDocs } from '../../docs-site/generator/index.js';
import { launchChromium, type Browser } from './helpers/browser.js';

const PROJECT = fileURLToPath(new URL('../compiler/fixtures/diff-base/', import.meta.url));

let browser: Browser;
let url = '';
let out = '';
const errors: string[] = [];

beforeAll(async () => {
  const compiled = await compileProject({ projectDir: PROJECT, cache: false });
  expect(compiled.diagnostics).toEqual([]);
  out = await mkdtemp(join(tmpdir(), 'etl-docs-exposures-'));
  const site = await generateDocs({ projectDir: PROJECT, manifest: compiled.manifest, outDir: join(out, 'docs'), runResultsPath: join(out, 'none.json') });
  url = pathToFileURL(site.entry).href;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

async function open(hash: string): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => errors.push(`${hash}: ${e.message}`));
  await page.goto(url + hash);
  await page.waitForFunction(() => document.body.dataset.ready === (location.hash || '#/'), null, { timeout: 30_000 });
  return page;
}

describe('exposures in the docs site', () => {
  it('the index carries each exposure with the index of the model it reads', async () => {
    const compiled = await compileProject({ projectDir: PROJECT, cache: false });
    const { index } = buildSiteData(compiled.manifest);
    const nodeOf = (i: number) => index.nodes[i]!.id;
    expect(index.exposures!.map((e) => [e.name, e.tool, e.owner.email, e.url ?? null, e.depends.map((d) => [nodeOf(d.node), d.columns])])).toEqual([
      ['customer_list', 'other', 'crm@example.com', null, [['model.dim_customers', ['customer_id', 'email']]]],
      ['revenue_dashboard', 'quicksight', 'finance-analytics@example.com', 'https://quicksight.example.com/dashboards/revenue', [['model.mart_revenue', ['region', 'order_date', 'revenue']]]],
    ]);
  });

  it('#/exposures shows a section per exposure with its tool, owner, URL and the columns it reads', async () => {
    const page = await open('#/exposures');
    expect(await page.$$eval('section.exposure h2', (els) => els.map((e) => e.textContent))).toEqual(['customer_list', 'revenue_dashboard']);
    const card = page.locator('#exposure-revenue_dashboard');
    expect(await card.locator('.badge.tool').textContent()).toBe('QuickSight');
    expect(await card.locator('a[href^="mailto:"]').getAttribute('href')).toBe('mailto:finance-analytics@example.com');
    expect(await card.locator('a[target="_blank"]').getAttribute('href')).toBe('https://quicksight.example.com/dashboards/revenue');
    expect(await card.locator('tr.exposure-depends td').allTextContents()).toEqual(['mart_revenue', 'region, order_date, revenue']);
    // Each column links to its lineage.
    expect(await card.locator('.exposure-columns a').first().getAttribute('href')).toBe('#/lineage/model.mart_revenue/region');
    await page.close();
  });

  it("a model's page lists the exposures reading it; a model nobody exposes has no such section", async () => {
    const page = await open('#/model/model.mart_revenue');
    const row = page.locator('tr.exposure-row');
    expect(await row.count()).toBe(1);
    expect(await row.getAttribute('data-exposure')).toBe('revenue_dashboard');
    expect(await row.locator('td').last().textContent()).toBe('region, order_date, revenue');
    await row.locator('a[href="#/exposures/revenue_dashboard"]').click();
    await page.waitForFunction(() => document.body.dataset.ready === '#/exposures/revenue_dashboard');
    expect(await page.$$eval('section.exposure h2', (els) => els.map((e) => e.textContent))).toEqual(['revenue_dashboard']);
    await page.close();

    const other = await open('#/model/model.fct_orders');
    expect(await other.locator('tr.exposure-row').count()).toBe(0);
    expect(await other.$$eval('section h2', (els) => els.map((e) => e.textContent ?? '').filter((t) => t.startsWith('Exposures')))).toEqual([]);
    await other.close();
    expect(errors).toEqual([]);
  });
});
