/**
 * The Spark 3.5 / Delta 3.3 dialect: the one place that turns plan operations into Spark SQL. The
 * runner renders each operation just before running it; `target/run/` holds the same text for people.
 * CREATE OR REPLACE TABLE ... AS is atomic on Delta: readers see the old table or the new one, never half.
 */
import { snapshotStatements } from './snapshot-sql.js';
import { addColumnsStatements, alterColumnTypeStatements, dropColumnsStatements, insertNamedColumns, mergeNamedClauses } from './schema-change-sql.js';
import type { ColumnMatch, ColumnType, CombinedDataTests, DataTest, Location, MatchValue, Operation, OperationKind, OperationOf, Query, Relation, TestFails } from '../plan/operations.js';

/** A statement, and where the user's query sits inside it (for errors Spark reports by line). */
export interface Statement {
  sql: string;
  query?: { query: Query; line: number; column: number };
  /** Runs even when a statement before it in the operation failed (restores session state). */
  always?: boolean;
}

/** Resolves a location to the path or URI of the target the plan runs on. */
export type Locate = (location: Location) => string;

export const quoteIdent = (id: string) => `\`${id.replace(/`/g, '``')}\``;
export const relationSql = (r: Relation) => `${quoteIdent(r.database)}.${quoteIdent(r.table)}`;
/**
 * A Spark string literal. A quote is written `\u0027`, not `\'`: Spark reads both, and the
 * compiler's SQL parser reads only the former as staying inside the string, so what the analyser
 * checks is what Spark runs.
 */
export const stringLiteral = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\u0027')}'`;
const identList = (ids: string[]) => ids.map(quoteIdent).join(', ');

/** `head`, then the query, then `tail`, remembering where the query starts. */
export function withQuery(head: string, query: Query, tail = ''): Statement {
  const lastNewline = head.lastIndexOf('\n');
  const line = head.split('\n').length;
  return { sql: `${head}${query.sql}${tail}`, query: { query, line, column: head.length - lastNewline } };
}

const plain = (sql: string): Statement => ({ sql });

/** The clauses after the table name of a Delta table: format, partitioning, location, properties. */
export function deltaTableClauses(op: OperationOf<'CreateOrReplaceTableAs'>, locate: Locate): string[] {
  const parts = ['USING DELTA'];
  if (op.partitionBy.length) parts.push(`PARTITIONED BY (${identList(op.partitionBy)})`);
  parts.push(`LOCATION ${stringLiteral(locate(op.location))}`);
  const props = Object.entries(op.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (props.length) parts.push(`TBLPROPERTIES (\n${props.map(([k, v]) => `  ${stringLiteral(k)} = ${stringLiteral(v)}`).join(',\n')}\n)`);
  return parts;
}

/** MERGE from the operation's query, or from a table holding its rows (an engine work-around). */
export function mergeStatement(op: OperationOf<'Merge'>, from?: Relation): Statement {
  const on = op.uniqueKey.map((k) => `target.${quoteIdent(k)} = source.${quoteIdent(k)}`).join('\n  AND ');
  const update = op.updateColumns?.length ? `UPDATE SET ${op.updateColumns.map((c) => `target.${quoteIdent(c)} = source.${quoteIdent(c)}`).join(', ')}` : 'UPDATE SET *';
  const clauses = op.columns ? mergeNamedClauses(op, op.columns) : `WHEN MATCHED THEN ${update}\nWHEN NOT MATCHED THEN INSERT *`;
  const tail = `\nON ${on}\n${clauses}`;
  const head = `MERGE INTO ${relationSql(op.relation)} AS target\nUSING `;
  if (from) return plain(`${head}${relationSql(from)} AS source${tail}`);
  return withQuery(`${head}(\n`, op.query, `\n) AS source${tail}`);
}

/** A value an erasure matches, in SQL: a literal, or `sha2(concat(parts...), bits)`. */
export function matchValueSql(value: MatchValue): string {
  if (value.kind === 'literal') return stringLiteral(value.value);
  const parts = value.parts.map(stringLiteral);
  return `sha2(${parts.length === 1 ? parts[0] : `concat(${parts.join(', ')})`}, ${value.bits})`;
}

/** Rows where any match holds: `CAST(col AS STRING) IN (...) OR ...`. */
export function matchConditionSql(where: readonly ColumnMatch[]): string {
  return where.map((m) => `CAST(${quoteIdent(m.column)} AS STRING) IN (${m.in.map(matchValueSql).join(', ')})`).join('\n   OR ');
}

/** Rows a retention delete removes: the date column before the cutoff (NULL dates are kept). */
export const expiredCondition = (op: OperationOf<'DeleteOlderThan'>) => `${quoteIdent(op.column)} < DATE ${stringLiteral(op.before)}`;

/** A seed load is a CREATE OR REPLACE TABLE ... AS over its typed rows (engines reuse its work-arounds). */
export function seedTableAs(op: OperationOf<'LoadSeed'>): OperationOf<'CreateOrReplaceTableAs'> {
  return { kind: 'CreateOrReplaceTableAs', relation: op.relation, location: op.location, partitionBy: [], properties: {}, query: { sql: typedRowsSql(op.columns, op.rows), files: [], segments: [] } };
}

type Renderers = { [K in OperationKind]: (op: OperationOf<K>, locate: Locate) => Statement[] };

const render: Renderers = {
  CreateDatabase: (op) => [plain(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(op.database)}`)],
  CreateOrReplaceTableAs: (op, locate) => [withQuery(`CREATE OR REPLACE TABLE ${relationSql(op.relation)}\n${deltaTableClauses(op, locate).join('\n')}\nAS\n`, op.query)],
  CreateOrReplaceView: (op) => [withQuery(`CREATE OR REPLACE VIEW ${relationSql(op.relation)} AS\n`, op.query)],
  InsertOverwrite: (op) => [
    plain('SET spark.sql.sources.partitionOverwriteMode = dynamic'),
    op.columns ? insertNamedColumns('INSERT OVERWRITE TABLE', op, op.columns) : withQuery(`INSERT OVERWRITE TABLE ${relationSql(op.relation)}\n`, op.query),
    // A reused session must not stay in dynamic mode when the insert fails.
    { sql: 'SET spark.sql.sources.partitionOverwriteMode = static', always: true },
  ],
  Append: (op) => [op.columns ? insertNamedColumns('INSERT INTO', op, op.columns) : withQuery(`INSERT INTO ${relationSql(op.relation)}\n`, op.query)],
  Merge: (op) => [mergeStatement(op)],
  SnapshotMerge: (op, locate) => snapshotStatements(op, locate),
  Optimize: (op) => [plain(`OPTIMIZE ${relationSql(op.relation)} ZORDER BY (${identList(op.zorderBy)})`)],
  RegisterBronze: (op, locate) => {
    const columns = [...op.columns, ...op.partitionBy].map((c) => `  ${quoteIdent(c.name)} ${c.type}`).join(',\n');
    const partitioned = op.partitionBy.length ? `\nPARTITIONED BY (${identList(op.partitionBy.map((c) => c.name))})` : '';
    const table = relationSql(op.relation);
    return [
      plain(`CREATE TABLE IF NOT EXISTS ${table} (\n${columns}\n)\nUSING PARQUET${partitioned}\nLOCATION ${stringLiteral(locate(op.location))}`),
      ...(op.partitionBy.length ? [plain(`ALTER TABLE ${table} RECOVER PARTITIONS`)] : []),
    ];
  },
  ReplaceRange: (op) => {
    const range = `${quoteIdent(op.column)} >= DATE ${stringLiteral(op.start)} AND ${quoteIdent(op.column)} < DATE ${stringLiteral(op.end)}`;
    return [withQuery(`INSERT INTO ${relationSql(op.relation)}\nREPLACE WHERE ${range}\nSELECT * FROM (\n`, op.query, `\n) AS etl_batch\nWHERE ${range}`)];
  },
  DeleteWhere: (op) => [plain(`DELETE FROM ${relationSql(op.relation)}\nWHERE ${matchConditionSql(op.where)}`)],
  Vacuum: (op) => {
    const vacuum = plain(`VACUUM ${relationSql(op.relation)} RETAIN ${op.retainHours} HOURS`);
    if (op.retainHours >= 168) return [vacuum];
    // Delta refuses a retention under its 168 h floor unless the check is off for the session.
    return [plain('SET spark.databricks.delta.retentionDurationCheck.enabled = false'), vacuum, { sql: 'SET spark.databricks.delta.retentionDurationCheck.enabled = true', always: true }];
  },
  DeleteOlderThan: (op) => [plain(`DELETE FROM ${relationSql(op.relation)}\nWHERE ${expiredCondition(op)}`)],
  DropPartitions: (op) => [plain(`ALTER TABLE ${relationSql(op.relation)} DROP IF EXISTS\n${op.values.map((v) => `  PARTITION (${quoteIdent(op.column)} = ${stringLiteral(v)})`).join(',\n')}`)],
  AppendAuditRecord: (op, locate) => [
    plain(`CREATE TABLE IF NOT EXISTS ${relationSql(op.relation)} (\n${op.columns.map((c) => `  ${quoteIdent(c.name)} ${c.type}`).join(',\n')}\n)\nUSING DELTA\nLOCATION ${stringLiteral(locate(op.location))}\nTBLPROPERTIES ('delta.appendOnly' = 'true')`),
    plain(`INSERT INTO ${relationSql(op.relation)} (${identList(op.columns.map((c) => c.name))})\n${typedRowsSql(op.columns, [op.row])}`),
  ],
  // Resolved by the runner against the table's columns (runtime/runner/schema-change.ts): no statement of its own.
  SchemaChange: () => [],
  AlterTableAddColumns: addColumnsStatements,
  AlterTableDropColumns: dropColumnsStatements,
  AlterColumnType: alterColumnTypeStatements,
  Hook: (op) => [withQuery('', op.query)],
  LoadSeed: (op, locate) => render.CreateOrReplaceTableAs(seedTableAs(op), locate),
  RestoreTable: (op) => [
    plain(`RESTORE TABLE ${relationSql(op.relation)} TO ${op.to.by === 'version' ? `VERSION AS OF ${op.to.version}` : `TIMESTAMP AS OF ${stringLiteral(op.to.timestamp)}`}`),
  ],
  CreateMaskedView: (op) => {
    const column = (c: OperationOf<'CreateMaskedView'>['columns'][number]) =>
      c.mask === 'none'
        ? quoteIdent(c.name)
        : c.mask === 'hash'
          ? `sha2(concat(${stringLiteral(op.salt)}, CAST(${quoteIdent(c.name)} AS STRING)), 256) AS ${quoteIdent(c.name)}`
          : `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`;
    return [plain(`CREATE OR REPLACE VIEW ${relationSql(op.relation)} AS\nSELECT ${op.columns.map(column).join(',\n  ')}\nFROM ${relationSql(op.from)}`)];
  },
};

export function renderOperation(op: Operation, locate: Locate): Statement[] {
  return (render[op.kind] as (o: Operation, l: Locate) => Statement[])(op, locate);
}

/** Failing rows of a data test: the total in a window count, and at most `limit` of them. */
export function dataTestSample(test: DataTest, limit: number): Statement {
  return withQuery('SELECT *, count(*) OVER () AS etl_failures FROM (\n', test.query, `\n) AS etl_test LIMIT ${limit}`);
}

/** What one test of a combined scan counts (see TestFailsSchema), as an aggregate over `t`. */
function failureCount(fails: TestFails): string {
  switch (fails.kind) {
    case 'rows':
      return `count_if(${fails.condition})`;
    case 'duplicates':
      // Non-zero exactly when a non-NULL value repeats; the test's own query gives the exact count.
      return `count(t.${quoteIdent(fails.column)}) - count(DISTINCT t.${quoteIdent(fails.column)})`;
    case 'row_count': {
      const outside = [...(fails.min !== null ? [`count(*) < ${fails.min}`] : []), ...(fails.max !== null ? [`count(*) > ${fails.max}`] : [])];
      return `CASE WHEN ${outside.join(' OR ')} THEN 1 ELSE 0 END`;
    }
    case 'stale': {
      const latest = `max(t.${quoteIdent(fails.column)})`;
      return `CASE WHEN ${latest} IS NULL OR ${latest} < current_timestamp() - INTERVAL ${fails.afterSeconds} SECONDS THEN 1 ELSE 0 END`;
    }
  }
}

/** The column of a combined scan holding the count of its `index`-th test. */
export const combinedCountColumn = (index: number) => `etl_t${index}`;

/** One scan of a table counting each test's failures: one aggregate per test, in the operation's order. */
export function combinedTestsStatement(op: CombinedDataTests): Statement {
  const counts = op.tests.map((t, i) => `  ${failureCount(t.fails)} AS ${quoteIdent(combinedCountColumn(i))}`);
  return plain(`SELECT\n${counts.join(',\n')}\nFROM ${relationSql(op.relation)} AS t`);
}

/** A literal of any JSON value, cast by the caller; objects and arrays as JSON text. */
export function valueLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return stringLiteral(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

const COMPLEX_TYPE = /^(array|map|struct)\s*</i;

/** A SELECT producing `rows` typed as `columns`; columns a row leaves out are NULL. */
export function typedRowsSql(columns: ColumnType[], rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return `SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS ${quoteIdent(c.name)}`).join(', ')} WHERE false`;
  const typed = columns.map((c, i) => {
    // A declared type, not user SQL: complex values arrive as JSON text.
    const expr = COMPLEX_TYPE.test(c.type) ? `from_json(c${i}, ${stringLiteral(c.type)})` : `CAST(c${i} AS ${c.type})`;
    return `${expr} AS ${quoteIdent(c.name)}`;
  });
  const values = rows.map((r) => `(${columns.map((c) => valueLiteral(r[c.name])).join(', ')})`).join(',\n  ');
  return `SELECT ${typed.join(', ')} FROM VALUES\n  ${values}\n  AS t(${columns.map((_, i) => `c${i}`).join(', ')})`;
}

/** Every statement of a list of operations, as one reviewable script (target/run/). */
export function script(ops: readonly Operation[], locate: Locate): string {
  const statements = ops.flatMap((o) => renderOperation(o, locate)).map((s) => s.sql);
  return statements.length ? `${statements.join(';\n\n')};\n` : '';
}
