/**
 * Work-around for MERGE INTO t USING (<query that joins t>) on pyspark 3.5.6 + Delta 3.3.2: analysis
 * fails with "Table does not support reads: spark_catalog.<t>" when the source reads the target
 * through a join (a scalar subquery on t works). The source is first written to a staging Delta
 * table, then merged from there: same result, and the source is fixed before the target changes.
 * Runs only after Spark raised exactly that error for a MERGE.
 */
import type { SparkSession } from './client.js';
import { SparkSqlError } from './errors.js';

const MERGE = /^\s*MERGE\s+INTO\s+([\w.`]+)(\s+(?:AS\s+)?\w+)?\s+USING\s*\(([\s\S]*)\)\s*(?:AS\s+)?(\w+)\s+(ON\b[\s\S]*)$/i;

export function isMergeSelfReadBug(error: unknown, sql: string): boolean {
  return error instanceof SparkSqlError && /Table does not support reads/i.test(error.message) && MERGE.test(sql);
}

export function parseMerge(sql: string): { target: string; targetAlias: string; source: string; sourceAlias: string; rest: string } | undefined {
  const m = MERGE.exec(sql.trim().replace(/;\s*$/, ''));
  if (!m) return undefined;
  return { target: m[1]!, targetAlias: (m[2] ?? '').trim(), source: m[3]!.trim(), sourceAlias: m[4]!, rest: m[5]! };
}

export async function mergeViaStaging(session: SparkSession, sql: string): Promise<void> {
  const merge = parseMerge(sql);
  if (!merge) throw new Error(`not a MERGE INTO ... USING (query) statement: ${sql.slice(0, 80)}`);
  const staging = `${merge.target.replace(/`/g, '')}__etl_merge_source`;
  await session.execute(`DROP TABLE IF EXISTS ${staging}`);
  await session.execute(`CREATE TABLE ${staging} USING DELTA AS ${merge.source}`);
  try {
    await session.execute(`MERGE INTO ${merge.target} ${merge.targetAlias} USING ${staging} AS ${merge.sourceAlias} ${merge.rest}`);
  } finally {
    await session.execute(`DROP TABLE IF EXISTS ${staging}`).catch(() => {});
  }
}
