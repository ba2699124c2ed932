/**
 * Project code is evaluated fresh on every compile: a second `compileProject` in the same process
 * after an edit sees the edit, for a source declaration, a file it imports, a TypeScript model and
 * a macro helper; and a broken edit is reported at its line and column, then fixed again.
 * The fixture is a dot-directory so the root tsconfig skips it: its TS model refs its own models,
 * which the reference project's generated typings do not know.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { importProjectModule, withProjectModules } from '../../compiler/load/import-project-module.js';
import { fixture } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-fresh-'));
  await cp(fixture('.fresh-evaluation'), dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const compile = () => compileProject({ projectDir: dir, cache: false });
async function edit(file: string, from: string, to: string): Promise<void> {
  const abs = path.join(dir, file);
  const text = await readFile(abs, 'utf8');
  expect(text).toContain(from);
  await writeFile(abs, text.replace(from, to));
}
const sourceColumns = (r: CompileResult) => r.manifest.sources['source.shop.orders']!.columns.map((c) => c.name);
const modelColumns = (r: CompileResult, name: string) => r.manifest.models[`model.${name}`]!.columns.map((c) => c.name);
const errors = (r: CompileResult) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`);

describe('project code is evaluated fresh on every compile', () => {
  it('a source declaration: a new column appears in the manifest', async () => {
    const before = await compile();
    expect(errors(before)).toEqual([]);
    expect(sourceColumns(before)).toEqual(['order_id', 'amount', 'updated_at']);
    await edit('sources/shop.ts', 'amount: t.decimal(18, 2),', 'amount: t.decimal(18, 2),\n        currency: t.string(),');
    expect(sourceColumns(await compile())).toEqual(['order_id', 'amount', 'currency', 'updated_at']);
  });

  it('a file the source declaration imports', async () => {
    expect(sourceColumns(await compile())).toContain('updated_at');
    await edit('sources/lib/common.ts', 'updated_at: t.timestamp(),', 'updated_at: t.timestamp(),\n  updated_by: t.string(),');
    expect(sourceColumns(await compile())).toEqual(['order_id', 'amount', 'updated_at', 'updated_by']);
  });

  it('a TypeScript model: its new column is inferred', async () => {
    expect(modelColumns(await compile(), 'order_amounts')).toEqual(['order_id', 'amount']);
    await edit('models/gold/order_amounts.ts', 'SELECT order_id, amount FROM', 'SELECT order_id, order_key, amount FROM');
    const after = await compile();
    expect(errors(after)).toEqual([]);
    expect(modelColumns(after, 'order_amounts')).toEqual(['order_id', 'order_key', 'amount']);
  });

  it('a macro helper (.ts): models render with the new body', async () => {
    expect((await compile()).manifest.models['model.stg_orders']!.compiledSql).toContain('upper(order_id) AS order_key');
    await edit('macros/keys.ts', 'return `upper(${column})`;', 'return `trim(upper(${column}))`;');
    expect((await compile()).manifest.models['model.stg_orders']!.compiledSql).toContain('trim(upper(order_id)) AS order_key');
  });

  it('a broken edit is reported at its position in the file, and the fix is seen', async () => {
    await compile();
    await edit('models/gold/order_amounts.ts', "config: { materialized: 'table' },", "config: { materialized: 'table' },\n  description: missing_name,");
    const broken = await compile();
    expect(errors(broken)).toEqual(['ETL150 models/gold/order_amounts.ts:5:16 Cannot load TypeScript model: missing_name is not defined']);
    await edit('models/gold/order_amounts.ts', 'description: missing_name,', "description: 'Amounts per order.',");
    const fixed = await compile();
    expect(errors(fixed)).toEqual([]);
    expect(fixed.manifest.models['model.order_amounts']!.description).toBe('Amounts per order.');
  });

  it('a syntax error is reported at its line and column', async () => {
    await edit('sources/shop.ts', "table: 'ORDERS',", "table: 'ORDERS',,");
    expect(errors(await compile())[0]).toBe('ETL110 sources/shop.ts:16:23 Cannot load source declaration: Expected identifier but found ","');
  });
});

describe('importProjectModule', () => {
  it('shares one instance of a file within a scope, and evaluates it again in the next scope', async () => {
    const counter = path.join(dir, 'sources/lib/counter.ts');
    await writeFile(counter, 'export const loadedAt = Symbol("load");\n');
    await writeFile(path.join(dir, 'sources/lib/a.ts'), "export { loadedAt } from './counter.js';\n");
    await writeFile(path.join(dir, 'sources/lib/b.ts'), "export { loadedAt } from './counter.js';\n");
    const [a1, b1] = await withProjectModules(() => Promise.all([importProjectModule(path.join(dir, 'sources/lib/a.ts')), importProjectModule(path.join(dir, 'sources/lib/b.ts'))]));
    expect(a1.loadedAt).toBe(b1.loadedAt);
    const a2 = await withProjectModules(() => importProjectModule(path.join(dir, 'sources/lib/a.ts')));
    expect(a2.loadedAt).not.toBe(a1.loadedAt);
  });

  it('gives import.meta.url, JSON imports and node builtins their usual meaning', async () => {
    const file = path.join(dir, 'sources/lib/meta.ts');
    await writeFile(path.join(dir, 'sources/lib/data.json'), '{ "region": "eu" }\n');
    await writeFile(file, "import { basename } from 'node:path';\nimport data from './data.json';\nexport const name = basename(new URL(import.meta.url).pathname);\nexport const region = data.region;\n");
    expect(await importProjectModule(file)).toMatchObject({ name: 'meta.ts', region: 'eu' });
  });
});
