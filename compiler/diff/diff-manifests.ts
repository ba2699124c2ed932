/**
 * `etl diff`: the project's manifest against a reference one (production's). Which models are new,
 * modified or removed comes from the state comparison (compiler/plan/state-compare.ts: models, not
 * locations, so a reference compiled for another target or environment is comparable), plus models
 * whose descriptions or tests alone changed. Each is categorised and its impact followed through
 * column lineage in both manifests: the reference one for what read removed and renamed columns, the
 * project's for what reads them now.
 */
import type { Manifest, ManifestModel } from '../manifest/types.js';
import { changedModels, removedModels } from '../plan/state-compare.js';
import type { RenameMap } from './column-changes.js';
import { impactIn, LineageIndex, type ImpactParts } from './impact.js';
import { metadataChanges, modifiedModelChanges, type ModelChanges } from './model-changes.js';
import type { DiffReport, Impact, ModelDiff } from './report-schema.js';

export function diffManifests(reference: Manifest, current: Manifest): DiffReport {
  const status = new Map<string, ModelDiff['status']>(changedModels(reference, current));
  for (const m of Object.values(current.models)) {
    const old = reference.models[m.id];
    if (old && !status.has(m.id) && metadataChanges(reference, current, old, m).length) status.set(m.id, 'modified');
  }
  for (const id of removedModels(reference, current)) status.set(id, 'removed');

  const renames: RenameMap = new Map();
  /** `model.column` of parents whose columns were removed, renamed or retyped (reference names). */
  const broken = new Set<string>();
  const refIndex = new LineageIndex(reference);
  const curIndex = new LineageIndex(current);
  const models: ModelDiff[] = [];
  for (const id of parentsFirst([...status.keys()], reference, current)) {
    const state = status.get(id)!;
    const changes = changesOf(state, reference.models[id], current.models[id], reference, current, renames, broken);
    if (changes.renamed.size) renames.set(id, changes.renamed);
    for (const c of changes.forcing) broken.add(`${id}.${c}`);
    const impact = mergeImpact(id, impactIn(refIndex, id, changes.referenceSeeds), impactIn(curIndex, id, changes.currentSeeds));
    const name = (current.models[id] ?? reference.models[id])!.name;
    models.push({ id, name, status: state, category: changes.category, changes: changes.changes, changedColumns: [...new Set([...changes.referenceSeeds, ...changes.currentSeeds])].sort(), impact });
  }
  models.sort((a, b) => a.id.localeCompare(b.id));
  const side = (m: Manifest) => ({ project: m.project.name, target: m.target.name, environment: (m as { environment?: string | null }).environment ?? null });
  return {
    reference: side(reference),
    current: side(current),
    models,
    summary: {
      breaking: models.filter((m) => m.category === 'breaking').length,
      nonBreaking: models.filter((m) => m.category === 'non-breaking').length,
      impactedColumns: new Set(models.flatMap((m) => m.impact.columns.map((c) => `${c.model}.${c.column}`))).size,
      impactedExposures: new Set(models.flatMap((m) => m.impact.exposures)).size,
    },
  };
}

function changesOf(state: ModelDiff['status'], before: ManifestModel | undefined, after: ManifestModel | undefined, reference: Manifest, current: Manifest, renames: RenameMap, broken: Set<string>): ModelChanges {
  if (state === 'new') return { changes: [{ kind: 'model_added', detail: `new model (${after!.columns.length} columns)` }], category: 'non-breaking', renamed: new Map(), referenceSeeds: [], currentSeeds: [], forcing: [] };
  if (state === 'removed') {
    const seeds = before!.columns.map((c) => c.name);
    return { changes: [{ kind: 'model_removed', detail: 'model removed' }], category: 'breaking', renamed: new Map(), referenceSeeds: seeds, currentSeeds: [], forcing: seeds };
  }
  return modifiedModelChanges(reference, current, before!, after!, renames, broken);
}

/** Union of the impact found in both manifests, without the changed model itself. */
function mergeImpact(model: string, before: ImpactParts, after: ImpactParts): Impact {
  const columns = new Map<string, { model: string; column: string }>();
  for (const [m, c] of [...before.columns, ...after.columns]) if (m !== model) columns.set(`${m}\u0000${c}`, { model: m, column: c });
  const sorted = [...columns.values()].sort((a, b) => a.model.localeCompare(b.model) || a.column.localeCompare(b.column));
  return {
    models: [...new Set(sorted.map((c) => c.model))],
    columns: sorted,
    tests: [...new Set([...before.tests, ...after.tests])].sort(),
    exposures: [...new Set([...before.exposures, ...after.exposures])].sort(),
  };
}

/** Changed model ids with every changed parent first, so a child sees its parents' renames. */
function parentsFirst(ids: string[], reference: Manifest, current: Manifest): string[] {
  const wanted = new Set(ids);
  const out: string[] = [];
  const done = new Set<string>();
  const visit = (id: string, path: Set<string>) => {
    if (done.has(id) || path.has(id)) return;
    path.add(id);
    const m = current.models[id] ?? reference.models[id];
    for (const p of m?.dependsOn.models ?? []) if (wanted.has(p)) visit(p, path);
    done.add(id);
    out.push(id);
  };
  for (const id of [...ids].sort()) visit(id, new Set());
  return out;
}
