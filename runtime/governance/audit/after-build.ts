/**
 * SOX audit trail: after each build of a model tagged `sox`, the runner appends one record (who,
 * when, the plan's checksum, the mode and the rows the build changed per the Delta commit metrics)
 * to `<the model's database>._audit_builds`.
 *
 * Why a Delta table rather than a JSON-lines file per table: it is kept next to the data (under the
 * layer root, in the same catalog, so the same grants and the same replica cover it), it is written
 * by the same engine session on every target (a JSONL append on S3 is a read-modify-write, with no
 * atomicity), and `delta.appendOnly = true` makes Delta itself refuse UPDATE and DELETE on it, so
 * the trail is append-only by the storage, not by convention. Retention never touches it.
 */
import { createHash } from 'node:crypto';
import { userInfo } from 'node:os';
import { isSox } from '../../../compiler/governance/audit-checks.js';
import type { Manifest, ModelNode, Plan } from '../../../compiler/manifest/types.js';
import { op, type ColumnType, type Operation } from '../../../compiler/plan/operations.js';
import type { EngineSession } from '../../engines/engine.js';

export const AUDIT_TABLE = '_audit_builds';

export const AUDIT_COLUMNS: ColumnType[] = [
  { name: 'model_id', type: 'string' },
  { name: 'relation', type: 'string' },
  { name: 'built_at', type: 'timestamp' },
  { name: 'built_by', type: 'string' },
  { name: 'aws_principal', type: 'string' },
  { name: 'plan_checksum', type: 'string' },
  { name: 'mode', type: 'string' },
  { name: 'rows_changed', type: 'bigint' },
];

const checksums = new WeakMap<Plan, string>();

/** sha256 of the plan as compiled (plan.json's content): which program the build ran. */
export function planChecksum(plan: Plan): string {
  let sum = checksums.get(plan);
  if (!sum) checksums.set(plan, (sum = createHash('sha256').update(JSON.stringify(plan)).digest('hex')));
  return sum;
}

/** The OS user; on AWS the principal the run's credentials name (set by the scheduled task or EMR step), when known. */
function who(): { builtBy: string; awsPrincipal: string | null } {
  let builtBy = process.env.USER ?? 'unknown';
  try {
    builtBy = userInfo().username;
  } catch {
    // no passwd entry (some containers): $USER
  }
  return { builtBy, awsPrincipal: process.env.ETL_AWS_PRINCIPAL ?? process.env.AWS_ROLE_ARN ?? null };
}

export function auditRecord(node: ModelNode, plan: Plan, outcome: { mode: string; rows?: number }, at = new Date()): Operation {
  const { builtBy, awsPrincipal } = who();
  const layer = node.location?.layer ?? 'silver';
  return op({
    kind: 'AppendAuditRecord',
    relation: { database: node.relation.database, table: AUDIT_TABLE },
    location: { layer, path: AUDIT_TABLE },
    columns: AUDIT_COLUMNS,
    row: {
      model_id: node.id,
      relation: `${node.relation.database}.${node.relation.table}`,
      built_at: at.toISOString(),
      built_by: builtBy,
      aws_principal: awsPrincipal,
      plan_checksum: planChecksum(plan),
      mode: outcome.mode,
      rows_changed: outcome.rows ?? null,
    },
  });
}

/** The runner's after-build hook: a sox model's build is not done until its audit record is written. */
export async function auditAfterBuild(session: EngineSession, node: ModelNode, outcome: { mode: string; rows?: number }, run: { manifest: Manifest; plan: Plan }): Promise<void> {
  const model = run.manifest.models[node.id];
  if (!model || !isSox(model.tags) || node.materialized === 'view') return;
  await session.execute(auditRecord(node, run.plan, outcome));
}
