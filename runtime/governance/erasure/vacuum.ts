/**
 * The VACUUM of an erasure: with no retention, so no earlier Delta version that held the subject stays
 * readable. A table is vacuumed when the erasure changed it, or when its history still has more than
 * one readable data version (an earlier erasure of the subject that stopped before its VACUUM left
 * the rows readable in older versions though the current one has none). A table with nothing removed
 * and a single readable version (nothing written since its last VACUUM with no retention, or one
 * commit in all) has nothing to vacuum.
 *
 * On a local Spark VACUUM lists the table's files in as many tasks as
 * `spark.sql.sources.parallelPartitionDiscovery.parallelism` (10,000 by default): minutes per table
 * of task scheduling on two cores for a table of a few files. The erasure's session lists in a few.
 */
import { relationSql } from '../../../compiler/emit/spark-dialect.js';
import { op, type Relation } from '../../../compiler/plan/operations.js';
import type { SparkThriftSession } from '../../engines/spark/spark-engine.js';

/** Tasks VACUUM lists a table's files in (the session's own setting). */
export const VACUUM_LISTING_TASKS = 8;

export interface HistoryCommit {
  operation: string;
  operationParameters?: unknown;
}

const isVacuum = (c: HistoryCommit) => /^VACUUM/.test(c.operation);

/** DESCRIBE HISTORY hands operationParameters over as a map, or as its JSON text. */
function parameters(c: HistoryCommit): Record<string, unknown> {
  const p = c.operationParameters;
  if (typeof p === 'string') {
    try {
      const parsed: unknown = JSON.parse(p);
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return typeof p === 'object' && p !== null ? (p as Record<string, unknown>) : {};
}

/** A VACUUM START that kept no earlier version (RETAIN 0 HOURS). */
const vacuumedAll = (c: HistoryCommit) => c.operation === 'VACUUM START' && Number(parameters(c).specifiedRetentionMillis) === 0;

/**
 * The data versions (commits other than VACUUM's own) of a history, newest first, that may still be
 * readable: every one back to the last VACUUM with no retention, plus the version it kept.
 */
export function readableDataVersions(history: readonly HistoryCommit[]): number {
  let versions = 0;
  for (const c of history) {
    if (vacuumedAll(c)) return versions + 1;
    if (!isVacuum(c)) versions++;
  }
  return versions;
}

async function historyOf(session: SparkThriftSession, relation: Relation): Promise<HistoryCommit[]> {
  const { rows } = await session.spark.query(`DESCRIBE HISTORY ${relationSql(relation)}`);
  return rows.map((r) => ({ operation: String(r.operation ?? ''), operationParameters: r.operationParameters }));
}

/**
 * VACUUM with no retention when the table needs it (`changed`, or more than one readable data
 * version). Returns how many earlier readable versions that made unreadable, or undefined when there
 * was nothing to vacuum.
 */
export async function vacuumIfNeeded(session: SparkThriftSession, relation: Relation, changed: boolean): Promise<number | undefined> {
  const readable = readableDataVersions(await historyOf(session, relation));
  if (!changed && readable <= 1) return undefined;
  await session.spark.execute(`SET spark.sql.sources.parallelPartitionDiscovery.parallelism = ${VACUUM_LISTING_TASKS}`);
  await session.execute(op({ kind: 'Vacuum', relation, retainHours: 0 }));
  // Every readable version before the latest goes.
  return Math.max(0, readable - 1);
}
