// Edge label placement (docs-site/shared/edge-labels.ts): labels never overlap, whatever the graph.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgeGeometry, placeEdgeLabels, type EdgeLabelBox } from '../../docs-site/shared/edge-labels.js';
import { layeredLayout } from '../../docs-site/shared/layout.js';

const apart = (p: EdgeLabelBox, q: EdgeLabelBox) => Math.abs(p.x - q.x) * 2 >= p.width + q.width || Math.abs(p.y - q.y) >= (p.height + q.height) / 2;

describe('edge labels', () => {
  it('labels of a random layered graph never overlap, and only ever move down from just above their edge point', () => {
    const graph = fc.integer({ min: 2, max: 25 }).chain((n) =>
      fc.tuple(
        fc.constant(n),
        fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1), fc.constantFrom('filter', 'join', 'group', 'window')), { maxLength: 60 }),
      ),
    );
    fc.assert(
      fc.property(graph, ([n, raw]) => {
        const edges = raw.filter(([a, b]) => a !== b).map(([a, b, kind]) => [Math.min(a, b), Math.max(a, b), kind] as const);
        const layout = layeredLayout(n, edges.map(([a, b]) => [a, b]), { nodeWidth: 190, nodeHeight: 40, gapX: 70, gapY: 16 });
        const geometry = edgeGeometry(layout, edges.map(([a, b]) => [a, b] as const), 190, 40);
        const wanted = edges.map(([, , kind], k) => ({ at: geometry[k]!.mid, text: kind }));
        const boxes = placeEdgeLabels(wanted);
        boxes.forEach((p, i) => {
          expect(p.x).toBe(wanted[i]!.at.x);
          expect(p.y).toBeGreaterThanOrEqual(wanted[i]!.at.y - 3);
          boxes.slice(i + 1).forEach((q) => expect(apart(p, q), `${JSON.stringify(p)} ${JSON.stringify(q)}`).toBe(true));
        });
      }),
      { numRuns: 200 },
    );
  });

  it('two labelled edges leaving one node get labels on their own edges, apart', () => {
    // Node 0 feeds nodes 1 and 2 (one rank to the right, stacked): a join and a filter.
    const layout = layeredLayout(3, [[0, 1], [0, 2]], { nodeWidth: 190, nodeHeight: 40, gapX: 70, gapY: 16 });
    const [toFirst, toSecond] = edgeGeometry(layout, [[0, 1], [0, 2]], 190, 40);
    expect(toFirst!.mid.x).toBe(layout.x[0]! + 190 + 35);
    expect(toFirst!.mid.y).toBe((layout.y[0]! + layout.y[1]!) / 2 + 20);
    const [join, filter] = placeEdgeLabels([{ at: toFirst!.mid, text: 'join' }, { at: toSecond!.mid, text: 'filter' }]);
    expect(apart(join!, filter!)).toBe(true);
  });
});
