/**
 * Work-arounds for pyspark 3.5.6 + Delta 3.3.2, each behind the operation it serves and built from
 * the operation's fields (never by taking SQL apart). They run only after Spark raised exactly the
 * error they are for, so a fixed engine never takes these paths.
 */
import { deltaTableClauses, mergeStatement, quoteIdent, relationSql, withQuery, type Locate, type Statement } from '../../../compiler/emit/spark-dialect.js';
import type { OperationOf, Relation } from '../../../compiler/plan/operations.js';
import type { SparkSession } from './client.js';
import { SparkSqlError } from './errors.js';

export type RunStatement = (statement: Statement) => Promise<void>;

/** What a work-around needs of the session that hit the bug. */
export interface WorkaroundContext {
  session: SparkSession;
  /** Runs a statement that holds the user's query (its errors point into the user's file). */
  run: RunStatement;
  locate: Locate;
  /** Whether the metastore has the table (the run's catalog cache answers). */
  hasTable(r: Relation): Promise<boolean>;
}

/**
 * CREATE OR REPLACE TABLE ... AS fails with "does not support truncate in batch mode" (Spark 3.5.6
 * made V2Writes require SupportsTruncate, Delta 3.3.2 lacks it: delta-io/delta#4671, fixed upstream
 * by delta-io/delta#4919).
 */
export const isRtasTruncateBug = (e: unknown) => e instanceof SparkSqlError && /does not support truncate in batch mode/i.test(e.message);

/** MERGE INTO t USING (<query joining t>) fails analysis with "Table does not support reads". */
export const isMergeSelfReadBug = (e: unknown) => e instanceof SparkSqlError && /Table does not support reads/i.test(e.message);

/**
 * Columns (`name type`) and partition columns from the rows DESCRIBE returns: the partition
 * section follows a `# Partition Information` row and its `# col_name` header.
 */
async function describe(session: SparkSession, statement: string): Promise<{ columns: string[]; partitions: string[] }> {
  const { rows } = await session.query(statement);
  const columns: string[] = [];
  const partitions: string[] = [];
  let section: 'columns' | 'partitions' | 'other' = 'columns';
  for (const r of rows) {
    const name = String(r.col_name ?? '');
    if (name === '# Partition Information') section = 'partitions';
    else if (!name || name.startsWith('#')) {
      if (section === 'columns') section = 'other';
    } else if (section === 'columns') columns.push(`${name.toLowerCase()} ${String(r.data_type).toLowerCase()}`);
    else if (section === 'partitions') partitions.push(name.toLowerCase());
  }
  return { columns, partitions };
}

const stagingOf = (r: Relation, suffix: string): Relation => ({ database: r.database, table: `${r.table}${suffix}` });

/**
 * Replaces a table's contents as CREATE OR REPLACE TABLE ... AS would:
 * - table absent: CREATE TABLE ... AS, atomic;
 * - same columns and partitioning: INSERT OVERWRITE TABLE, one atomic Delta commit;
 * - otherwise the query is first written to a staging table (a failing query leaves the target
 *   untouched), the target replaced empty with the new definition and filled from staging: two
 *   commits, the only non-atomic case.
 */
export async function replaceTableAs(ctx: WorkaroundContext, op: OperationOf<'CreateOrReplaceTableAs'>): Promise<void> {
  const { session, run } = ctx;
  const table = relationSql(op.relation);
  const clauses = deltaTableClauses(op, ctx.locate).join('\n');
  if (!(await ctx.hasTable(op.relation))) return run(withQuery(`CREATE TABLE ${table}\n${clauses}\nAS\n`, op.query));
  const current = await describe(session, `DESCRIBE TABLE ${table}`);
  const wanted = await describe(session, `DESCRIBE QUERY ${op.query.sql}`);
  const samePartitioning = current.partitions.join(',') === op.partitionBy.map((p) => p.toLowerCase()).join(',');
  if (samePartitioning && current.columns.join(',') === wanted.columns.join(',')) return run(withQuery(`INSERT OVERWRITE TABLE ${table}\n`, op.query));
  const staging = relationSql(stagingOf(op.relation, '__etl_staging'));
  await session.execute(`DROP TABLE IF EXISTS ${staging}`);
  await run(withQuery(`CREATE TABLE ${staging} USING DELTA AS\n`, op.query));
  try {
    const columns = (await session.query(`DESCRIBE TABLE ${staging}`)).rows
      .filter((r) => r.col_name && !String(r.col_name).startsWith('#'))
      .map((r) => `${quoteIdent(String(r.col_name))} ${String(r.data_type)}`);
    await session.execute(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')})\n${clauses}`);
    await session.execute(`INSERT INTO ${table} SELECT * FROM ${staging}`);
  } finally {
    await session.execute(`DROP TABLE IF EXISTS ${staging}`).catch(() => {});
  }
}

/** The MERGE's source written to a staging Delta table first, then merged from there. */
export async function mergeViaStaging(ctx: WorkaroundContext, op: OperationOf<'Merge'>): Promise<void> {
  const { session, run } = ctx;
  const staging = stagingOf(op.relation, '__etl_merge_source');
  await session.execute(`DROP TABLE IF EXISTS ${relationSql(staging)}`);
  await run(withQuery(`CREATE TABLE ${relationSql(staging)} USING DELTA AS\n`, op.query));
  try {
    await run(mergeStatement(op, staging));
  } finally {
    await session.execute(`DROP TABLE IF EXISTS ${relationSql(staging)}`).catch(() => {});
  }
}
