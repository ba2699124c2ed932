import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestModel, ManifestTest } from '../../compiler/manifest/types.js';
import { buildGraph } from '../../runtime/runner/run.js';

// A hand-written slice of a manifest: orders -> fct -> mart, and dim beside fct.
const model = (name: string, parents: string[]) => ({ id: `model.${name}`, name, dependsOn: { models: parents, sources: [] } }) as unknown as ManifestModel;
const test = (id: string, attached: string, models: string[]) => ({ id, attachedTo: { node: attached }, dependsOn: { models, sources: [] } }) as unknown as ManifestTest;
const models = { orders: model('orders', []), dim: model('dim', ['model.orders']), fct: model('fct', ['model.orders']), mart: model('mart', ['model.fct']) };
const tests: Record<string, ManifestTest[]> = {
  'model.orders': [test('t.orders.unique', 'model.orders', ['model.orders']), test('t.orders.rel_to_fct', 'model.orders', ['model.orders', 'model.fct'])],
  'model.fct': [test('t.fct.rel_to_dim', 'model.fct', ['model.fct', 'model.dim'])],
};
const manifest = {
  models: Object.fromEntries(Object.values(models).map((m) => [m.id, m])),
  parentMap: { 'model.dim': ['model.orders'], 'model.fct': ['model.orders'], 'model.mart': ['model.fct'], 'model.orders': [] },
  childMap: { 'model.orders': ['model.dim', 'model.fct'], 'model.fct': ['model.mart'] },
} as unknown as Manifest;

describe('build graph', () => {
  const nodes = buildGraph(manifest, Object.keys(manifest.models), (id) => tests[id] ?? []);
  const parents = (id: string) => nodes.find((n) => n.id === id)!.parents.sort();

  it('a relationships test waits for the model it points to, not only its own', () => {
    expect(parents('t.fct.rel_to_dim')).toEqual(['model.dim', 'model.fct']);
  });

  it("a model waits for its parents' tests, so a failing test gates it", () => {
    expect(parents('model.mart')).toEqual(['model.fct', 't.fct.rel_to_dim']);
    // dim also waits for orders' relationships test to fct: it does not read dim.
    expect(parents('model.dim')).toEqual(['model.orders', 't.orders.rel_to_fct', 't.orders.unique']);
  });

  it("leaves out a parent's test that reads the model itself (it would be a cycle)", () => {
    expect(parents('model.fct')).toEqual(['model.orders', 't.orders.unique']);
    expect(parents('t.orders.rel_to_fct')).toEqual(['model.fct', 'model.orders']);
  });
});
