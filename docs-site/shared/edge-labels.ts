/**
 * Edge geometry of the lineage graph: each edge's SVG path through the layout (rank-skipping edges
 * run through their virtual slots) and where its label goes. A label sits on its own edge, at the
 * middle of the edge's first curve, where edges leaving one node have already fanned apart (at the
 * source end they share a point, so labels placed there overlap). Labels that still collide (two
 * roles on the same pair of nodes, crossing edges) are moved down, one at a time, until they don't.
 */
import type { LayoutResult } from './layout.js';

export interface EdgeLabelBox {
  /** Centre x and baseline y (text-anchor middle). */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface EdgeGeometry {
  d: string;
  /** Where the edge's label is centred on the edge, before collisions are resolved. */
  mid: { x: number; y: number };
}

/** The label font is 10px: this is an upper bound of its average character width. */
const CHAR_WIDTH = 6.2;
const LABEL_HEIGHT = 11;
/** Space kept between two labels, and above the edge line. */
const PAD = 2;

export function edgeGeometry(layout: LayoutResult, edges: ReadonlyArray<readonly [number, number]>, nodeWidth: number, nodeHeight: number): EdgeGeometry[] {
  return edges.map(([a, b], k) => {
    const [x1, y1] = [layout.x[a]! + nodeWidth, layout.y[a]! + nodeHeight / 2];
    const [x2, y2] = [layout.x[b]!, layout.y[b]! + nodeHeight / 2];
    let d = `M${x1},${y1}`;
    let [cx, cy] = [x1, y1];
    let mid: { x: number; y: number } | undefined;
    for (const [vx, vy] of layout.routes[k] ?? []) {
      const m = (cx + vx) / 2;
      d += ` C${m},${cy} ${m},${vy} ${vx},${vy} L${vx + nodeWidth},${vy}`;
      // The cubic's point at t = 1/2, with these control points: (m, mean of the ends' y).
      mid ??= { x: m, y: (cy + vy) / 2 };
      [cx, cy] = [vx + nodeWidth, vy];
    }
    const mx = (cx + x2) / 2;
    d += ` C${mx},${cy} ${mx},${y2} ${x2},${y2}`;
    return { d, mid: mid ?? { x: mx, y: (cy + y2) / 2 } };
  });
}

const overlaps = (p: EdgeLabelBox, q: EdgeLabelBox) =>
  Math.abs(p.x - q.x) * 2 < p.width + q.width + PAD && Math.abs(p.y - q.y) < (p.height + q.height) / 2 + PAD;

/**
 * Boxes for labels wanted at `at` (on their edges), in order: each is lifted just above its edge,
 * then moved down past any label already placed that it would overlap.
 */
export function placeEdgeLabels(wanted: ReadonlyArray<{ at: { x: number; y: number }; text: string }>): EdgeLabelBox[] {
  const placed: EdgeLabelBox[] = [];
  for (const { at, text } of wanted) {
    const box: EdgeLabelBox = { x: at.x, y: at.y - PAD - 1, width: text.length * CHAR_WIDTH, height: LABEL_HEIGHT };
    for (let guard = 0; guard < 1000; guard++) {
      const hit = placed.find((p) => overlaps(p, box));
      if (!hit) break;
      box.y = hit.y + LABEL_HEIGHT + PAD + 1;
    }
    placed.push(box);
  }
  return placed;
}
