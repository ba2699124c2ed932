/** Materializes one model: full or incremental statements, then post; counts the rows it wrote. */
import type { ManifestModel } from '../../compiler/manifest/types.js';
import type { SparkSession } from '../engines/spark/client.js';
import { runStatement, tableExists } from '../engines/spark/replace-table.js';

export interface ModelOutcome {
  mode: 'full' | 'incremental' | 'view' | 'ephemeral';
  rows?: number;
}

export class StatementError extends Error {
  constructor(readonly original: unknown, readonly statement: string, readonly phase: 'full' | 'incremental' | 'post') {
    super((original as Error)?.message ?? String(original));
  }
}

export async function materializeModel(session: SparkSession, model: ManifestModel, opts: { fullRefresh: boolean }): Promise<ModelOutcome> {
  if (model.materialized === 'ephemeral' || !model.relation) return { mode: 'ephemeral' };
  const fqn = model.relation.fqn;
  const isTable = model.materialized !== 'view';
  // Views are replaced outright: no need to ask the catalog first.
  const exists = isTable ? await tableExists(session, fqn) : false;
  const incremental = model.materialized === 'incremental' && exists && !opts.fullRefresh && (model.statements.incremental?.length ?? 0) > 0;
  const before = isTable && exists ? await latestVersion(session, fqn) : -1;

  const phase = incremental ? 'incremental' : 'full';
  for (const sql of incremental ? model.statements.incremental! : model.statements.full) {
    try {
      await runStatement(session, sql);
    } catch (e) {
      throw new StatementError(e, sql, phase);
    }
  }
  const rows = isTable ? await rowsWrittenSince(session, fqn, before) : undefined;
  for (const sql of model.statements.post) {
    try {
      await runStatement(session, sql);
    } catch (e) {
      throw new StatementError(e, sql, 'post');
    }
  }
  return { mode: model.materialized === 'view' ? 'view' : phase, ...(rows !== undefined ? { rows } : {}) };
}

async function latestVersion(session: SparkSession, fqn: string): Promise<number> {
  try {
    const { rows } = await session.query(`DESCRIBE HISTORY ${fqn} LIMIT 1`);
    return Number(rows[0]?.version ?? -1);
  } catch {
    return -1; // not a Delta table (yet)
  }
}

/** Sums Delta's own commit metrics over the commits this run made, so no extra scan is needed. */
async function rowsWrittenSince(session: SparkSession, fqn: string, version: number): Promise<number | undefined> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await session.query(`DESCRIBE HISTORY ${fqn} LIMIT 50`)).rows;
  } catch {
    return undefined;
  }
  let total = 0;
  for (const commit of rows) {
    if (Number(commit.version) <= version) continue;
    const m = (commit.operationMetrics ?? {}) as Record<string, string>;
    const op = String(commit.operation ?? '');
    if (op === 'MERGE') total += Number(m.numTargetRowsInserted ?? 0) + Number(m.numTargetRowsUpdated ?? 0);
    else if (op !== 'OPTIMIZE' && op !== 'VACUUM START' && op !== 'VACUUM END') total += Number(m.numOutputRows ?? 0);
  }
  return total;
}
