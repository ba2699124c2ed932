/** A Delta table's commits as Spark reports them (DESCRIBE HISTORY), times read in UTC. */
import { relationSql } from '../../compiler/emit/spark-dialect.js';
import type { Relation } from '../../compiler/plan/operations.js';
import type { SparkSession } from '../engines/spark/client.js';
import type { Commit } from './point.js';

/** Spark prints timestamps in the session's zone without one: the session is set to UTC first. */
function epochMs(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const text = String(value).trim().replace(' ', 'T');
  return Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
}

export async function deltaHistory(spark: SparkSession, relation: Relation): Promise<Commit[]> {
  await spark.execute('SET spark.sql.session.timeZone = UTC');
  const { rows } = await spark.query(`DESCRIBE HISTORY ${relationSql(relation)}`);
  return rows.map((r) => ({ version: Number(r.version), at: epochMs(r.timestamp) }));
}
