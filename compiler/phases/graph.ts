/** Phase 3, graph: model dependencies from the refs rendered, cycles reported with their whole chain. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { findCycles, stages, type Graph } from '../plan/graph.js';
import { cascadeExclusions, type CascadeInput } from './cascades.js';
import type { RenderedModel } from '../resolve/models.js';

export interface ModelGraph {
  graph: Graph;
  /** Models on a cycle: reported, never analysed into the plan. */
  onCycle: Set<string>;
  /** Every model id in dependency order. */
  order: string[];
  /** Models left out of the analysis because a model or source they read failed. */
  excluded: Set<string>;
}

export function graphPhase(rendered: Map<string, RenderedModel>, diagnostics: Diagnostic[], failures?: Omit<CascadeInput, 'rendered'>): ModelGraph {
  const graph: Graph = { parents: new Map() };
  // Models downstream of a failed or disabled model or source are not analysed (one ETL147 line per cause).
  const excluded = failures ? cascadeExclusions({ rendered, ...failures }, diagnostics) : new Set<string>();
  for (const r of rendered.values()) {
    if (excluded.has(r.file.name)) continue;
    graph.parents.set(r.id, [...new Set(r.refs.map((x) => `model.${x.name}`))].sort());
  }
  const onCycle = new Set<string>();
  for (const cycle of findCycles(graph)) {
    cycle.forEach((id) => onCycle.add(id));
    const first = rendered.get(cycle[0]!.slice(6))!;
    const refTo = first.refs.find((x) => `model.${x.name}` === cycle[1]);
    diagnostics.push({
      code: 'ETL156',
      severity: 'error',
      message: `Dependency cycle: ${cycle.map((id) => id.slice(6)).join(' -> ')}`,
      file: first.file.file,
      line: refTo?.line ?? 1,
      column: refTo?.column ?? 1,
      frame: codeFrame(first.file.text, refTo?.line ?? 1, refTo?.column ?? 1),
      hint: 'Models cannot depend on themselves, even through others: break one of the refs in the chain.',
      related: cycle.slice(1, -1).map((id, i) => {
        const m = rendered.get(id.slice(6))!;
        const next = cycle[i + 2]!;
        const ref = m.refs.find((x) => `model.${x.name}` === next);
        return { file: m.file.file, line: ref?.line ?? 1, column: ref?.column ?? 1, message: `${m.file.name} refs ${next.slice(6)} here` };
      }),
    });
  }
  const order = stages(graph).flat();

  return { graph, onCycle, order, excluded };
}
