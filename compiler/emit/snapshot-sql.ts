/**
 * SnapshotMerge in Spark SQL (Delta 3.3), as statements run in order:
 * 1. CREATE TABLE IF NOT EXISTS ... AS the query with its history columns: the first build; a no-op
 *    after (Spark does not run the query when the table exists).
 * 2. The changes staged in a Delta table: every query row keyed by its unique key, plus a copy with
 *    a NULL key of each row whose current version changed. Staged, not a subquery of the MERGE:
 *    Delta 3.3 rejects a MERGE whose source reads its target ("Table does not support reads"), and
 *    the build's time (`current_timestamp()`, the check strategy's valid_from) is fixed once.
 * 3. One MERGE (one Delta commit): a keyed row matching a current version that changed closes it
 *    (valid_to = the new version's valid_from); a row matching nothing (a NULL-keyed copy, or a new
 *    key) is inserted as the current version; with hard-delete invalidation, a current version
 *    whose key the query no longer returns is closed at the build's time. Unchanged rows match
 *    and are left alone, so re-running on unchanged data changes no row.
 * 4. The staging table dropped, whether or not the MERGE succeeded.
 */
import type { OperationOf, Relation } from '../plan/operations.js';
import { quoteIdent, relationSql, stringLiteral, withQuery, type Locate, type Statement } from './spark-dialect.js';

type SnapshotMerge = OperationOf<'SnapshotMerge'>;

export const snapshotStagingOf = (r: Relation): Relation => ({ database: r.database, table: `${r.table}__etl_snapshot_staging` });
const mergeKey = (i: number) => quoteIdent(`etl_merge_key_${i}`);
const Q = 'etl_query';

/** The change hash: the key and what the strategy compares, as JSON, hashed (per key, equal hashes mean no change). */
function changeHash(op: SnapshotMerge): string {
  const cols = [...op.uniqueKey, ...(op.strategy.kind === 'timestamp' ? [op.strategy.updatedAt] : op.strategy.columns)];
  return `sha2(to_json(named_struct(${cols.map((c) => `${stringLiteral(c)}, ${Q}.${quoteIdent(c)}`).join(', ')})), 256)`;
}

/** The query's columns followed by the history columns, over the user's query aliased `etl_query`. */
function historyHead(op: SnapshotMerge, indent: string): string {
  const validFrom = op.strategy.kind === 'timestamp' ? `CAST(${Q}.${quoteIdent(op.strategy.updatedAt)} AS TIMESTAMP)` : 'current_timestamp()';
  const extra = [`${validFrom} AS ${quoteIdent('valid_from')}`, `CAST(NULL AS TIMESTAMP) AS ${quoteIdent('valid_to')}`, `true AS ${quoteIdent('is_current')}`, `${changeHash(op)} AS ${quoteIdent('change_hash')}`];
  return `${indent}SELECT ${Q}.*,\n${extra.map((e) => `${indent}  ${e}`).join(',\n')}\n${indent}FROM (\n`;
}

function tableClauses(op: SnapshotMerge, locate: Locate): string {
  const parts = ['USING DELTA'];
  if (op.partitionBy.length) parts.push(`PARTITIONED BY (${op.partitionBy.map(quoteIdent).join(', ')})`);
  parts.push(`LOCATION ${stringLiteral(locate(op.location))}`);
  const props = Object.entries(op.properties).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (props.length) parts.push(`TBLPROPERTIES (\n${props.map(([k, v]) => `  ${stringLiteral(k)} = ${stringLiteral(v)}`).join(',\n')}\n)`);
  return parts.join('\n');
}

function stageChanges(op: SnapshotMerge, staging: Relation): Statement {
  const keyed = op.uniqueKey.map((k, i) => `s.${quoteIdent(k)} AS ${mergeKey(i)}`).join(', ');
  const unkeyed = op.uniqueKey.map((_, i) => `NULL AS ${mergeKey(i)}`).join(', ');
  const join = op.uniqueKey.map((k) => `t.${quoteIdent(k)} = s.${quoteIdent(k)}`).join(' AND ');
  const tail = [
    `\n  ) AS ${Q}`,
    ')',
    `SELECT ${keyed}, s.* FROM etl_snapshot_source AS s`,
    'UNION ALL',
    `SELECT ${unkeyed}, s.* FROM etl_snapshot_source AS s`,
    `JOIN ${relationSql(op.relation)} AS t ON ${join} AND t.${quoteIdent('is_current')}`,
    `WHERE t.${quoteIdent('change_hash')} <> s.${quoteIdent('change_hash')}`,
  ].join('\n');
  return withQuery(`CREATE TABLE ${relationSql(staging)} USING DELTA AS\nWITH etl_snapshot_source AS (\n${historyHead(op, '  ')}`, op.query, tail);
}

function mergeChanges(op: SnapshotMerge, staging: Relation): Statement {
  const all = [...op.columns, 'valid_from', 'valid_to', 'is_current', 'change_hash'].map(quoteIdent);
  const on = op.uniqueKey.map((k, i) => `target.${quoteIdent(k)} = source.${mergeKey(i)}`).join(' AND ');
  const close = (validTo: string) => `UPDATE SET target.${quoteIdent('valid_to')} = ${validTo}, target.${quoteIdent('is_current')} = false`;
  const lines = [
    `MERGE INTO ${relationSql(op.relation)} AS target`,
    `USING ${relationSql(staging)} AS source`,
    `ON ${on} AND target.${quoteIdent('is_current')}`,
    `WHEN MATCHED AND target.${quoteIdent('change_hash')} <> source.${quoteIdent('change_hash')} THEN ${close(`source.${quoteIdent('valid_from')}`)}`,
    `WHEN NOT MATCHED THEN INSERT (${all.join(', ')})\n  VALUES (${all.map((c) => `source.${c}`).join(', ')})`,
    ...(op.invalidateHardDeletes ? [`WHEN NOT MATCHED BY SOURCE AND target.${quoteIdent('is_current')} THEN ${close('current_timestamp()')}`] : []),
  ];
  return { sql: lines.join('\n') };
}

export function snapshotStatements(op: SnapshotMerge, locate: Locate): Statement[] {
  const staging = snapshotStagingOf(op.relation);
  const dropStaging = `DROP TABLE IF EXISTS ${relationSql(staging)}`;
  return [
    withQuery(`CREATE TABLE IF NOT EXISTS ${relationSql(op.relation)}\n${tableClauses(op, locate)}\nAS\n${historyHead(op, '')}`, op.query, `\n) AS ${Q}`),
    { sql: dropStaging },
    stageChanges(op, staging),
    mergeChanges(op, staging),
    { sql: dropStaging, always: true },
  ];
}
