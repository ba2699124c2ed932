/**
 * Selection expressions in the browser, with exactly the CLI's grammar: the compiler's own pure
 * `evaluateSelector` is bundled into the client and run over a manifest-shaped view of the index
 * (the only fields it reads), so the docs and `etl run --select` can never disagree.
 */
import type { Manifest } from '../../compiler/manifest/types.js';
import { evaluateSelector, SelectorError } from '../../compiler/plan/select.js';
import type { IndexNode } from '../shared/site-data.js';

export { SelectorError };

export function manifestView(nodes: IndexNode[]): Manifest {
  const models: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const n of nodes) {
    parentMap[n.id] = n.parents.map((i) => nodes[i]!.id);
    childMap[n.id] = n.children.map((i) => nodes[i]!.id);
    if (n.kind === 'model') {
      models[n.id] = { id: n.id, name: n.name, tags: n.tags, file: n.file, layer: n.layer, materialized: n.materialized };
    } else {
      const table = n.name.slice((n.sourceName ?? '').length + 1);
      sources[n.id] = { id: n.id, sourceName: n.sourceName, table, tags: n.tags, file: n.file };
    }
  }
  return { models, sources, parentMap, childMap } as unknown as Manifest;
}

/** Node indices (models and sources) an expression selects; an empty expression selects all. */
export function selectIndices(nodes: IndexNode[], byId: (id: string) => number | undefined, view: Manifest, expression: string): Set<number> {
  if (!expression.trim()) return new Set(nodes.map((_, i) => i));
  const out = new Set<number>();
  for (const id of evaluateSelector(expression, view)) {
    const i = byId(id);
    if (i !== undefined) out.add(i);
  }
  return out;
}
