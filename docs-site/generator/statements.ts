/** A model's plan operations as the Spark dialect renders them, for the model page. */
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { renderOperation } from '../../compiler/emit/spark-dialect.js';
import { declaredLocation } from '../../compiler/plan/layer-roots.js';
import type { Operation } from '../../compiler/plan/operations.js';

export interface ModelStatements {
  full: string[];
  incremental?: string[];
  post: string[];
}

export function modelStatements(manifest: Manifest, plan: Plan | undefined, id: string): ModelStatements {
  const node = plan?.nodes[id];
  if (node?.kind !== 'model') return { full: [], post: [] };
  // As the target declares locations: a relative root resolves where the plan runs.
  const locate = declaredLocation(manifest.target.layers);
  const sql = (ops: Operation[]) => ops.flatMap((o) => renderOperation(o, locate)).map((s) => s.sql);
  return { full: sql(node.full), ...(node.incremental ? { incremental: sql(node.incremental) } : {}), post: sql(node.post) };
}
