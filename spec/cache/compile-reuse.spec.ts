/**
 * The nothing-changed compile (compiler/cache/reuse.ts): an unchanged project reuses the last
 * result, and a change of any input is seen: a model, a sidecar, a macro, a source file, a file a
 * source imports, project.yaml, a new model file, an environment variable a source reads, and the
 * options (--vars, --target, --env). Each changed compile is checked against what it must show.
 */
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject, writeArtifacts, type CompileOptions } from '../../compiler/index.js';

const fixture = path.resolve('spec/cache/fixtures/reuse');
const ENV_NAME = 'ETL_SPEC_SHOP_REGION';
let dir: string;
let clock = 0;

/**
 * Files written just now are not trusted by the stamps (a coarse clock could hide their next edit),
 * so the spec dates what it writes a little in the past, each write at its own time, as an editor
 * saving minutes apart would.
 */
async function dated(file: string): Promise<void> {
  const at = new Date(Date.now() - 60_000 + clock++ * 10);
  await utimes(file, at, at);
}

async function datedTree(root: string): Promise<void> {
  for (const e of readdirSync(root, { recursive: true, withFileTypes: true })) if (e.isFile()) await dated(path.join(e.parentPath, e.name));
}

async function edit(rel: string, change: (text: string) => string): Promise<void> {
  const file = path.join(dir, rel);
  const before = await readFile(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  await writeFile(file, after);
  await dated(file);
}

/** Compiles and writes target/ as `etl compile` does. */
async function compile(extra: Partial<CompileOptions> = {}) {
  const result = await compileProject({ projectDir: dir, ...extra });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  await writeArtifacts(result, dir);
  return result;
}

beforeEach(async () => {
  delete process.env[ENV_NAME];
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-reuse-'));
  await cp(fixture, dir, { recursive: true, filter: (src) => !src.includes('/.etl') && !src.includes('/target') });
  await datedTree(dir);
});

afterEach(async () => {
  delete process.env[ENV_NAME];
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('nothing-changed compile', () => {
  it('reuses the last result: same diagnostics and manifest, target/ left untouched', async () => {
    const first = await compile();
    expect(first.reused).toBeFalsy();
    const manifestFile = path.join(dir, 'target/manifest.json');
    const written = statSync(manifestFile).mtimeMs;
    const again = await compile();
    expect(again.reused).toBe(true);
    expect(again.counts).toEqual({ models: 2, sources: 1, tests: 0, stages: first.plan.stages.length });
    expect(again.diagnostics).toEqual(first.diagnostics);
    expect(JSON.stringify(again.manifest)).toBe(JSON.stringify(first.manifest));
    expect(JSON.stringify(again.plan)).toBe(JSON.stringify(first.plan));
    expect(statSync(manifestFile).mtimeMs).toBe(written);
  });

  it('sees an edit of a model, a sidecar, a macro, a source, a file a source imports, project.yaml, and a new model', async () => {
    await compile();
    const model = 'model.orders_clean';
    const cases: Array<[string, () => Promise<void>, (r: Awaited<ReturnType<typeof compile>>) => void]> = [
      ['model', () => edit('models/gold/revenue.sql', (t) => t.replace('sum(amount) AS revenue', 'sum(amount) AS total_revenue')), (r) => expect(r.manifest.models['model.revenue']!.columns.map((c) => c.name)).toEqual(['customer_id', 'total_revenue'])],
      ['sidecar', () => edit('models/silver/orders_clean.yml', (t) => t.replace('Orders with clean keys.', 'Orders, keys trimmed.')), (r) => expect(r.manifest.models[model]!.description).toBe('Orders, keys trimmed.')],
      ['macro', () => edit('macros/keys.ts', (t) => t.replace('`trim(${column})`', '`upper(trim(${column}))`')), (r) => expect(r.manifest.models[model]!.compiledSql).toContain('upper(trim(order_id)) AS order_id')],
      ['source', () => edit('sources/shop.ts', (t) => t.replace("table: 'ORDERS'", "table: 'ORDERS_V2'")), (r) => expect(JSON.stringify(r.manifest.sources['source.shop.orders'])).toContain('ORDERS_V2')],
      ['imported file', () => edit('lib/columns.ts', (t) => t.replace('amount: t.decimal(18, 2)', 'amount: t.decimal(20, 4)')), (r) => expect(r.manifest.sources['source.shop.orders']!.columns.find((c) => c.name === 'amount')!.type).toBe('decimal(20,4)')],
      ['project.yaml', () => edit('project.yaml', (t) => t.replace('min_amount: 0', 'min_amount: 5')), (r) => expect(r.manifest.models[model]!.compiledSql).toContain('amount >= 5')],
      [
        'new model',
        async () => {
          const file = path.join(dir, 'models/gold/top_customers.sql');
          await writeFile(file, 'SELECT customer_id FROM {{ref "revenue"}} WHERE total_revenue > 100\n');
          await dated(file);
        },
        (r) => expect(Object.keys(r.manifest.models)).toContain('model.top_customers'),
      ],
    ];
    for (const [what, change, check] of cases) {
      await change();
      const changed = await compile();
      expect({ what, reused: changed.reused ?? false }).toEqual({ what, reused: false });
      check(changed);
      // And the changed project is reused in turn.
      expect({ what, reused: (await compile()).reused }).toEqual({ what, reused: true });
    }
  });

  it('sees an environment variable a source reads, set and unset', async () => {
    const columns = (r: Awaited<ReturnType<typeof compile>>) => r.manifest.sources['source.shop.orders']!.columns.map((c) => c.name);
    expect(columns(await compile())).toEqual(['order_id', 'customer_id', 'amount']);
    expect((await compile()).reused).toBe(true);
    process.env[ENV_NAME] = 'yes';
    const set = await compile();
    expect(set.reused).toBeFalsy();
    expect(columns(set)).toEqual(['order_id', 'customer_id', 'amount', 'region']);
    expect((await compile()).reused).toBe(true);
    delete process.env[ENV_NAME];
    const unset = await compile();
    expect(unset.reused).toBeFalsy();
    expect(columns(unset)).toEqual(['order_id', 'customer_id', 'amount']);
  });

  it('sees --vars, --target and --env, and a compile without cache is never a reuse', async () => {
    await compile();
    const vars = await compile({ vars: { min_amount: 7 } });
    expect(vars.reused).toBeFalsy();
    expect(vars.manifest.models['model.orders_clean']!.compiledSql).toContain('amount >= 7');
    expect((await compile({ vars: { min_amount: 7 } })).reused).toBe(true);
    const other = await compile({ target: 'other' });
    expect(other.reused).toBeFalsy();
    expect(other.manifest.target.name).toBe('other');
    const env = await compile({ environment: 'pr_7' });
    expect(env.reused).toBeFalsy();
    expect(env.manifest.models['model.orders_clean']!.relation!.database).toBe('silver__pr_7');
    expect((await compile({ environment: 'pr_7' })).reused).toBe(true);
    expect((await compile({ environment: 'pr_7', cache: false })).reused).toBeFalsy();
  });

  it('does not reuse when target/ no longer holds the result: a deleted manifest is written again', async () => {
    await compile();
    await rm(path.join(dir, 'target/manifest.json'));
    const again = await compile();
    expect(again.reused).toBeFalsy();
    expect(JSON.parse(await readFile(path.join(dir, 'target/manifest.json'), 'utf8')).models['model.revenue'].name).toBe('revenue');
  });
});
