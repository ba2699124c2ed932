/**
 * Slim CI: `state:modified` / `state:new` against a reference manifest. The same project compiled
 * in another directory is unchanged; an edited model, a changed var or a new model is not.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject, selectModels, type Manifest } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

/** A copy of the materializations fixture whose tables live under the project (local roots). */
async function checkout(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-state-'));
  temps.push(dir);
  await cp(fixture('materializations'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.etl`) });
  const yaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
  await writeFile(path.join(dir, 'project.yaml'), yaml.replace(/, root: s3:\/\/lake\/\w+/g, ''));
  return dir;
}

async function manifestOf(dir: string, vars?: Record<string, unknown>): Promise<Manifest> {
  const result = await compileProject({ projectDir: dir, cache: false, ...(vars ? { vars } : {}) });
  expect(result.ok, JSON.stringify(result.diagnostics.map((d) => d.message))).toBe(true);
  return result.manifest;
}

const ids = (names: string[]) => names.map((n) => `model.${n}`).sort();

describe('state selection', () => {
  it('the same project in another checkout is not modified: its table locations are relative to the layer roots', async () => {
    const [a, b] = await Promise.all([checkout(), checkout()]);
    const [reference, current] = await Promise.all([manifestOf(a), manifestOf(b)]);
    expect(JSON.stringify(current.models['model.orders_append']!.relation)).not.toContain(b);
    expect(current.models['model.orders_append']!.relation).toEqual(reference.models['model.orders_append']!.relation);
    expect(selectModels(current, { select: ['state:modified'], state: reference })).toEqual([]);
    expect(selectModels(current, { select: ['state:new'], state: reference })).toEqual([]);
  }, 60_000);

  it('an edited model is modified, with its children through +; a changed var modifies its readers', async () => {
    const [a, b] = await Promise.all([checkout(), checkout()]);
    const reference = await manifestOf(a);
    const file = path.join(b, 'models/silver/orders_table.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace('SELECT order_id,', 'SELECT order_id, 1 AS version,'));
    const current = await manifestOf(b);
    expect(selectModels(current, { select: ['state:modified'], state: reference })).toEqual(ids(['orders_table']));
    expect(selectModels(current, { select: ['state:modified+'], state: reference }).sort()).toEqual(ids(['orders_table', 'customer_revenue', 'dutch_revenue']).filter((id) => current.models[id]));
    const withVar = await manifestOf(a, { min_date: '2021-01-01' });
    const changedByVar = selectModels(withVar, { select: ['state:modified'], state: reference });
    expect(changedByVar).toContain('model.orders_view');
    expect(changedByVar).not.toContain('model.customers_merge');
  }, 60_000);

  it('a new model is new and modified; without a reference manifest the selector says what to pass', async () => {
    const [a, b] = await Promise.all([checkout(), checkout()]);
    const reference = await manifestOf(a);
    await writeFile(path.join(b, 'models/gold/big_orders.sql'), 'SELECT order_id, amount FROM {{ref "orders_table"}} WHERE amount > 100\n');
    const current = await manifestOf(b);
    expect(selectModels(current, { select: ['state:new'], state: reference })).toEqual(['model.big_orders']);
    expect(selectModels(current, { select: ['state:modified'], state: reference })).toEqual(['model.big_orders']);
    expect(() => selectModels(current, { select: ['state:modified'] })).toThrow(/--state/);
  }, 60_000);
});
