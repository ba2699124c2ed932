// What the generator computes from a manifest: index, reverse lineage, PII-in-gold, run status,
// secrets. Pure functions over the hand-written fixture manifest; no browser.
import { describe, expect, it } from 'vitest';
import { buildSiteData } from '../../docs-site/generator/build-site-data.js';
import { parseRunResults } from '../../docs-site/generator/run-results.js';
import { REDACTED, redactSecrets } from '../../docs-site/generator/redact.js';
import { decodeIndex, encodeIndex } from '../../docs-site/shared/index-codec.js';
import { NODES_PER_CHUNK } from '../../docs-site/shared/site-data.js';
import { syntheticManifest } from '../../bench/docs-synthetic.js';
import { fixtureManifest, fixtureRunResults } from './fixtures/manifest.js';

const build = (warnings: string[] = []) => {
  const runResults = parseRunResults(fixtureRunResults(), warnings);
  return buildSiteData(fixtureManifest(), { runResults, warnings });
};

describe('site index', () => {
  it('lists every source and model once, sources first, with parents and children from the manifest maps', () => {
    const manifest = fixtureManifest();
    const { index } = build();
    const ids = index.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual([...Object.keys(manifest.sources), ...Object.keys(manifest.models)].sort());
    expect(index.nodes.slice(0, 4).every((n) => n.kind === 'source' && n.layer === 'bronze')).toBe(true);
    for (const n of index.nodes) {
      expect(n.parents.map((i) => index.nodes[i]!.id).sort()).toEqual([...(manifest.parentMap[n.id] ?? [])].sort());
      expect(n.children.map((i) => index.nodes[i]!.id).sort()).toEqual([...(manifest.childMap[n.id] ?? [])].sort());
    }
  });

  it('puts every node detail in exactly the chunk the index names', () => {
    const { index, chunks } = syntheticSite(130);
    const seen = new Map<string, number>();
    for (const c of chunks) for (const d of c.nodes) seen.set(d.id, c.chunk);
    expect(seen.size).toBe(index.nodes.length);
    for (const n of index.nodes) expect(seen.get(n.id)).toBe(n.chunk);
    expect(Math.max(...chunks.map((c) => c.nodes.length))).toBe(NODES_PER_CHUNK);
  });

  it('round-trips through the compact wire format', () => {
    const { index } = syntheticSite(150);
    expect(decodeIndex(JSON.parse(JSON.stringify(encodeIndex(index, NODES_PER_CHUNK))))).toEqual(index);
    const fixture = build().index;
    expect(decodeIndex(encodeIndex(fixture, NODES_PER_CHUNK))).toEqual(fixture);
  });
});

const syntheticSite = (models: number) => buildSiteData(syntheticManifest({ models, sources: 12 }), {});

describe('column lineage in the site data', () => {
  const detailOf = (id: string) => build().chunks.flatMap((c) => c.nodes).find((d) => d.id === id)!;

  it('records who reads each column, by value and by row role', () => {
    const orders = detailOf('source.snowflake.customer_orders');
    const email = orders.columns.find((c) => c.name === 'customer_email')!;
    expect(email.consumers).toEqual([['model.stg_customer_orders', 'customer_email', 'value']]);
    const orderDate = orders.columns.find((c) => c.name === 'order_date')!;
    expect(orderDate.consumers).toContainEqual(['model.stg_customer_orders', 'order_date', 'value']);
    expect(orderDate.consumers).toContainEqual(['model.stg_customer_orders', '*', 'filter']);
    const productId = detailOf('model.stg_customer_orders').columns.find((c) => c.name === 'product_id')!;
    expect(productId.consumers).toEqual([['model.fct_orders', '*', 'join']]);
  });

  it("shows a model's unit tests by inputs and row counts, never their fixture rows", () => {
    const d = detailOf('model.stg_customer_orders');
    expect(d.unitTests).toEqual([
      {
        id: 'unit_test.stg_customer_orders.keeps_latest_version',
        name: 'keeps_latest_version',
        file: 'models/silver/stg_customer_orders.yml',
        inputs: [['source.snowflake.customer_orders', 2]],
        expectRows: 1,
        status: 'pass',
      },
    ]);
    expect(JSON.stringify(build())).not.toContain('secret-sample@example.com');
  });

  it('keeps upstream and source columns per model column', () => {
    const key = detailOf('model.fct_orders').columns.find((c) => c.name === 'customer_key')!;
    expect(key.upstream).toEqual([['model.stg_customer_orders', 'customer_id']]);
    expect(key.sources).toEqual([['source.snowflake.customer_orders', 'customer_id']]);
  });

  it('lists gold columns derived from PII, including unclassified (hashed) ones, and nothing else', () => {
    const { index, piiGold } = build();
    const names = piiGold.map((r) => `${index.nodes[r.node]!.name}.${r.column}`).sort();
    expect(names).toEqual([
      'dim_customers.customer_id',
      'dim_customers.email',
      'fct_orders.customer_key',
      'mart_customer_360.customer_id',
      'mart_customer_360.email',
      'mart_customer_360.event_count',
    ]);
    const hashed = piiGold.find((r) => r.column === 'customer_key')!;
    expect(hashed.classification).toEqual([]);
    expect(hashed.piiSources.map(([n, c]) => `${index.nodes[n]!.id}.${c}`)).toEqual(['source.snowflake.customer_orders.customer_id']);
    expect(index.piiGoldCount).toBe(6);
  });
});

describe('run results', () => {
  it('reads the local runner, EMR runner and dbt shapes, and skips junk with a warning', () => {
    const warnings: string[] = [];
    const { index, chunks } = build(warnings);
    const node = (id: string) => index.nodes.find((n) => n.id === id)!;
    expect(node('model.stg_customer_orders').status).toBe('success');
    expect(node('model.fct_orders').status).toBe('error');
    expect(node('model.dim_customers').status).toBe('success');
    expect(node('model.mart_customer_360').status).toBe('skipped');
    expect(node('source.snowflake.customer_orders').status).toBe('warn');
    expect(node('model.stg_customer_orders').tests).toEqual({ total: 3, pass: 1, fail: 1, warn: 0, error: 0, notRun: 1 });
    // The EMR runner nests test results inside the model's entry.
    const fct = chunks.flatMap((c) => c.nodes).find((d) => d.id === 'model.fct_orders')!;
    expect(fct.tests.find((t) => t.id === 'test.relationships_fct_orders_order_id')!.status).toBe('error');
    expect(fct.run).toEqual({ status: 'error', message: 'Delta MERGE failed: concurrent update', executionTime: 0.7 });
    expect(index.testTotals).toEqual({ total: 7, pass: 2, fail: 1, warn: 1, error: 1, notRun: 2 });
    expect(warnings.join('\n')).toMatch(/2 entries without a node id or status were skipped/);
  });

  it('never throws on a malformed file', () => {
    for (const bad of [null, 42, 'text', [], { results: 'nope' }, { results: [null, 1, {}] }]) {
      const warnings: string[] = [];
      expect(() => parseRunResults(bad, warnings)).not.toThrow();
      expect(warnings.length).toBeGreaterThan(0);
    }
  });
});

describe('secrets', () => {
  it('keeps environment variable names and hides literal values under secret-looking keys', () => {
    const warnings: string[] = [];
    const out = redactSecrets(
      { account: 'company', auth: { kind: 'password', username: { env: 'SF_USER' }, password: 'hunter2', privateKey: 'PEM' }, apiKey: 'abc', tokens: [{ env: 'T' }] },
      'source.x.connection',
      warnings,
    );
    expect(out).toEqual({ account: 'company', auth: { kind: 'password', username: { env: 'SF_USER' }, password: REDACTED, privateKey: REDACTED }, apiKey: REDACTED, tokens: [{ env: 'T' }] });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/source\.x\.connection\.auth\.password .*env\("NAME"\)/);
  });

  it('does not carry a literal secret from a manifest into the site data', () => {
    const manifest = fixtureManifest();
    manifest.sources['source.salesforce.leads']!.connection = { loginUrl: 'https://x', auth: { kind: 'refresh_token', clientSecret: 'S3CR3T-VALUE' } };
    const warnings: string[] = [];
    const data = buildSiteData(manifest, { warnings });
    expect(JSON.stringify(data)).not.toContain('S3CR3T-VALUE');
    expect(warnings.some((w) => w.includes('clientSecret'))).toBe(true);
  });
});
