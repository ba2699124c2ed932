/** Materializes one model: full or incremental statements, then post; counts the rows it wrote. */
import type { ManifestModel } from '../../compiler/manifest/types.js';
import type { SparkSession } from '../engines/spark/client.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SparkSqlError } from '../engines/spark/errors.js';
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
  let exists = isTable ? await tableExists(session, fqn) : false;
  let before = -1;
  if (exists) {
    try {
      before = await latestVersion(session, fqn);
    } catch (e) {
      if (!(e instanceof SparkSqlError && deltaLogGone(model.relation.location))) throw e;
      // The metastore remembers a table whose files were deleted (e.g. data/ was wiped): forget it and rebuild.
      await dropStaleEntry(session, fqn, model.relation.location);
      exists = false;
    }
  }
  const incremental = model.materialized === 'incremental' && exists && !opts.fullRefresh && (model.statements.incremental?.length ?? 0) > 0;

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

/** True when the table's location is local and holds no Delta log (its files were deleted). */
function deltaLogGone(location: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location) && !location.startsWith('file:')) return false;
  return !existsSync(join(location.replace(/^file:(\/\/)?/, ''), '_delta_log'));
}

async function latestVersion(session: SparkSession, fqn: string): Promise<number> {
  const { rows } = await session.query(`DESCRIBE HISTORY ${fqn} LIMIT 1`);
  return Number(rows[0]?.version ?? -1);
}

async function dropStaleEntry(session: SparkSession, fqn: string, location: string): Promise<void> {
  try {
    await session.execute(`DROP TABLE IF EXISTS ${fqn}`);
  } catch (e) {
    throw new Error(
      `${fqn} is registered in the Spark metastore but its files at ${location} are gone, and the entry could not be dropped (${(e as Error).message}). Reset the local catalog: \`etl spark stop\`, then delete .etl/spark/metastore_db.`,
    );
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
