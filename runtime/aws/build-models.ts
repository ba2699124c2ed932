/**
 * Which models a build runs and which upstream models each one waits for on the cluster.
 * Ephemeral models have no step (their SQL is inlined into their children), so a child of an
 * ephemeral model waits for that model's own parents instead.
 */
import type { Manifest, ManifestModel, Plan } from '../../compiler/manifest/types.js';
import { AwsTargetError } from './errors.js';

export interface BuildModel {
  model: ManifestModel;
  /** Model ids of this build whose success this model needs. */
  requires: string[];
  /** Tests run right after the model (plan.testsByModel). */
  testIds: string[];
}

export function buildModels(manifest: Manifest, plan: Plan, only?: string[]): BuildModel[] {
  const ordered = plan.stages.flatMap((s) => s.models);
  for (const id of ordered) {
    if (!manifest.models[id]) {
      throw new AwsTargetError('EMR_PLAN_MISMATCH', `plan.json names ${id}, which manifest.json does not have`, 'run etl compile again so both files come from one compile');
    }
  }
  const wanted = only ? new Set(only) : undefined;
  const selected = ordered.filter((id) => manifest.models[id]!.materialized !== 'ephemeral' && (!wanted || wanted.has(id)));
  const inBuild = new Set(selected);

  const memo = new Map<string, string[]>();
  // Nearest non-ephemeral ancestors, looking through ephemeral models.
  const materializedParents = (id: string, trail: string[] = []): string[] => {
    const cached = memo.get(id);
    if (cached) return cached;
    if (trail.includes(id)) throw new AwsTargetError('EMR_CYCLE', `models form a cycle: ${[...trail, id].join(' -> ')}`);
    const out = new Set<string>();
    for (const parent of manifest.models[id]?.dependsOn.models ?? []) {
      const p = manifest.models[parent];
      if (!p) continue;
      if (p.materialized === 'ephemeral') for (const pp of materializedParents(parent, [...trail, id])) out.add(pp);
      else out.add(parent);
    }
    const list = [...out].sort();
    memo.set(id, list);
    return list;
  };

  return selected.map((id) => ({
    model: manifest.models[id]!,
    // Parents outside the selection are read as they are, as in the local build.
    requires: materializedParents(id).filter((p) => inBuild.has(p)),
    testIds: plan.testsByModel[id] ?? [],
  }));
}
