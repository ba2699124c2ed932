/** The model dependency graph: cycles (with the whole chain) and parallel stages. */

export interface Graph {
  /** node id -> the model ids it depends on (sources are leaves and not listed as nodes). */
  parents: Map<string, string[]>;
}

/** Every elementary cycle found by DFS, each as the chain of ids from its first node back to itself. */
export function findCycles(graph: Graph): string[][] {
  const WHITE = 0;
  const GREY = 1;
  const BLACK = 2;
  const colour = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const visit = (start: string) => {
    // Iterative DFS: deep chains of 10,000 models must not overflow the call stack.
    const frames: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    colour.set(start, GREY);
    stack.push(start);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const parents = graph.parents.get(frame.id) ?? [];
      if (frame.next < parents.length) {
        const p = parents[frame.next++]!;
        if (!graph.parents.has(p)) continue;
        const c = colour.get(p) ?? WHITE;
        if (c === GREY) {
          const chain = stack.slice(stack.indexOf(p));
          const key = [...chain].sort().join('>');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push([...chain, p]);
          }
        } else if (c === WHITE) {
          colour.set(p, GREY);
          stack.push(p);
          frames.push({ id: p, next: 0 });
        }
      } else {
        colour.set(frame.id, BLACK);
        stack.pop();
        frames.pop();
      }
    }
  };
  for (const id of [...graph.parents.keys()].sort()) if ((colour.get(id) ?? WHITE) === WHITE) visit(id);
  return cycles;
}

/**
 * Topological stages: stage n holds the nodes whose longest path from a root is n, so each stage
 * depends only on earlier ones. Nodes on cycles are left out. Order within a stage is by id.
 */
export function stages(graph: Graph): string[][] {
  const depth = new Map<string, number>();
  const indegree = new Map<string, number>();
  const children = new Map<string, string[]>();
  for (const [id, parents] of graph.parents) {
    const inGraph = parents.filter((p) => graph.parents.has(p));
    indegree.set(id, inGraph.length);
    for (const p of inGraph) {
      let list = children.get(p);
      if (!list) children.set(p, (list = []));
      list.push(id);
    }
  }
  const queue = [...indegree].filter(([, d]) => d === 0).map(([id]) => id);
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const c of children.get(id) ?? []) {
      depth.set(c, Math.max(depth.get(c) ?? 0, depth.get(id)! + 1));
      const left = indegree.get(c)! - 1;
      indegree.set(c, left);
      if (left === 0) queue.push(c);
    }
  }
  const out: string[][] = [];
  for (const id of queue) (out[depth.get(id)!] ??= []).push(id);
  return out.map((s) => s.sort());
}

/** Topological order (stage by stage). */
export function topoOrder(graph: Graph): string[] {
  return stages(graph).flat();
}
