/** A model's plan operations as the Spark dialect renders them, for the model page. */
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { renderOperation } from '../../compiler/emit/spark-dialect.js';
import type { Location, Operation } from '../../compiler/plan/operations.js';

export interface ModelStatements {
  full: string[];
  incremental?: string[];
  post: string[];
}

export function modelStatements(manifest: Manifest, plan: Plan | undefined, id: string): ModelStatements {
  const node = plan?.nodes[id];
  if (node?.kind !== 'model') return { full: [], post: [] };
  // As the target declares locations: a relative root resolves where the plan runs.
  const locate = (l: Location) => (/^([a-z][a-z0-9+.-]*:|\/)/i.test(l.path) ? l.path : `${manifest.target.layers[l.layer].root}/${l.path}`);
  const sql = (ops: Operation[]) => ops.flatMap((o) => renderOperation(o, locate)).map((s) => s.sql);
  return { full: sql(node.full), ...(node.incremental ? { incremental: sql(node.incremental) } : {}), post: sql(node.post) };
}
