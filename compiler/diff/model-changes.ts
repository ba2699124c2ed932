/**
 * Everything that changed in one model between the reference manifest and the project's: its
 * columns (column-changes.ts), which rows it has (filter, join and GROUP BY columns from
 * `rowDependencies`, `unique_key`, `partition_by`), materialization and config, descriptions and
 * tests, and an SQL change nothing else explains. Its category and the columns whose change reaches
 * readers follow from those.
 */
import type { Manifest, ManifestModel, RowDependency } from '../manifest/types.js';
import { modelFingerprint } from '../plan/state-compare.js';
import { columnDelta, translated, type RenameMap } from './column-changes.js';
import { BREAKING_KINDS, type ChangeCategory, type ColumnChange } from './report-schema.js';

export interface ModelChanges {
  changes: ColumnChange[];
  category: ChangeCategory;
  renamed: Map<string, string>;
  /** Columns to follow downstream in the reference manifest (reference names). */
  referenceSeeds: string[];
  /** Columns to follow downstream in the project's manifest (current names). */
  currentSeeds: string[];
  /** Removed, renamed and retyped columns: a child's SQL edited for them follows upstream. */
  forcing: string[];
}

const ROW_ROLES = [
  ['filter', 'filter_changed'],
  ['join', 'join_changed'],
  ['group', 'grain_changed'],
] as const;
const GRAIN_CONFIG = ['unique_key', 'partition_by'] as const;

/** Per-model changes of a model both manifests have. `broken`: `model.column` of parents removed, renamed or retyped. */
export function modifiedModelChanges(reference: Manifest, current: Manifest, before: ManifestModel, after: ManifestModel, renames: RenameMap, broken: Set<string>): ModelChanges {
  const delta = columnDelta(before, after, renames);
  const changes = [...delta.changes, ...rowChanges(before, after, renames), ...configChanges(before, after), ...metadataChanges(reference, current, before, after)];
  const explained = changes.some((c) => !['description_changed', 'tests_changed'].includes(c.kind));
  if (!explained && sqlChanged(reference, current, before, after)) {
    const follows = readsAny(before, broken);
    changes.push(
      follows
        ? { kind: 'follows_upstream', detail: `SQL changed to follow ${follows}` }
        : { kind: 'logic_changed', detail: 'SQL changed with the same columns, lineage, filters and grain: every column may hold other values' },
    );
  }
  const everyRow = changes.some((c) => ['filter_changed', 'join_changed', 'grain_changed', 'logic_changed'].includes(c.kind));
  return {
    changes,
    category: changes.some((c) => BREAKING_KINDS.has(c.kind)) ? 'breaking' : 'non-breaking',
    renamed: delta.renamed,
    referenceSeeds: everyRow ? before.columns.map((c) => c.name) : delta.referenceSeeds,
    currentSeeds: everyRow ? after.columns.map((c) => c.name) : delta.currentSeeds,
    forcing: delta.forcing,
  };
}

function rowKeys(model: ManifestModel, role: RowDependency['role'], renames?: RenameMap): string[] {
  const refs = model.rowDependencies.filter((r) => r.role === role).map((r) => (renames ? translated(r, renames) : r));
  return [...new Set(refs.map((r) => `${r.node}.${r.column}`))].sort();
}

function rowChanges(before: ManifestModel, after: ManifestModel, renames: RenameMap): ColumnChange[] {
  const out: ColumnChange[] = [];
  for (const [role, kind] of ROW_ROLES) {
    const was = rowKeys(before, role, renames).join(', ');
    const is = rowKeys(after, role).join(', ');
    if (was !== is) out.push({ kind, from: was || '(none)', to: is || '(none)', detail: `${role} columns: ${was || '(none)'} -> ${is || '(none)'}` });
  }
  for (const key of GRAIN_CONFIG) {
    const was = (before.config[key] ?? []).join(', ');
    const is = (after.config[key] ?? []).join(', ');
    if (was !== is) out.push({ kind: 'grain_changed', from: was || '(none)', to: is || '(none)', detail: `${key}: ${was || '(none)'} -> ${is || '(none)'}` });
  }
  return out;
}

function configChanges(before: ManifestModel, after: ManifestModel): ColumnChange[] {
  const out: ColumnChange[] = [];
  if (before.materialized !== after.materialized) out.push({ kind: 'materialization_changed', from: before.materialized, to: after.materialized, detail: `materialized: ${before.materialized} -> ${after.materialized}` });
  const rest = (m: ManifestModel) => JSON.stringify(Object.entries(m.config).filter(([k]) => !(GRAIN_CONFIG as readonly string[]).includes(k)).sort(([a], [b]) => a.localeCompare(b)));
  if (rest(before) !== rest(after)) out.push({ kind: 'config_changed', detail: 'config changed (incremental strategy, z-order, table properties or merge columns)' });
  if (before.relation?.table !== after.relation?.table) out.push({ kind: 'config_changed', from: before.relation?.table ?? '(ephemeral)', to: after.relation?.table ?? '(ephemeral)', detail: `table: ${before.relation?.table ?? '(ephemeral)'} -> ${after.relation?.table ?? '(ephemeral)'}` });
  return out;
}

/** Description and data tests: what `modelFingerprint` leaves out because they do not change the build. */
export function metadataChanges(reference: Manifest, current: Manifest, before: ManifestModel, after: ManifestModel): ColumnChange[] {
  const out: ColumnChange[] = [];
  if ((before.description ?? '') !== (after.description ?? '')) out.push({ kind: 'description_changed', detail: 'model description changed' });
  const was = testSignatures(reference, before.id);
  const is = testSignatures(current, after.id);
  const added = [...is.keys()].filter((id) => !was.has(id));
  const removed = [...was.keys()].filter((id) => !is.has(id));
  const edited = [...is.keys()].filter((id) => was.has(id) && was.get(id) !== is.get(id));
  if (added.length || removed.length || edited.length) {
    const parts = [added.length ? `${added.length} added` : '', removed.length ? `${removed.length} removed` : '', edited.length ? `${edited.length} changed` : ''].filter(Boolean);
    out.push({ kind: 'tests_changed', detail: `tests: ${parts.join(', ')}` });
  }
  return out;
}

/** Data tests attached to a model, by id, as what they check (not their SQL, which names relations). */
function testSignatures(manifest: Manifest, modelId: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of Object.values(manifest.tests)) {
    if (t.attachedTo.node !== modelId) continue;
    out.set(t.id, JSON.stringify([t.kind, t.test ?? null, t.attachedTo.column ?? null, t.args, t.severity, t.warnIf, t.errorIf, t.kind === 'singular' ? t.sql : null]));
  }
  return out;
}

/** Whether the SQL itself (relations read as their logical names, locations relative) changed. */
function sqlChanged(reference: Manifest, current: Manifest, before: ManifestModel, after: ManifestModel): boolean {
  const sqlOnly = (m: ManifestModel): ManifestModel => {
    const { relation: _relation, ...rest } = m;
    return { ...rest, config: {}, materialized: 'table', columns: [] };
  };
  return modelFingerprint(reference, sqlOnly(before)) !== modelFingerprint(current, sqlOnly(after));
}

/** The first parent column in `broken` the model read in the reference, as `model.column`. */
function readsAny(model: ManifestModel, broken: Set<string>): string | undefined {
  const refs = [...model.columns.flatMap((c) => c.upstream), ...model.rowDependencies];
  const hit = refs.find((r) => broken.has(`${r.node}.${r.column}`));
  return hit ? `a change of ${hit.node.replace(/^model\./, '')}.${hit.column}` : undefined;
}
