/** Property-based tests of compiler/plan/select.ts on random DAG manifests. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/index.js';
import { evaluateSelector, selectModels, SelectorError } from '../../compiler/plan/select.js';

const TAGS = ['finance', 'crm', 'pii', 'daily'];
const SOURCES = ['source.shop.orders', 'source.shop.customers', 'source.crm.leads'];

interface Dag {
  manifest: Manifest;
  names: string[];
}

/** A minimal manifest over a random DAG: models m_0..m_n-1 (m_i reads only m_j, j < i) and a few sources. */
const dagArb: fc.Arbitrary<Dag> = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc
    .array(
      fc.record({
        parents: fc.array(fc.nat(), { maxLength: 3 }),
        sources: fc.subarray(SOURCES, { maxLength: 2 }),
        tags: fc.subarray(TAGS, { maxLength: 2 }),
        gold: fc.boolean(),
        incremental: fc.boolean(),
      }),
      { minLength: n, maxLength: n },
    )
    .map((specs) => {
      const names = specs.map((_, i) => `m_${i}`);
      const models: Record<string, unknown> = {};
      const parentMap: Record<string, string[]> = {};
      const childMap: Record<string, string[]> = Object.fromEntries(SOURCES.map((s) => [s, [] as string[]]));
      specs.forEach((s, i) => {
        const id = `model.${names[i]}`;
        const layer = s.gold ? 'gold' : 'silver';
        const modelParents = i === 0 ? [] : [...new Set(s.parents.map((p) => `model.${names[p % i]}`))];
        models[id] = {
          id,
          name: names[i],
          tags: s.tags,
          file: `models/${layer}/${names[i]}.sql`,
          layer,
          materialized: s.incremental ? 'incremental' : 'table',
          dependsOn: { models: modelParents.sort(), sources: [...s.sources].sort() },
        };
        parentMap[id] = [...modelParents, ...s.sources].sort();
        childMap[id] = [];
      });
      for (const [id, ps] of Object.entries(parentMap)) for (const p of ps) childMap[p]!.push(id);
      const sources = Object.fromEntries(
        SOURCES.map((id) => {
          const [, sourceName, table] = id.split('.');
          return [id, { id, sourceName, table, tags: [], file: `sources/${sourceName}.ts` }];
        }),
      );
      const manifest = { models, sources, parentMap, childMap } as unknown as Manifest;
      return { manifest, names };
    }),
);

/** A random DAG and one of its model names. */
const withName = dagArb.chain((d) => fc.constantFrom(...d.names).map((name) => ({ ...d, name })));

/** Independent reference: nodes reachable from `start` along `edges`, within `depth` steps. */
function reach(start: string, edges: Record<string, string[]>, depth = Infinity): Set<string> {
  const out = new Set<string>();
  let frontier = [start];
  for (let d = 0; d < depth && frontier.length; d++) {
    const next: string[] = [];
    for (const n of frontier) for (const m of edges[n] ?? []) if (!out.has(m)) out.add(m), next.push(m);
    frontier = next;
  }
  return out;
}

/** A random selector atom for a manifest. */
const atomArb = (d: Dag) =>
  fc.oneof(
    fc.constantFrom(...d.names),
    fc.constantFrom(...d.names).map((n) => `+${n}`),
    fc.constantFrom(...d.names).map((n) => `${n}+`),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(...d.names)).map(([k, n]) => `${k}+${n}`),
    fc.constantFrom(...TAGS).map((t) => `tag:${t}`),
    fc.constantFrom('layer:silver', 'layer:gold', 'path:models/gold', 'materialized:incremental', 'source:shop+', 'source:crm.leads+'),
  );
const twoAtoms = dagArb.chain((d) => fc.tuple(atomArb(d), atomArb(d)).map(([a, b]) => ({ ...d, a, b })));

describe('selection on random DAGs', () => {
  it('name+ is the model and all its descendants', () => {
    fc.assert(
      fc.property(withName, ({ manifest, name }) => {
        const id = `model.${name}`;
        expect(evaluateSelector(`${name}+`, manifest)).toEqual(new Set([id, ...reach(id, manifest.childMap)]));
      }),
    );
  });

  it('+name is the model and all its ancestors (sources included)', () => {
    fc.assert(
      fc.property(withName, ({ manifest, name }) => {
        const id = `model.${name}`;
        expect(evaluateSelector(`+${name}`, manifest)).toEqual(new Set([id, ...reach(id, manifest.parentMap)]));
      }),
    );
  });

  it('N+name stops N levels up; name+N stops N levels down', () => {
    fc.assert(
      fc.property(withName, fc.integer({ min: 0, max: 4 }), ({ manifest, name }, n) => {
        const id = `model.${name}`;
        expect(evaluateSelector(`${n}+${name}`, manifest)).toEqual(new Set([id, ...reach(id, manifest.parentMap, n)]));
        expect(evaluateSelector(`${name}+${n}`, manifest)).toEqual(new Set([id, ...reach(id, manifest.childMap, n)]));
      }),
    );
  });

  it('@name is the descendants plus all their ancestors', () => {
    fc.assert(
      fc.property(withName, ({ manifest, name }) => {
        const id = `model.${name}`;
        const down = new Set([id, ...reach(id, manifest.childMap)]);
        const expected = new Set(down);
        for (const d of down) for (const a of reach(d, manifest.parentMap)) expected.add(a);
        expect(evaluateSelector(`@${name}`, manifest)).toEqual(expected);
      }),
    );
  });

  it('an intersection (a,b) is a subset of each side and equals their intersection', () => {
    fc.assert(
      fc.property(twoAtoms, ({ manifest, a, b }) => {
        const sa = evaluateSelector(a, manifest);
        const sb = evaluateSelector(b, manifest);
        const both = evaluateSelector(`${a},${b}`, manifest);
        for (const x of both) {
          expect(sa.has(x)).toBe(true);
          expect(sb.has(x)).toBe(true);
        }
        expect(both).toEqual(new Set([...sa].filter((x) => sb.has(x))));
      }),
    );
  });

  it('a union (a b) is a superset of each side and equals their union', () => {
    fc.assert(
      fc.property(twoAtoms, ({ manifest, a, b }) => {
        const sa = evaluateSelector(a, manifest);
        const sb = evaluateSelector(b, manifest);
        const either = evaluateSelector(`${a} ${b}`, manifest);
        for (const x of [...sa, ...sb]) expect(either.has(x)).toBe(true);
        expect(either).toEqual(new Set([...sa, ...sb]));
      }),
    );
  });

  it('--exclude removes exactly its models; the result is models only, in manifest order', () => {
    fc.assert(
      fc.property(twoAtoms, ({ manifest, a, b }) => {
        const chosen = selectModels(manifest, { select: [a], exclude: [b] });
        const sa = evaluateSelector(a, manifest);
        const sb = evaluateSelector(b, manifest);
        expect(chosen).toEqual(Object.keys(manifest.models).filter((id) => sa.has(id) && !sb.has(id)));
        for (const id of chosen) expect(sb.has(id)).toBe(false);
        expect(selectModels(manifest, { select: [a], exclude: [a] })).toEqual([]);
      }),
    );
  });

  it('no --select means every model', () => {
    fc.assert(
      fc.property(dagArb, ({ manifest }) => {
        expect(selectModels(manifest, {})).toEqual(Object.keys(manifest.models));
      }),
    );
  });

  it('tag:, layer:, path:, materialized: and source:x+ match by attribute', () => {
    fc.assert(
      fc.property(dagArb, fc.constantFrom(...TAGS), ({ manifest }, tag) => {
        const models = Object.values(manifest.models);
        const ids = (pred: (m: (typeof models)[number]) => boolean) => new Set(models.filter(pred).map((m) => m.id));
        expect(evaluateSelector(`tag:${tag}`, manifest)).toEqual(ids((m) => m.tags.includes(tag)));
        expect(evaluateSelector('layer:gold', manifest)).toEqual(ids((m) => m.layer === 'gold'));
        expect(evaluateSelector('path:models/silver', manifest)).toEqual(ids((m) => m.file.startsWith('models/silver/')));
        expect(evaluateSelector('materialized:incremental', manifest)).toEqual(ids((m) => m.materialized === 'incremental'));
        const fromShop = new Set(['source.shop.orders', 'source.shop.customers']);
        for (const s of fromShop) for (const x of reach(s, manifest.childMap)) fromShop.add(x);
        expect(evaluateSelector('source:shop+', manifest)).toEqual(fromShop);
      }),
    );
  });

  it('unknown names and methods are selector errors', () => {
    fc.assert(
      fc.property(dagArb, ({ manifest }) => {
        expect(() => evaluateSelector('no_such_model', manifest)).toThrow(SelectorError);
        expect(() => evaluateSelector('colour:blue', manifest)).toThrow(SelectorError);
      }),
      { numRuns: 10 },
    );
  });
});
