/**
 * Docs site at scale: generates a synthetic N-model manifest (default 10,000), builds the site,
 * and measures in headless Chromium (file://, fresh page per sample) how long until the overview,
 * a model page, a column's lineage and a selection graph are interactive. Prints figures; asserts
 * nothing (speed is reported, not tested).
 *
 *   node --import tsx bench/docs-bench.ts [--models 10000] [--samples 3]
 *
 * "Ready" = the route rendered with its event handlers attached (the app sets body[data-ready]);
 * "interactive" = the next frame after that has been produced and the main thread is free again
 * (a requestAnimationFrame then a macrotask, recorded inside the page, so the harness's own
 * polling latency is not counted). Both in ms since navigation start.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generateDocs } from '../docs-site/generator/index.js';
import { launchChromium } from '../spec/docs/helpers/browser.js';
import { syntheticManifest, syntheticRunResults } from './docs-synthetic.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const modelCount = arg('models', 10_000);
  const samples = arg('samples', 3);
  const dir = await mkdtemp(join(tmpdir(), 'etl-docs-bench-'));
  const browser = await launchChromium();
  try {
    let t = performance.now();
    const manifest = syntheticManifest({ models: modelCount });
    const synthMs = performance.now() - t;
    await mkdir(join(dir, 'target'), { recursive: true });
    await writeFile(join(dir, 'target', 'run_results.json'), JSON.stringify(syntheticRunResults(manifest)));
    t = performance.now();
    const site = await generateDocs({ projectDir: dir, manifest });
    const generateMs = performance.now() - t;
    const url = pathToFileURL(site.entry).href;

    const models = Object.values(manifest.models);
    const model = models[Math.floor(models.length * 0.8)]!; // a gold model with a long upstream
    const goldColumn = model.columns[1]!.name;
    const routes: Array<[string, string]> = [
      ['overview', '#/'],
      ['model page', `#/model/${encodeURIComponent(model.id)}`],
      ['column lineage', `#/lineage/${encodeURIComponent(model.id)}/${encodeURIComponent(goldColumn)}`],
      ['graph +model (selection)', `#/graph?select=${encodeURIComponent(`2+${model.name}+1`)}`],
    ];

    console.log(`docs bench: ${modelCount} models, ${site.sources} sources, ${site.columns} columns, ${site.tests} tests`);
    console.log(`  synthesize manifest      ${synthMs.toFixed(0)} ms`);
    console.log(`  generate site            ${generateMs.toFixed(0)} ms  (${site.stats.files} files, ${mb(site.stats.bytes)} total, index ${mb(site.stats.indexBytes)}, largest chunk ${mb(site.stats.largestChunkBytes)})`);

    for (const [label, hash] of routes) {
      const ready: number[] = [];
      const interactive: number[] = [];
      let chunks = 0;
      let drawn = 0;
      for (let s = 0; s < samples; s++) {
        const page = await browser.context.newPage();
        await page.addInitScript(() => {
          new MutationObserver((_, obs) => {
            if (document.body?.dataset.ready === undefined) return;
            obs.disconnect();
            requestAnimationFrame(() => setTimeout(() => ((window as unknown as { __tti: number }).__tti = performance.now()), 0));
          }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
        });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        await page.goto(url + hash);
        await page.waitForFunction((h) => document.body.dataset.ready === h, hash, { timeout: 60_000 });
        await page.waitForFunction(() => (window as unknown as { __tti?: number }).__tti !== undefined);
        const r = await page.evaluate(() => ({
          ready: window.__etlDocsReady!.at,
          tti: (window as unknown as { __tti: number }).__tti,
          chunks: window.__etlDocs.loadedChunks.length,
          drawn: document.querySelectorAll('.gnode').length,
        }));
        ready.push(r.ready);
        interactive.push(r.tti);
        chunks = r.chunks;
        drawn = r.drawn;
        if (errors.length) throw new Error(`${label}: page errors: ${errors.join('; ')}`);
        await page.close();
      }
      console.log(
        `  ${label.padEnd(25)}ready ${median(ready).toFixed(0).padStart(5)} ms   interactive ${median(interactive).toFixed(0).padStart(5)} ms   (median of ${samples}; ${chunks} data chunk(s) loaded, ${drawn} graph nodes drawn)`,
      );
    }

    // Search: keystroke to rendered results, measured inside the page once columns are loaded.
    const page = await browser.context.newPage();
    await page.goto(url + '#/');
    await page.waitForFunction(() => document.body.dataset.ready === '#/');
    await page.focus('#search');
    await page.waitForFunction(() => window.__etlDocs.loadedChunks !== undefined && document.querySelector('script[src="data/search.js"]') !== null);
    await page.fill('#search', 'x');
    await page.waitForTimeout(500);
    const searchMs = await page.evaluate(() => {
      const input = document.getElementById('search') as HTMLInputElement;
      const times: number[] = [];
      for (const q of ['cust', 'customer_e', 'email', 'stg_order', 'amount_1']) {
        input.value = q;
        const t0 = performance.now();
        input.dispatchEvent(new Event('input'));
        document.querySelectorAll('.search-result').length;
        times.push(performance.now() - t0);
      }
      return times;
    });
    console.log(`  search keystroke          ${searchMs.map((x) => x.toFixed(1)).join(' / ')} ms  (models + sources + ${site.columns} columns)`);
    await page.close();
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
