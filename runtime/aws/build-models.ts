/**
 * What a build runs on the cluster, one step each, and what each step waits for:
 * - a source step for every bronze source the selected models read that has tests (freshness,
 *   not_null...), run before the models as the local build does;
 * - a model step for every selected model except ephemeral ones (their SQL is inlined into their
 *   children, so a child of an ephemeral model waits for that model's own parents instead).
 */
import type { Manifest, ManifestModel, Plan } from '../../compiler/manifest/types.js';
import { AwsTargetError } from './errors.js';

export interface BuildNode {
  /** Model or source id. */
  id: string;
  kind: 'model' | 'source';
  /** Model name, or `<source>_<table>`. */
  name: string;
  /** Table or view the node is about (`silver.x`, `bronze.y`); null for none. */
  relation: string | null;
  model?: ManifestModel;
  /** Node ids of this build whose success this node needs. */
  requires: string[];
  /** Tests run right after the node (plan.testsByModel). */
  testIds: string[];
}

export function buildNodes(manifest: Manifest, plan: Plan, only?: string[]): BuildNode[] {
  const ordered = plan.stages.flatMap((s) => s.models);
  for (const id of ordered) {
    if (!manifest.models[id]) {
      throw new AwsTargetError('EMR_PLAN_MISMATCH', `plan.json names ${id}, which manifest.json does not have`, 'run etl compile again so both files come from one compile');
    }
  }
  const wanted = only ? new Set(only) : undefined;
  const selected = ordered.filter((id) => manifest.models[id]!.materialized !== 'ephemeral' && (!wanted || wanted.has(id)));
  const inBuild = new Set(selected);

  const memo = new Map<string, { models: string[]; sources: string[] }>();
  // Nearest non-ephemeral parents and the sources read, looking through ephemeral models.
  const parentsOf = (id: string, trail: string[] = []): { models: string[]; sources: string[] } => {
    const cached = memo.get(id);
    if (cached) return cached;
    if (trail.includes(id)) throw new AwsTargetError('EMR_CYCLE', `models form a cycle: ${[...trail, id].join(' -> ')}`);
    const model = manifest.models[id]!;
    const models = new Set<string>();
    const sources = new Set(model.dependsOn.sources);
    for (const parent of model.dependsOn.models) {
      const p = manifest.models[parent];
      if (!p) continue;
      if (p.materialized !== 'ephemeral') {
        models.add(parent);
        continue;
      }
      const through = parentsOf(parent, [...trail, id]);
      through.models.forEach((m) => models.add(m));
      through.sources.forEach((s) => sources.add(s));
    }
    const out = { models: [...models].sort(), sources: [...sources].sort() };
    memo.set(id, out);
    return out;
  };

  const testsOf = (id: string) => (plan.testsByModel[id] ?? []).filter((t) => manifest.tests[t]);
  const sourceIds = [...new Set(selected.flatMap((id) => parentsOf(id).sources))].filter((s) => manifest.sources[s] && testsOf(s).length).sort();
  const sourceNodes: BuildNode[] = sourceIds.map((id) => {
    const s = manifest.sources[id]!;
    return { id, kind: 'source', name: s.bronze.table, relation: s.bronze.relation, requires: [], testIds: testsOf(id) };
  });
  const withStep = new Set(sourceIds);

  const modelNodes: BuildNode[] = selected.map((id) => {
    const model = manifest.models[id]!;
    const parents = parentsOf(id);
    return {
      id,
      kind: 'model',
      name: model.name,
      relation: model.relation?.fqn ?? null,
      model,
      // Parents outside the selection are read as they are, as in the local build.
      requires: [...parents.sources.filter((s) => withStep.has(s)), ...parents.models.filter((p) => inBuild.has(p))],
      testIds: testsOf(id),
    };
  });
  return [...sourceNodes, ...modelNodes];
}
