/**
 * The two statements of a data diff, both computed by Spark: one aggregate over a NULL-safe FULL
 * OUTER JOIN of the two sides on the key (rows added, removed, changed, per-column counts), and one
 * sample of a few rows of each kind. Nothing is compared row by row in Node.
 */
import type { RestorePoint } from '../../compiler/plan/operations.js';
import { quoteIdent, stringLiteral } from '../../compiler/emit/spark-dialect.js';

export interface DiffTable {
  /** `database.table`, unquoted. */
  relation: string;
  asOf: RestorePoint | null;
}

export interface DiffShape {
  from: DiffTable;
  to: DiffTable;
  key: string[];
  /** Non-key columns compared. */
  columns: string[];
}

const relationSql = (r: string) => r.split('.').map(quoteIdent).join('.');

/** A table, optionally as of a version or timestamp (Delta time travel). */
export function tableAsOf(t: DiffTable): string {
  if (!t.asOf) return relationSql(t.relation);
  return `${relationSql(t.relation)} ${t.asOf.by === 'version' ? `VERSION AS OF ${t.asOf.version}` : `TIMESTAMP AS OF ${stringLiteral(t.asOf.timestamp)}`}`;
}

export const changedColumn = (i: number) => `etl_c${i}`;

function joined(s: DiffShape): string {
  const on = s.key.map((k) => `f.${quoteIdent(k)} <=> t.${quoteIdent(k)}`).join(' AND ');
  return `(SELECT *, true AS etl_present FROM ${tableAsOf(s.from)}) AS f\nFULL OUTER JOIN (SELECT *, true AS etl_present FROM ${tableAsOf(s.to)}) AS t\n  ON ${on}`;
}

const differs = (c: string) => `NOT (f.${quoteIdent(c)} <=> t.${quoteIdent(c)})`;
const both = 'f.etl_present AND t.etl_present';

/** One row: rows of each side, added, removed, changed, unchanged, then `etl_c<i>` per column. */
export function diffCountsSql(s: DiffShape): string {
  const anyDiff = s.columns.length ? s.columns.map(differs).join(' OR ') : 'false';
  const counts = [
    'count_if(f.etl_present) AS etl_from_rows',
    'count_if(t.etl_present) AS etl_to_rows',
    'count_if(f.etl_present IS NULL) AS etl_added',
    'count_if(t.etl_present IS NULL) AS etl_removed',
    `count_if(${both} AND (${anyDiff})) AS etl_changed`,
    `count_if(${both} AND NOT (${anyDiff})) AS etl_unchanged`,
    ...s.columns.map((c, i) => `count_if(${both} AND ${differs(c)}) AS ${changedColumn(i)}`),
  ];
  return `SELECT\n  ${counts.join(',\n  ')}\nFROM ${joined(s)}`;
}

/** At most `limit` rows of each kind (`etl_kind`), values as strings, ordered by key. */
export function diffSampleSql(s: DiffShape, limit: number): string {
  const anyDiff = s.columns.length ? s.columns.map(differs).join(' OR ') : 'false';
  const str = (e: string) => `CAST(${e} AS STRING)`;
  const cols = [
    `CASE WHEN f.etl_present IS NULL THEN 'added' WHEN t.etl_present IS NULL THEN 'removed' ELSE 'changed' END AS etl_kind`,
    ...s.key.map((k) => `${str(`coalesce(f.${quoteIdent(k)}, t.${quoteIdent(k)})`)} AS ${quoteIdent(k)}`),
    ...s.columns.flatMap((c) => [`${str(`f.${quoteIdent(c)}`)} AS ${quoteIdent(c)}`, `${str(`t.${quoteIdent(c)}`)} AS ${quoteIdent(`${c}__to`)}`]),
  ];
  const order = s.key.map((k) => quoteIdent(k)).join(', ');
  return [
    'SELECT * FROM (',
    `  SELECT *, row_number() OVER (PARTITION BY etl_kind ORDER BY ${order}) AS etl_n FROM (`,
    `    SELECT ${cols.join(',\n      ')}`,
    `    FROM ${joined(s)}`,
    `    WHERE f.etl_present IS NULL OR t.etl_present IS NULL OR (${anyDiff})`,
    '  ) AS d',
    `) AS s WHERE etl_n <= ${limit}`,
    `ORDER BY etl_kind, ${order}`,
  ].join('\n');
}
