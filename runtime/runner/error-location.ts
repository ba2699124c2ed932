/**
 * Points a Spark error at the user's file through the position map the operation carries: Spark
 * reports a line and position in the statement it ran; the statement knows where the user's query
 * starts in it, and the query where each of its parts came from.
 */
import type { Statement } from '../../compiler/emit/spark-dialect.js';
import { originOf, type QueryOrigin } from '../../compiler/plan/query-map.js';
import type { SparkSqlError } from '../engines/spark/errors.js';

export function locateSparkError(error: SparkSqlError, statement: Statement): QueryOrigin | undefined {
  const { line, position } = error.info;
  const q = statement.query;
  if (!line || !q) return undefined;
  const queryLine = line - q.line + 1;
  if (queryLine < 1) return undefined;
  const column = (position ?? 0) + 1 - (queryLine === 1 ? q.column - 1 : 0);
  return originOf(q.query, queryLine, Math.max(1, column));
}
