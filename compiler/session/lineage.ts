/** Source lineage (the source columns each model column derives from) refreshed below edited models. */
import type { ManifestModel } from '../manifest/types.js';
import type { CompiledParts } from './state.js';

type Column = ManifestModel['columns'][number];

/**
 * Recomputes `sources` of every column of `ids`, then of the models reading one whose sources
 * changed (and so on down), in dependency order.
 */
export function refreshSourceLineage(c: CompiledParts, ids: string[]): void {
  const rank = (id: string) => c.orderIndex.get(id) ?? 0;
  const pending = new Set(ids);
  const columnsOf = (id: string) => new Map((c.models.get(id)?.columns ?? []).map((col) => [col.name, col]));
  while (pending.size) {
    const id = [...pending].reduce((a, b) => (rank(a) <= rank(b) ? a : b));
    pending.delete(id);
    let changed = false;
    const upstream = new Map<string, Map<string, Column>>();
    for (const col of c.models.get(id)?.columns ?? []) {
      const out = new Map<string, { node: string; column: string }>();
      for (const u of col.upstream) {
        if (u.node.startsWith('source.')) out.set(`${u.node}.${u.column}`, u);
        else {
          if (!upstream.has(u.node)) upstream.set(u.node, columnsOf(u.node));
          for (const s of upstream.get(u.node)!.get(u.column)?.sources ?? []) out.set(`${s.node}.${s.column}`, s);
        }
      }
      const sources = [...out.values()].sort((a, b) => `${a.node}.${a.column}`.localeCompare(`${b.node}.${b.column}`));
      if (JSON.stringify(sources) !== JSON.stringify(col.sources)) changed = true;
      col.sources = sources;
    }
    if (changed) for (const child of c.children.get(id) ?? []) pending.add(child);
  }
}
