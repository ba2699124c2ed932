/**
 * The column-level changes of one model between two manifests: added, removed, renamed (a removed
 * column and an added one with the same upstream lineage), retyped, nullability, lineage and
 * descriptions. Upstream references are compared through the renames already found in the parents,
 * so a model that follows a parent's rename `a -> b` has not changed its lineage.
 */
import type { ColumnRef, ModelColumn, ManifestModel } from '../manifest/types.js';
import type { ColumnChange } from './report-schema.js';

/** Renames found so far, per model id: old column name -> new. */
export type RenameMap = Map<string, Map<string, string>>;

export interface ColumnDelta {
  changes: ColumnChange[];
  /** Old name -> new name. */
  renamed: Map<string, string>;
  /** Columns whose change reaches readers, as the reference names them (removed, renamed, retyped, lineage). */
  referenceSeeds: string[];
  /** The same columns as the project names them now (renamed ones under their new name). */
  currentSeeds: string[];
  /** Removed, renamed and retyped columns (reference names): a reader may have to edit its SQL for them. */
  forcing: string[];
}

/** A column reference after the renames of its model (so `a` of a renamed parent reads as `b`). */
export function translated(ref: ColumnRef, renames: RenameMap): ColumnRef {
  const to = renames.get(ref.node)?.get(ref.column);
  return to ? { node: ref.node, column: to } : ref;
}

const refKey = (r: ColumnRef) => `${r.node}.${r.column}`;

function lineageKey(refs: ColumnRef[], renames?: RenameMap): string {
  return [...new Set(refs.map((r) => refKey(renames ? translated(r, renames) : r)))].sort().join(',');
}

const typeText = (c: ModelColumn) => `${c.type}${c.nullable ? '' : ' not null'}`;

export function columnDelta(before: ManifestModel, after: ManifestModel, renames: RenameMap): ColumnDelta {
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const now = new Map(after.columns.map((c) => [c.name, c]));
  const removed = before.columns.filter((c) => !now.has(c.name));
  const added = after.columns.filter((c) => !old.has(c.name));
  const renamed = findRenames(removed, added, renames);
  const changes: ColumnChange[] = [];
  const referenceSeeds: string[] = [];
  const currentSeeds: string[] = [];
  const forcing = removed.map((c) => c.name);
  for (const c of removed) {
    const to = renamed.get(c.name);
    if (to) {
      const target = now.get(to)!;
      const retyped = typeText(c) !== typeText(target) ? ` (and retyped ${typeText(c)} -> ${typeText(target)})` : '';
      changes.push({ kind: 'column_renamed', column: to, from: c.name, to, detail: `${c.name} -> ${to}${retyped}` });
      referenceSeeds.push(c.name);
      currentSeeds.push(to);
    } else {
      changes.push({ kind: 'column_removed', column: c.name, detail: `${c.name} removed` });
      referenceSeeds.push(c.name);
    }
  }
  const renamedTo = new Set(renamed.values());
  for (const c of added) if (!renamedTo.has(c.name)) changes.push({ kind: 'column_added', column: c.name, detail: `${c.name} added (${typeText(c)})` });
  for (const c of before.columns) {
    const n = now.get(c.name);
    if (!n) continue;
    const change = keptColumnChange(c, n, renames);
    if (change) {
      changes.push(change);
      if (change.kind !== 'nullability_narrowed') {
        referenceSeeds.push(c.name);
        currentSeeds.push(c.name);
      }
      if (change.kind === 'column_retyped') forcing.push(c.name);
    }
    if ((c.description ?? '') !== (n.description ?? '')) changes.push({ kind: 'description_changed', column: c.name, detail: `description of ${c.name} changed` });
  }
  return { changes, renamed, referenceSeeds, currentSeeds, forcing };
}

/** Retype, nullability or lineage change of a column both manifests have, if any. */
function keptColumnChange(c: ModelColumn, n: ModelColumn, renames: RenameMap): ColumnChange | undefined {
  if (c.type !== n.type || (!c.nullable && n.nullable)) {
    return { kind: 'column_retyped', column: c.name, from: typeText(c), to: typeText(n), detail: `${c.name}: ${typeText(c)} -> ${typeText(n)}` };
  }
  if (c.nullable && !n.nullable) return { kind: 'nullability_narrowed', column: c.name, from: typeText(c), to: typeText(n), detail: `${c.name} is now not null` };
  if (lineageKey(c.upstream, renames) !== lineageKey(n.upstream)) {
    const from = lineageKey(c.upstream, renames) || '(no column)';
    const to = lineageKey(n.upstream) || '(no column)';
    return { kind: 'column_lineage_changed', column: c.name, from, to, detail: `${c.name} now derives from ${to} (was ${from})` };
  }
  return undefined;
}

/** Removed -> added pairs with the same, non-empty upstream lineage, where the match is unique both ways. */
function findRenames(removed: ModelColumn[], added: ModelColumn[], renames: RenameMap): Map<string, string> {
  const out = new Map<string, string>();
  const addedKeys = added.map((a) => [a, lineageKey(a.upstream)] as const);
  for (const r of removed) {
    const key = lineageKey(r.upstream, renames);
    if (!key) continue;
    const hits = addedKeys.filter(([, k]) => k === key);
    const rivals = removed.filter((o) => lineageKey(o.upstream, renames) === key);
    if (hits.length === 1 && rivals.length === 1) out.set(r.name, hits[0]![0].name);
  }
  return out;
}
