/** Property-based tests of compiler/plan/graph.ts: parallel stages and cycle detection. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findCycles, stages, topoOrder, type Graph } from '../../compiler/plan/graph.js';

const id = (i: number) => `model.m${i}`;

/** A random DAG: node i may depend on any node j < i (and on sources outside the graph). */
const dagArb = fc.integer({ min: 1, max: 30 }).chain((n) =>
  fc
    .tuple(
      fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n }),
      fc.array(fc.boolean(), { minLength: n, maxLength: n }),
      fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
    )
    .map(([picks, withSource, order]) => {
      const parents = new Map<string, string[]>();
      // Insert in a shuffled order so Map order says nothing about the topology.
      for (const i of order) {
        const ps = i === 0 ? [] : [...new Set(picks[i]!.map((p) => id(p % i)))];
        if (withSource[i]) ps.push('source.shop.orders');
        parents.set(id(i), ps.sort());
      }
      return { parents } as Graph;
    }),
);

/** A random directed graph that may contain cycles (self-loops included). */
const anyGraphArb = fc.integer({ min: 1, max: 15 }).chain((n) =>
  fc.array(fc.array(fc.nat({ max: n - 1 }), { maxLength: 3 }), { minLength: n, maxLength: n }).map((picks) => {
    const parents = new Map<string, string[]>();
    picks.forEach((ps, i) => parents.set(id(i), [...new Set(ps.map(id))].sort()));
    return { parents } as Graph;
  }),
);

/** Independent reference: Kahn's algorithm; the nodes it never frees are on or behind a cycle. */
function kahn(g: Graph): { freed: Set<string>; hasCycle: boolean } {
  const indeg = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [n, ps] of g.parents) {
    const inGraph = ps.filter((p) => g.parents.has(p));
    indeg.set(n, inGraph.length);
    for (const p of inGraph) children.set(p, [...(children.get(p) ?? []), n]);
  }
  const queue = [...indeg].filter(([, d]) => d === 0).map(([n]) => n);
  const freed = new Set<string>();
  while (queue.length) {
    const n = queue.pop()!;
    freed.add(n);
    for (const c of children.get(n) ?? []) {
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) queue.push(c);
    }
  }
  return { freed, hasCycle: freed.size !== g.parents.size };
}

const stageOf = (s: string[][]) => new Map(s.flatMap((ids, i) => ids.map((x) => [x, i] as const)));

describe('graph: stages', () => {
  it('every node of a DAG appears in exactly one stage', () => {
    fc.assert(
      fc.property(dagArb, (g) => {
        const all = stages(g).flat();
        expect(all.length).toBe(g.parents.size);
        expect(new Set(all)).toEqual(new Set(g.parents.keys()));
      }),
    );
  });

  it('every edge goes from an earlier stage to a later one, and a node sits right after its deepest parent', () => {
    fc.assert(
      fc.property(dagArb, (g) => {
        const st = stageOf(stages(g));
        for (const [child, parents] of g.parents) {
          const inGraph = parents.filter((p) => g.parents.has(p));
          for (const p of inGraph) expect(st.get(p)!).toBeLessThan(st.get(child)!);
          expect(st.get(child)).toBe(inGraph.length ? Math.max(...inGraph.map((p) => st.get(p)!)) + 1 : 0);
        }
      }),
    );
  });

  it('stages are sorted and non-empty; topoOrder is their concatenation', () => {
    fc.assert(
      fc.property(dagArb, (g) => {
        const s = stages(g);
        for (const ids of s) {
          expect(ids.length).toBeGreaterThan(0);
          expect(ids).toEqual([...ids].sort());
        }
        expect(topoOrder(g)).toEqual(s.flat());
      }),
    );
  });

  it('with cycles, stages hold exactly the nodes not on or behind a cycle, still in edge order', () => {
    fc.assert(
      fc.property(anyGraphArb, (g) => {
        const s = stages(g);
        const { freed } = kahn(g);
        expect(new Set(s.flat())).toEqual(freed);
        expect(s.flat().length).toBe(freed.size);
        const st = stageOf(s);
        for (const [child, parents] of g.parents) {
          if (!st.has(child)) continue;
          for (const p of parents) if (g.parents.has(p)) expect(st.get(p)!).toBeLessThan(st.get(child)!);
        }
      }),
    );
  });
});

describe('graph: cycles', () => {
  it('a DAG has no cycles', () => {
    fc.assert(
      fc.property(dagArb, (g) => {
        expect(findCycles(g)).toEqual([]);
      }),
    );
  });

  it('cycles are found exactly when a cycle exists, and each reported chain is a real closed path', () => {
    fc.assert(
      fc.property(anyGraphArb, (g) => {
        const cycles = findCycles(g);
        expect(cycles.length > 0).toBe(kahn(g).hasCycle);
        for (const c of cycles) {
          expect(c.length).toBeGreaterThanOrEqual(2);
          expect(c[c.length - 1]).toBe(c[0]);
          // Elementary: no node repeats except the closing one.
          expect(new Set(c.slice(0, -1)).size).toBe(c.length - 1);
          // Each step follows a dependency edge (node -> one of its parents).
          for (let i = 0; i + 1 < c.length; i++) expect(g.parents.get(c[i]!)).toContain(c[i + 1]);
        }
      }),
    );
  });

  it('a planted cycle is reported with its whole chain', () => {
    fc.assert(
      fc.property(dagArb, fc.integer({ min: 2, max: 6 }), (g, len) => {
        // Add a fresh ring c0 -> c1 -> ... -> c(len-1) -> c0 hanging off the DAG.
        const ring = Array.from({ length: len }, (_, i) => `model.ring${i}`);
        ring.forEach((r, i) => g.parents.set(r, [ring[(i + 1) % len]!, ...(i === 0 ? [...g.parents.keys()].slice(0, 1) : [])].sort()));
        const cycles = findCycles(g);
        expect(cycles).toHaveLength(1);
        expect(new Set(cycles[0])).toEqual(new Set(ring));
        expect(cycles[0]!.length).toBe(len + 1);
      }),
    );
  });
});
