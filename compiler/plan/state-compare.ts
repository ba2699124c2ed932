/**
 * Comparing a project's manifest with a reference one (production's, for slim CI, `etl diff` and
 * deferral). It compares models, not where they live: the same project compiled for another target,
 * into a PR environment (`silver__pr_42`), or in another checkout is unmodified. Relation names in the
 * compiled SQL become the logical `ref`/`source` they came from, and locations are taken relative to
 * their layer roots, both from each manifest's own maps (no SQL is parsed).
 */
import type { Manifest, ManifestModel } from '../manifest/types.js';

export type ModelChange = 'new' | 'modified';

/** Relation name (lower case) -> the logical name it was rendered from, for one manifest. */
function logicalRelations(manifest: Manifest): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of Object.values(manifest.models)) if (m.relation) out.set(m.relation.fqn.toLowerCase(), `ref(${m.name})`);
  for (const s of Object.values(manifest.sources)) out.set(s.bronze.relation.toLowerCase(), `source(${s.sourceName}.${s.table})`);
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The compiled SQL with every relation this manifest rendered replaced by its logical name. */
function logicalSql(sql: string, relations: Map<string, string>): string {
  if (relations.size === 0) return sql;
  // Longest first, so `silver.a_b` is not eaten by `silver.a`; identifier boundaries on both sides.
  const names = [...relations.keys()].sort((a, b) => b.length - a.length).map(escapeRe);
  const re = new RegExp(`(?<![\\w.\`])(${names.join('|')})(?![\\w\`])`, 'gi');
  return sql.replace(re, (hit) => relations.get(hit.toLowerCase()) ?? hit);
}

function relativeLocation(manifest: Manifest, model: ManifestModel): string | null {
  if (!model.relation) return null;
  const root = manifest.target.layers[model.layer].root.replace(/\/+$/, '');
  const location = model.relation.location;
  return location.startsWith(`${root}/`) ? location.slice(root.length + 1) : location;
}

/**
 * What a model's build depends on, as compiled: its SQL (so changed vars, macros or upstream ephemeral
 * models count), its table and location in its layer, config and materialization (which decide its
 * operations), and its column types. File checksums alone would miss a changed var; this cannot.
 */
export function modelFingerprint(manifest: Manifest, model: ManifestModel, relations = logicalRelations(manifest), withLocation = true): string {
  const text = JSON.stringify([
    logicalSql(model.compiledSql, relations),
    model.relation ? [model.relation.table, withLocation ? relativeLocation(manifest, model) : null] : null,
    model.config,
    model.materialized,
    model.columns.map((c) => [c.name, c.type, c.nullable]),
  ]);
  // Manifests from before relative locations held the checkout's absolute path.
  const root = manifest.project.root;
  return root ? text.split(JSON.stringify(root).slice(1, -1)).join('<project>') : text;
}

/** Models of `current` that are new or modified against `reference`, by id. */
export function changedModels(reference: Manifest, current: Manifest): Map<string, ModelChange> {
  const before = logicalRelations(reference);
  const now = logicalRelations(current);
  const out = new Map<string, ModelChange>();
  for (const m of Object.values(current.models)) {
    const old = reference.models[m.id];
    if (!old) out.set(m.id, 'new');
    else {
      // A deferred model's relation is the deployment it is read from, and an environment places
      // every model under its own roots whatever `location` says: neither is a change of the model.
      const withLocation = !current.deferred[m.id] && !reference.deferred[m.id] && !current.environment && !reference.environment;
      if (modelFingerprint(reference, old, before, withLocation) !== modelFingerprint(current, m, now, withLocation)) out.set(m.id, 'modified');
    }
  }
  return out;
}

/** Models of `reference` that `current` no longer has. */
export function removedModels(reference: Manifest, current: Manifest): string[] {
  return Object.keys(reference.models).filter((id) => !current.models[id]);
}
