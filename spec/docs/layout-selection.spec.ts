// The graph layout's invariants (property-based) and the browser's selection matching the CLI's.
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import type { Manifest } from '../../compiler/manifest/types.js';
import { evaluateSelector } from '../../compiler/plan/select.js';
import { manifestView, selectIndices, SelectorError } from '../../docs-site/client/selection.js';
import { buildSiteData } from '../../docs-site/generator/build-site-data.js';
import { layeredLayout } from '../../docs-site/shared/layout.js';
import { fixtureManifest } from './fixtures/manifest.js';

describe('layered layout', () => {
  const dag = fc.integer({ min: 1, max: 60 }).chain((n) =>
    fc.tuple(
      fc.constant(n),
      // Edges point from lower to higher index, so the graph is acyclic. (Not `.filter(a < b)`:
      // with one node no pair passes and fast-check would retry forever.)
      fc
        .array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), { maxLength: 150 })
        .map((pairs) => pairs.filter(([a, b]) => a !== b).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)])),
    ),
  );
  const opts = { nodeWidth: 100, nodeHeight: 30, gapX: 40, gapY: 10 };

  it('puts every edge left to right and never overlaps two nodes', () => {
    fc.assert(
      fc.property(dag, ([n, edges]) => {
        const l = layeredLayout(n, edges, opts);
        for (const [a, b] of edges) expect(l.rank[a]!).toBeLessThan(l.rank[b]!);
        const spots = new Set<string>();
        for (let i = 0; i < n; i++) {
          expect(l.x[i]! + opts.nodeWidth).toBeLessThanOrEqual(l.width + 1e-6);
          expect(l.y[i]! + opts.nodeHeight).toBeLessThanOrEqual(l.height + 1e-6);
          const spot = `${l.x[i]},${l.y[i]}`;
          expect(spots.has(spot)).toBe(false);
          spots.add(spot);
        }
        // A rank-skipping edge gets one slot per rank it skips, each clear of every node.
        edges.forEach(([a, b], k) => {
          const route = l.routes[k]!;
          expect(route).toHaveLength(l.rank[b]! - l.rank[a]! - 1);
          for (const [x, y] of route) expect(spots.has(`${x},${y - opts.nodeHeight / 2}`)).toBe(false);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('places a node one rank after its deepest parent (longest path)', () => {
    // 0 -> 1 -> 2, and 0 -> 2: node 2 sits at rank 2, not 1.
    expect(layeredLayout(3, [[0, 1], [1, 2], [0, 2]], opts).rank).toEqual([0, 1, 2]);
  });

  it('survives a cycle and bad edges instead of hanging', () => {
    const l = layeredLayout(3, [[0, 1], [1, 0], [2, 2], [5, 1]], opts);
    expect(l.x).toHaveLength(3);
  });
});

/** The browser's selection (compiler selector over the site index) vs the CLI's over the manifest. */
function parity(manifest: Manifest, expressions: string[]): void {
  const { index } = buildSiteData(manifest, {});
  const byId = new Map(index.nodes.map((n, i) => [n.id, i]));
  const view = manifestView(index.nodes);
  for (const expr of expressions) {
    const cli = [...evaluateSelector(expr, manifest)].sort();
    const browser = [...selectIndices(index.nodes, (id) => byId.get(id), view, expr)].map((i) => index.nodes[i]!.id).sort();
    expect(browser, expr).toEqual(cli);
  }
}

describe('selection in the browser', () => {
  it('selects exactly what the CLI selects on the fixture', () => {
    parity(fixtureManifest(), [
      'fct_orders',
      '+fct_orders',
      'stg_customer_orders+',
      '1+mart_customer_360',
      'stg_customer_orders+1',
      '@stg_products',
      'tag:mart',
      'tag:gold,tag:sales',
      'layer:silver',
      'layer:gold stg_leads',
      'path:models/gold',
      'source:snowflake+',
      'source:snowflake.customer_orders+',
      'source:kafka+,layer:gold',
      'materialized:incremental',
      'stg_*',
    ]);
  });

  it('reports a bad selector as the CLI does', () => {
    const manifest = fixtureManifest();
    const { index } = buildSiteData(manifest, {});
    const view = manifestView(index.nodes);
    expect(() => selectIndices(index.nodes, () => 0, view, 'colour:red')).toThrow(SelectorError);
    expect(() => selectIndices(index.nodes, () => 0, view, 'no_such_model')).toThrow(/No model named 'no_such_model'/);
  });

  describe('on the reference project', () => {
    let manifest: Manifest;
    beforeAll(async () => {
      const result = await compileProject({ projectDir: fileURLToPath(new URL('../../', import.meta.url)) });
      expect(result.ok, JSON.stringify(result.diagnostics.filter((d) => d.severity === 'error'), null, 1)).toBe(true);
      manifest = result.manifest;
    });

    it('selects exactly what the CLI selects', () => {
      const some = Object.values(manifest.models);
      const gold = some.find((m) => m.layer === 'gold')!.name;
      const silver = some.find((m) => m.layer === 'silver')!.name;
      parity(manifest, [`+${gold}`, `${silver}+`, `2+${gold}`, `@${silver}`, 'layer:gold', 'tag:mart', 'source:salesforce+', 'source:kafka.user_events+,layer:gold', 'path:models/silver', 'materialized:incremental']);
    });
  });
});
