/**
 * Materializes one model node as the plan says: its incremental operations when the table exists
 * and the run is not a full refresh, else its full ones; then its post operations. The one place
 * that decides; every engine runs it the same way.
 */
import type { ModelNode } from '../../compiler/manifest/types.js';
import type { ColumnType, Operation } from '../../compiler/plan/operations.js';
import { resolveSchemaChange } from './schema-change.js';
import type { EngineSession } from '../engines/engine.js';

export interface ModelOutcome {
  mode: 'full' | 'incremental' | 'view';
  rows?: number;
  /** The table's columns after an incremental build that resolved a schema change. */
  columns?: ColumnType[];
}

/** An operation failed; `phase` says whether the table had already been written (post). */
export class OperationFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly operation: Operation,
    readonly phase: 'full' | 'incremental' | 'post',
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

export async function materializeModel(session: EngineSession, node: ModelNode, opts: { fullRefresh: boolean }): Promise<ModelOutcome> {
  const before = await session.tableState(node.relation, node.location);
  const phase = node.incremental && before.exists && !opts.fullRefresh ? 'incremental' : 'full';
  const run = async (ops: Operation[], as: OperationFailed['phase']) => {
    for (const op of ops) {
      try {
        await session.execute(op);
      } catch (e) {
        throw new OperationFailed(e, op, as);
      }
    }
  };
  // on_schema_change: resolved against the table's columns before anything runs (runtime/runner/schema-change.ts).
  const resolved = phase === 'incremental' ? await resolveSchemaChange(session, node.incremental!) : { operations: node.full };
  await run(resolved.operations, phase);
  const rows = node.materialized === 'view' ? undefined : await session.rowsWritten(node.relation, before, node.location);
  await run(node.post, 'post');
  return { mode: node.materialized === 'view' ? 'view' : phase, ...(rows !== undefined ? { rows } : {}), ...('columns' in resolved && resolved.columns ? { columns: resolved.columns } : {}) };
}
