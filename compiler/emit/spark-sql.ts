/**
 * Spark 3.5 / Delta 3.3 SQL that materializes a model. Statements run in order in one session.
 * CREATE OR REPLACE TABLE ... AS is atomic on Delta: readers see the old table or the new one, never half.
 */
import type { ManifestModel } from '../manifest/types.js';
import { sqlLiteral } from '../resolve/environment.js';

const q = (id: string) => `\`${id.replace(/`/g, '``')}\``;
const list = (ids: string[] | undefined) => (ids ?? []).map(q).join(', ');

export interface MaterializeInput {
  model: Pick<ManifestModel, 'materialized' | 'config' | 'relation' | 'columns'>;
  /** Full-refresh SELECT. */
  select: string;
  /** SELECT rendered with is_incremental true. */
  incrementalSelect?: string;
}

function createTableAs(m: MaterializeInput['model'], select: string): string {
  const r = m.relation!;
  const parts = [`CREATE OR REPLACE TABLE ${r.fqn}`, 'USING DELTA'];
  if (m.config.partition_by?.length) parts.push(`PARTITIONED BY (${list(m.config.partition_by)})`);
  parts.push(`LOCATION ${sqlLiteral(r.location)}`);
  const props = Object.entries(m.config.tblproperties ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (props.length) parts.push(`TBLPROPERTIES (\n${props.map(([k, v]) => `  ${sqlLiteral(k)} = ${sqlLiteral(v)}`).join(',\n')}\n)`);
  parts.push(`AS\n${select}`);
  return parts.join('\n');
}

function mergeInto(m: MaterializeInput['model'], select: string): string {
  const r = m.relation!;
  const keys = m.config.unique_key ?? [];
  const on = keys.map((k) => `target.${q(k)} = source.${q(k)}`).join('\n  AND ');
  const update = m.config.merge_update_columns?.length
    ? `UPDATE SET ${m.config.merge_update_columns.map((c) => `target.${q(c)} = source.${q(c)}`).join(', ')}`
    : 'UPDATE SET *';
  return [`MERGE INTO ${r.fqn} AS target`, `USING (\n${select}\n) AS source`, `ON ${on}`, `WHEN MATCHED THEN ${update}`, 'WHEN NOT MATCHED THEN INSERT *'].join('\n');
}

export function materializeStatements(input: MaterializeInput): ManifestModel['statements'] {
  const { model: m, select } = input;
  if (m.materialized === 'ephemeral' || !m.relation) return { full: [], post: [] };
  const createDb = `CREATE DATABASE IF NOT EXISTS ${m.relation.database}`;
  const post = m.materialized !== 'view' && m.config.zorder_by?.length ? [`OPTIMIZE ${m.relation.fqn} ZORDER BY (${list(m.config.zorder_by)})`] : [];
  if (m.materialized === 'view') {
    return { full: [createDb, `CREATE OR REPLACE VIEW ${m.relation.fqn} AS\n${select}`], post };
  }
  const full = [createDb, createTableAs(m, select)];
  if (m.materialized === 'table') return { full, post };
  const inc = input.incrementalSelect ?? select;
  switch (m.config.incremental_strategy ?? (m.config.unique_key?.length ? 'merge' : 'append')) {
    case 'merge':
      return { full, incremental: [createDb, mergeInto(m, inc)], post };
    case 'insert_overwrite':
      // Dynamic partition overwrite: only the partitions the SELECT produces are replaced.
      return {
        full,
        incremental: [
          createDb,
          'SET spark.sql.sources.partitionOverwriteMode = dynamic',
          `INSERT OVERWRITE TABLE ${m.relation.fqn}\n${inc}`,
          'SET spark.sql.sources.partitionOverwriteMode = static',
        ],
        post,
      };
    default:
      return { full, incremental: [createDb, `INSERT INTO ${m.relation.fqn}\n${inc}`], post };
  }
}

/** Prepends ephemeral models as CTEs, merging into the query's own WITH clause when it has one. */
export function inlineEphemerals(select: string, ctes: Array<{ name: string; sql: string }>): string {
  if (ctes.length === 0) return select;
  const defs = ctes.map((c) => `${c.name} AS (\n${c.sql.trim()}\n)`).join(',\n');
  const m = /^(\s*(?:(?:--[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*)with\s/i.exec(select);
  if (m) return `${m[1]}WITH ${defs},\n${select.slice(m[0].length)}`;
  return `WITH ${defs}\n${select}`;
}
