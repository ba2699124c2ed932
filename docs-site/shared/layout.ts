/**
 * A small layered (Sugiyama-style) layout for the neighbourhoods the site draws: rank by longest
 * path, split edges that skip ranks into chains of virtual slots (so they route around nodes
 * instead of through them), order ranks by a few barycentre sweeps, centre each rank. Roughly
 * linear in nodes + edges: a few hundred nodes lay out in milliseconds, and the site never lays
 * out the whole project.
 */

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  gapX: number;
  gapY: number;
  sweeps?: number;
}

export interface LayoutResult {
  /** Top-left corner of each node. */
  x: number[];
  y: number[];
  rank: number[];
  /** Per input edge: the virtual slots a rank-skipping edge passes, as [left x, centre y]. */
  routes: Array<Array<[number, number]>>;
  width: number;
  height: number;
}

export function layeredLayout(count: number, edges: Array<[from: number, to: number]>, opts: LayoutOptions): LayoutResult {
  const valid = (a: number, b: number) => a !== b && a >= 0 && b >= 0 && a < count && b < count;
  const parents: number[][] = Array.from({ length: count }, () => []);
  const children: number[][] = Array.from({ length: count }, () => []);
  for (const [a, b] of edges) {
    if (!valid(a, b)) continue;
    parents[b]!.push(a);
    children[a]!.push(b);
  }

  // Longest-path ranks via Kahn's order; nodes left over (a cycle, which a manifest should not
  // have) keep the rank their placed parents gave them rather than breaking the page.
  const rank = new Array<number>(count).fill(0);
  const indegree = parents.map((p) => p.length);
  const queue: number[] = [];
  for (let i = 0; i < count; i++) if (indegree[i] === 0) queue.push(i);
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (const v of children[u]!) {
      rank[v] = Math.max(rank[v]!, rank[u]! + 1);
      if (--indegree[v]! === 0) queue.push(v);
    }
  }
  // Roots sit just left of their nearest child rather than all in the first column: a filter
  // column feeding only the last model is drawn next to it, not across the whole picture.
  for (let i = 0; i < count; i++) {
    if (parents[i]!.length === 0 && children[i]!.length > 0) {
      rank[i] = Math.max(0, Math.min(...children[i]!.map((c) => rank[c]!)) - 1);
    }
  }

  // Virtual slots: an edge from rank 1 to rank 4 passes slots at ranks 2 and 3.
  const up: number[][] = parents.map((p) => [...p]);
  const down: number[][] = children.map((c) => [...c]);
  const slotRank = [...rank];
  const chains: number[][] = edges.map(([a, b]) => {
    if (!valid(a, b) || rank[b]! - rank[a]! <= 1) return [];
    const chain: number[] = [];
    let prev = a;
    for (let r = rank[a]! + 1; r < rank[b]!; r++) {
      const v = slotRank.length;
      slotRank.push(r);
      up.push([prev]);
      down.push([]);
      down[prev]!.push(v);
      chain.push(v);
      prev = v;
    }
    down[prev]!.push(b);
    up[b]!.push(prev);
    return chain;
  });
  const total = slotRank.length;

  const maxRank = slotRank.reduce((m, r) => Math.max(m, r), 0);
  const ranks: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (let i = 0; i < total; i++) ranks[slotRank[i]!]!.push(i);

  const pos = new Array<number>(total).fill(0);
  const renumber = (list: number[]) => list.forEach((n, i) => (pos[n] = i));
  ranks.forEach(renumber);

  const barycentre = (n: number, neighbours: number[][]) => {
    const ns = neighbours[n]!;
    if (ns.length === 0) return pos[n]!;
    let sum = 0;
    for (const m of ns) sum += pos[m]!;
    return sum / ns.length;
  };
  const sweeps = opts.sweeps ?? 4;
  for (let s = 0; s < sweeps; s++) {
    const downward = s % 2 === 0;
    const order = downward ? [...ranks.keys()] : [...ranks.keys()].reverse();
    for (const r of order) {
      const list = ranks[r]!;
      const key = new Map(list.map((n) => [n, barycentre(n, downward ? up : down)]));
      list.sort((a, b) => key.get(a)! - key.get(b)! || a - b);
      renumber(list);
    }
  }

  const tallest = ranks.reduce((m, l) => Math.max(m, l.length), 0);
  const stepY = opts.nodeHeight + opts.gapY;
  const stepX = opts.nodeWidth + opts.gapX;
  const x = new Array<number>(total);
  const y = new Array<number>(total);
  for (const list of ranks) {
    const offset = ((tallest - list.length) * stepY) / 2;
    list.forEach((n, i) => {
      x[n] = slotRank[n]! * stepX;
      y[n] = offset + i * stepY;
    });
  }
  return {
    x: x.slice(0, count),
    y: y.slice(0, count),
    rank: rank,
    routes: chains.map((chain) => chain.map((v): [number, number] => [x[v]!, y[v]! + opts.nodeHeight / 2])),
    width: (maxRank + 1) * stepX - opts.gapX,
    height: Math.max(0, tallest * stepY - opts.gapY),
  };
}
