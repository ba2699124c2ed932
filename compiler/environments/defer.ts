/**
 * Deferral (`--defer --state PROD`), as dbt's defer: the selected models build into the environment,
 * and every other model that production has is read from production instead of being built. Which
 * models are selected depends on the compiled project (`state:modified+` compares compiled models),
 * so the project is compiled once to select, then again with the deferred models' relations set:
 * their refs render production's tables, and the plan has no node for them. The second compile reuses
 * the analysis cache for every model whose SQL did not change.
 */
import type { CompileOptions, CompileResult, DeferredRelation } from '../compile-types.js';
import { compileProject } from '../compile.js';
import type { Manifest } from '../manifest/types.js';
import { selectModels } from '../plan/select.js';

export interface DeferOptions {
  /** Production's manifest: where unselected models are read from. */
  reference: Manifest;
  select?: string[] | undefined;
  exclude?: string[] | undefined;
}

/** Unselected models that the reference deployment has as tables or views: id -> their relation there. */
export function deferredRelations(current: Manifest, reference: Manifest, selected: Iterable<string>): Record<string, DeferredRelation> {
  const chosen = new Set(selected);
  const out: Record<string, DeferredRelation> = {};
  for (const m of Object.values(current.models)) {
    const there = reference.models[m.id];
    if (chosen.has(m.id) || m.materialized === 'ephemeral' || !there?.relation || there.materialized === 'ephemeral') continue;
    out[m.id] = { ...there.relation };
  }
  return out;
}

/** Compiles with the unselected models deferred to the reference deployment. */
export async function compileDeferred(options: CompileOptions, defer: DeferOptions): Promise<CompileResult> {
  const first = await compileProject(options);
  if (!first.ok) return first;
  const selected = selectModels(first.manifest, { ...(defer.select ? { select: defer.select } : {}), ...(defer.exclude ? { exclude: defer.exclude } : {}), state: defer.reference });
  const relations = deferredRelations(first.manifest, defer.reference, selected);
  if (Object.keys(relations).length === 0) return first;
  return compileProject({ ...options, defer: relations });
}
