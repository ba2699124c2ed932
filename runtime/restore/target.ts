/**
 * The table a restore acts on: a model of the compiled project that has a Delta table of its own.
 * Views, ephemeral models, deferred models and unknown names are refused with the reason and the fix.
 */
import type { Manifest, ManifestModel, ModelNode, Plan } from '../../compiler/manifest/types.js';
import type { Location, Relation } from '../../compiler/plan/operations.js';
import { didYouMean } from '../../compiler/config/suggest.js';
import { RestoreError, findInFile } from './errors.js';

export interface RestoreTarget {
  model: ManifestModel;
  node: ModelNode;
  relation: Relation;
  location: Location;
}

export function restoreTarget(manifest: Manifest, plan: Plan, name: string, projectDir: string): RestoreTarget {
  const model = Object.values(manifest.models).find((m) => m.name === name);
  if (!model) {
    const names = Object.values(manifest.models).map((m) => m.name);
    const isSource = Object.values(manifest.sources).some((s) => s.table === name || s.id.endsWith(`.${name}`));
    throw new RestoreError(
      'RESTORE_UNKNOWN_MODEL',
      `No model named '${name}'.`,
      isSource ? `'${name}' is a source: bronze files are landed by ingestion, not restored; re-run \`etl ingest\` for it.` : didYouMean(name, names) || 'run `etl ls` for the models of the project.',
    );
  }
  if (model.materialized === 'view' || model.materialized === 'ephemeral') {
    // Pointed at the `materialized` config: in the model's file, else its sidecar YAML, else the file's start.
    const inMeta = model.metaFile ? findInFile(projectDir, model.metaFile, 'materialized') : undefined;
    const inFile = findInFile(projectDir, model.file, 'materialized');
    const [file, pos] = inFile || !inMeta ? [model.file, inFile ?? { line: 1, column: 1 }] : [model.metaFile!, inMeta];
    const why = model.materialized === 'view' ? 'a view holds no data of its own: it reads its parents as they are' : 'an ephemeral model has no table: it is inlined into the models that read it';
    throw new RestoreError(
      'RESTORE_NOT_A_TABLE',
      `'${name}' is materialized as ${model.materialized}: ${why}.`,
      `${model.dependsOn.models.length ? `restore the tables it reads (${model.dependsOn.models.map((m) => manifest.models[m]?.name ?? m).join(', ')})` : 'it reads only sources (bronze is re-landed by `etl ingest`)'}; ${model.materialized === 'view' ? `\`etl build --select ${name}\` recreates the view` : 'nothing of its own needs restoring'}.`,
      { projectDir, file, ...pos },
    );
  }
  if (manifest.deferred[model.id]) {
    throw new RestoreError('RESTORE_DEFERRED', `'${name}' is deferred to another deployment (it reads ${manifest.deferred[model.id]}): this compile does not own its table.`, 'run the restore against the deployment that builds it (without --defer).');
  }
  const node = plan.nodes[model.id];
  if (node?.kind !== 'model' || !node.location) {
    throw new RestoreError('RESTORE_NOT_A_TABLE', `'${name}' has no Delta table in the compiled plan.`, 'only table and incremental models can be restored.');
  }
  return { model, node, relation: node.relation, location: node.location };
}
