// The lineage graph's edge labels (filter / join / group...) in a real browser: a column that two
// models read for their rows (a join in one, a filter in the other) has two labelled edges leaving
// it; the labels do not overlap, and each sits by its own edge.
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Browser } from './helpers/browser.js';
import { fixtureSite } from './helpers/fixture-site.js';
import { fixtureManifest } from './fixtures/manifest.js';

let browser: Browser;
let url: string;
let projectDir: string;

beforeAll(async () => {
  // stg_customer_orders.product_id: joined on by fct_orders (as in the fixture), filtered on by dim_customers.
  const manifest = fixtureManifest();
  manifest.models['model.dim_customers']!.rowDependencies.push({ node: 'model.stg_customer_orders', column: 'product_id', role: 'filter' });
  const site = await fixtureSite({ manifest });
  projectDir = site.projectDir;
  url = pathToFileURL(site.result.entry).href;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (projectDir) await rm(projectDir, { recursive: true, force: true });
});

describe('lineage graph edge labels', () => {
  it('no two edge labels overlap, and each sits by its own edge', async () => {
    const page = await browser.context.newPage();
    const hash = '#/lineage/model.stg_customer_orders/product_id';
    await page.goto(url + hash);
    await page.waitForFunction((h) => document.body.dataset.ready === h, hash, { timeout: 30_000 });
    const labels = await page.$$eval('#lineage-graph text.edge-label', (els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom, x: r.left + r.width / 2, y: r.bottom };
      }),
    );
    // The model's own row dependencies (filter, window, filter) and its two readers' (join, filter).
    expect(labels.map((l) => l.text).sort()).toEqual(['filter', 'filter', 'filter', 'join', 'window']);
    const overlapping: string[] = [];
    labels.forEach((p, i) =>
      labels.slice(i + 1).forEach((q) => {
        if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) overlapping.push(`${p.text} @${Math.round(p.left)},${Math.round(p.top)} / ${q.text} @${Math.round(q.left)},${Math.round(q.top)}`);
      }),
    );
    expect(overlapping).toEqual([]);
    // Each labelled edge has its label next to it (within a few pixels of a point of the path).
    const near = await page.$$eval(
      '#lineage-graph path.edge-row',
      (paths, all) =>
        paths.map((path) => {
          const p = path as SVGPathElement;
          const m = p.getScreenCTM()!;
          const points: Array<[number, number]> = [];
          for (let s = 0; s <= p.getTotalLength(); s += 2) {
            const q = p.getPointAtLength(s);
            points.push([m.a * q.x + m.c * q.y + m.e, m.b * q.x + m.d * q.y + m.f]);
          }
          const distance = (l: { x: number; y: number }) => Math.min(...points.map(([x, y]) => Math.hypot(x - l.x, y - l.y)));
          return `${p.dataset.kind} -> ${p.dataset.to}: ${all.some((l) => l.text === p.dataset.kind && distance(l) < 12)}`;
        }),
      labels,
    );
    expect(near.sort()).toEqual([
      'filter -> model.dim_customers#*: true',
      'filter -> model.stg_customer_orders#product_id: true',
      'filter -> model.stg_customer_orders#product_id: true',
      'join -> model.fct_orders#*: true',
      'window -> model.stg_customer_orders#product_id: true',
    ]);
    await page.close();
  }, 120_000);
});
