/** Source lineage (the source columns each model column derives from) refreshed below edited models. */
import type { ManifestModel } from '../manifest/types.js';
import type { CompiledParts } from './state.js';

type Column = ManifestModel['columns'][number];

/** Recomputes `sources` of every column of `ids` and of every model downstream of them, in dependency order. */
export function refreshSourceLineage(c: CompiledParts, ids: string[]): void {
  const seen = new Set<string>();
  const queue = [...ids];
  while (queue.length) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(c.children.get(id) ?? []));
  }
  const byName = new Map<string, Map<string, Column>>();
  const columnsOf = (id: string) => {
    let m = byName.get(id);
    if (!m) byName.set(id, (m = new Map((c.models.get(id)?.columns ?? []).map((col) => [col.name, col]))));
    return m;
  };
  for (const id of [...seen].sort((a, b) => (c.orderIndex.get(a) ?? 0) - (c.orderIndex.get(b) ?? 0))) {
    for (const col of c.models.get(id)?.columns ?? []) {
      const out = new Map<string, { node: string; column: string }>();
      for (const u of col.upstream) {
        if (u.node.startsWith('source.')) out.set(`${u.node}.${u.column}`, u);
        else for (const s of columnsOf(u.node).get(u.column)?.sources ?? []) out.set(`${s.node}.${s.column}`, s);
      }
      col.sources = [...out.values()].sort((a, b) => `${a.node}.${a.column}`.localeCompare(`${b.node}.${b.column}`));
    }
  }
}
