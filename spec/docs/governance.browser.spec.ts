// The governance view of the docs site, for the reference project, in a real browser from file://:
// the policy as project.yaml declares it, every exposure and declassification with its reason and
// place, the role-by-table access matrix (hand-checked cells for the four roles), and the erasure
// plan of a subject key. The data is checked against the compiler's own derivations too.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import type { CompileResult } from '../../compiler/compile-types.js';
import { buildSiteData } from '../../docs-site/generator/build-site-data.js';
import { generateDocs } from '../../docs-site/generator/index.js';
import { readProjectConfig } from '../../compiler/load/project-config.js';
import type { GovernanceData } from '../../docs-site/shared/governance-data.js';
import { launchChromium, type Browser } from './helpers/browser.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

let browser: Browser;
let url = '';
let out = '';
let compiled: CompileResult;
let data: GovernanceData;
const errors: string[] = [];

beforeAll(async () => {
  compiled = await compileProject({ projectDir: REPO });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const roles = readProjectConfig(REPO, [])?.governance?.roles;
  data = buildSiteData(compiled.manifest, { plan: compiled.plan, ...(roles ? { roles } : {}) }).governance;
  out = await mkdtemp(join(tmpdir(), 'etl-docs-governance-'));
  const site = await generateDocs({ projectDir: REPO, manifest: compiled.manifest, plan: compiled.plan, outDir: join(out, 'docs'), runResultsPath: join(out, 'none.json') });
  url = pathToFileURL(site.entry).href;
  browser = await launchChromium();
}, 300_000);

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

const cell = (node: string, role: string) => {
  const r = data.roles.findIndex((x) => x.role === role);
  const row = data.matrix.find((m) => m.node === node);
  if (r < 0 || !row) throw new Error(`no ${role} or ${node}`);
  return row.access[r];
};

describe('the governance view', () => {
  it('lists every exposure and declassification the manifest records, with reason and place', () => {
    const gov = compiled.manifest.governance!;
    expect(data.exposures).toHaveLength(gov.exposures.length);
    expect(data.declassifications).toHaveLength(gov.declassifications.length);
    for (const [i, e] of gov.exposures.entries()) {
      expect(data.exposures[i]).toEqual({ model: e.model, column: e.column ?? null, classifications: [e.classification], reason: e.reason, at: `${e.at.file}:${e.at.line}:${e.at.column}` });
    }
    // The policy of project.yaml: gold exposes nothing but restricted unmasked; marts may show amounts.
    expect(data.policy).toContainEqual({ scope: 'layer', name: 'gold', allowed: ['restricted'] });
    expect(data.policy).toContainEqual({ scope: 'folder', name: 'models/gold/marts', allowed: ['sensitive', 'restricted'] });
  });

  it('the access matrix: each role sees what project.yaml grants it (hand-checked cells)', () => {
    expect(data.roles.map((r) => r.role)).toEqual(['data_engineer', 'data_analyst', 'business_user', 'crm_analyst']);
    // Engineers read everything in clear, bronze included.
    expect(cell('source.snowflake.customer_orders', 'data_engineer')).toMatchObject({ masked: 0, omitted: 0 });
    expect(cell('model.mart_customer_360', 'data_engineer')).toMatchObject({ masked: 0, omitted: 0 });
    // Analysts: no bronze; silver and gold with personal data masked and restricted columns left out.
    expect(cell('source.snowflake.customer_orders', 'data_analyst')).toBeNull();
    expect(cell('model.stg_leads', 'data_analyst')?.maskedColumns).toContain('email');
    expect(cell('model.fct_financial_transactions', 'data_analyst')!.omitted).toBeGreaterThan(0);
    // Business users: marts and facts only, never silver.
    expect(cell('model.stg_customer_orders', 'business_user')).toBeNull();
    expect(cell('model.mart_sales_pipeline', 'business_user')).not.toBeNull();
    // CRM analysts: Salesforce lineage only.
    expect(cell('source.salesforce.leads', 'crm_analyst')).not.toBeNull();
    expect(cell('source.snowflake.customer_orders', 'crm_analyst')).toBeNull();
    expect(cell('model.fct_orders', 'crm_analyst')).toBeNull();
  });

  it('the erasure plan of lead_id reaches the leads in bronze and silver and rebuilds the pipeline mart', () => {
    const lead = data.erasure.find((e) => e.key === 'lead_id')!;
    expect(lead.keyColumns).toEqual([{ node: 'source.salesforce.leads', column: 'lead_id' }]);
    const action = new Map(lead.targets.map((t) => [t.node, t.action]));
    expect(action.get('source.salesforce.leads')).toBe('rewrite-files');
    expect(action.get('model.stg_leads')).toBe('delete');
    expect(action.get('model.mart_sales_pipeline')).toBe('rebuild');
    expect(action.has('model.fct_orders')).toBe(false);
  });

  it('#/governance shows the same in the browser, and ?subject= opens that erasure plan', async () => {
    const page = await open('#/governance?subject=lead_id');
    expect(await page.locator('tr.gov-exposure-row').count()).toBe(data.exposures.length);
    expect(await page.locator('tr.gov-declassification-row').count()).toBe(data.declassifications.length);
    expect(await page.$$eval('table.access-matrix thead th', (els) => els.map((e) => e.textContent))).toEqual(['table', 'layer', 'data_engineer', 'data_analyst', 'business_user', 'crm_analyst']);
    const leads = page.locator('tr.access-row[data-node="model.stg_leads"]');
    expect(await leads.locator('td[data-role="business_user"]').textContent()).toBe('—');
    expect(await leads.locator('td[data-role="data_analyst"]').getAttribute('title')).toContain('email');
    const open_ = page.locator('details.erasure-plan[open]');
    expect(await open_.getAttribute('data-key')).toBe('lead_id');
    expect(await open_.locator('tr.erasure-row').count()).toBe(data.erasure.find((e) => e.key === 'lead_id')!.targets.length);
    await page.close();
    expect(errors).toEqual([]);
  });
});
