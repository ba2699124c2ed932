/**
 * Spark SQL of the schema-change operations and of incremental writes that name their columns
 * (after `on_schema_change` compared the table with the model): part of the Spark dialect, kept in
 * its own module. A write with `columns` selects them by name from the user's query, NULL of the
 * table's type for a column the query no longer has.
 */
import type { OperationOf, WriteColumn } from '../plan/operations.js';
import { quoteIdent, relationSql, stringLiteral, withQuery, type Statement } from './spark-dialect.js';

const sourceColumn = (c: WriteColumn, from: string) => (c.fromQuery ? `${from}.${quoteIdent(c.name)}` : `CAST(NULL AS ${c.type})`);

/** `INSERT INTO|OVERWRITE t (cols) SELECT cols FROM (query)`: columns by name, not by position. */
export function insertNamedColumns(head: string, op: OperationOf<'Append' | 'InsertOverwrite'>, columns: WriteColumn[]): Statement {
  const names = columns.map((c) => quoteIdent(c.name)).join(', ');
  const select = columns.map((c) => `${sourceColumn(c, 'etl_source')} AS ${quoteIdent(c.name)}`).join(', ');
  return withQuery(`${head} ${relationSql(op.relation)} (${names})\nSELECT ${select} FROM (\n`, op.query, '\n) AS etl_source');
}

/** The WHEN clauses of a MERGE writing only `columns` (a matched row updates those the query has). */
export function mergeNamedClauses(op: OperationOf<'Merge'>, columns: WriteColumn[]): string {
  const keys = new Set(op.uniqueKey.map((k) => k.toLowerCase()));
  const updatable = columns.filter((c) => c.fromQuery && !keys.has(c.name.toLowerCase()) && (!op.updateColumns?.length || op.updateColumns.includes(c.name)));
  const update = updatable.length ? `WHEN MATCHED THEN UPDATE SET ${updatable.map((c) => `target.${quoteIdent(c.name)} = source.${quoteIdent(c.name)}`).join(', ')}\n` : '';
  const insert = `WHEN NOT MATCHED THEN INSERT (${columns.map((c) => quoteIdent(c.name)).join(', ')}) VALUES (${columns.map((c) => sourceColumn(c, 'source')).join(', ')})`;
  return `${update}${insert}`;
}

const plain = (sql: string): Statement => ({ sql });

export function addColumnsStatements(op: OperationOf<'AlterTableAddColumns'>): Statement[] {
  return [plain(`ALTER TABLE ${relationSql(op.relation)} ADD COLUMNS (${op.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`)];
}

/** Delta drops a column only under column mapping by name (reader 2, writer 5): enabled first, a no-op when it is. */
export function dropColumnsStatements(op: OperationOf<'AlterTableDropColumns'>): Statement[] {
  const table = relationSql(op.relation);
  const props = [['delta.columnMapping.mode', 'name'], ['delta.minReaderVersion', '2'], ['delta.minWriterVersion', '5']].map(([k, v]) => `${stringLiteral(k!)} = ${stringLiteral(v!)}`);
  return [plain(`ALTER TABLE ${table} SET TBLPROPERTIES (${props.join(', ')})`), plain(`ALTER TABLE ${table} DROP COLUMNS (${op.columns.map(quoteIdent).join(', ')})`)];
}

/** A safe widening through Delta type widening. */
export function alterColumnTypeStatements(op: OperationOf<'AlterColumnType'>): Statement[] {
  const table = relationSql(op.relation);
  return [plain(`ALTER TABLE ${table} SET TBLPROPERTIES (${stringLiteral('delta.enableTypeWidening')} = ${stringLiteral('true')})`), plain(`ALTER TABLE ${table} ALTER COLUMN ${quoteIdent(op.column)} TYPE ${op.type}`)];
}

/** Table properties a model with `sync_all_columns` is created with, so columns can be dropped later. */
export const COLUMN_MAPPING_PROPERTIES: Readonly<Record<string, string>> = Object.freeze({ 'delta.columnMapping.mode': 'name', 'delta.minReaderVersion': '2', 'delta.minWriterVersion': '5' });
