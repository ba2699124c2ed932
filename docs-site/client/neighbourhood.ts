/** Nodes within `up` parents and `down` children of a start node (the only graphs a model page draws). */
import type { IndexNode } from '../shared/site-data.js';

export function neighbourhood(nodes: IndexNode[], start: number, up: number, down: number, cap = 300): Set<number> {
  const out = new Set<number>([start]);
  const walk = (dir: 'parents' | 'children', depth: number) => {
    let frontier = [start];
    for (let d = 0; d < depth && frontier.length; d++) {
      const next: number[] = [];
      for (const i of frontier) {
        for (const j of nodes[i]![dir]) {
          if (out.size >= cap) return;
          if (!out.has(j)) (out.add(j), next.push(j));
        }
      }
      frontier = next;
    }
  };
  walk('parents', up);
  walk('children', down);
  return out;
}

/** Edges among a set of nodes, from the index's parent lists. */
export function inducedEdges(nodes: IndexNode[], set: Set<number>): Array<[number, number]> {
  const edges: Array<[number, number]> = [];
  for (const i of set) for (const p of nodes[i]!.parents) if (set.has(p)) edges.push([p, i]);
  return edges;
}
