/**
 * Work-around for `CREATE OR REPLACE TABLE ... AS SELECT` on pyspark 3.5.6 + Delta 3.3.2, which fails
 * with "does not support truncate in batch mode" (Spark 3.5.6 made V2Writes require SupportsTruncate,
 * Delta 3.3.2 lacks it: delta-io/delta#4671, fixed upstream by delta-io/delta#4919). Runs only when
 * Spark raised exactly that error, so a fixed engine never takes this path.
 *
 * - table absent: the same statement as CTAS (`CREATE TABLE ... AS`), atomic.
 * - table present, same columns and partitioning: `INSERT OVERWRITE TABLE t <query>`, one atomic Delta commit.
 * - otherwise (schema or partitioning changed): the query is first materialized into a staging table
 *   (so a failing query leaves the target untouched), then the target is replaced empty with the new
 *   definition and filled from staging: two commits, the only non-atomic case.
 */
import type { SparkSession } from './client.js';
import { SparkSqlError } from './errors.js';
import { isMergeSelfReadBug, mergeViaStaging } from './merge-source.js';

// The query may open with `--` comments (the model's header comment) before SELECT/WITH.
const RTAS = /^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+([\w.`]+)([\s\S]*?)\bAS\s+(?=(?:--[^\n]*\n\s*)*\(?\s*(?:SELECT|WITH|FROM|VALUES)\b)([\s\S]*)$/i;

export function isRtasTruncateBug(error: unknown, sql: string): boolean {
  return error instanceof SparkSqlError && /does not support truncate in batch mode/i.test(error.message) && RTAS.test(sql);
}

interface Rtas {
  table: string;
  header: string;
  query: string;
}

export function parseRtas(sql: string): Rtas | undefined {
  const m = RTAS.exec(sql);
  if (!m) return undefined;
  return { table: m[1]!, header: m[2]!.trim(), query: m[3]!.trim().replace(/;\s*$/, '') };
}

export async function tableExists(session: SparkSession, table: string): Promise<boolean> {
  const parts = table.replace(/`/g, '').split('.');
  const name = parts.pop()!;
  const db = parts.pop();
  try {
    const { rows } = await session.query(db ? `SHOW TABLES IN \`${db}\` LIKE '${name}'` : `SHOW TABLES LIKE '${name}'`);
    return rows.some((r) => String(r.tableName ?? '').toLowerCase() === name.toLowerCase() && !r.isTemporary);
  } catch (e) {
    if (e instanceof SparkSqlError && /SCHEMA_NOT_FOUND|DATABASE_NOT_FOUND|not found/i.test(e.message + (e.info.errorClass ?? ''))) return false;
    throw e;
  }
}

/**
 * Columns (`name type`) and partition columns from DESCRIBE: the partition section follows a
 * `# Partition Information` row and its `# col_name` header. One catalog call, no Delta log scan.
 */
async function describe(session: SparkSession, sql: string): Promise<{ columns: string[]; partitions: string[] }> {
  const { rows } = await session.query(sql);
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

function declaredPartitioning(header: string): string[] {
  const m = /PARTITIONED\s+BY\s*\(([^)]*)\)/i.exec(header);
  return m ? m[1]!.split(',').map((c) => c.trim().replace(/`/g, '').toLowerCase()).filter(Boolean) : [];
}

export async function replaceTableAs(session: SparkSession, sql: string): Promise<void> {
  const rtas = parseRtas(sql);
  if (!rtas) throw new Error(`not a CREATE OR REPLACE TABLE ... AS statement: ${sql.slice(0, 80)}`);
  const { table, header, query } = rtas;
  if (!(await tableExists(session, table))) {
    await session.execute(`CREATE TABLE ${table} ${header} AS ${query}`);
    return;
  }
  const current = await describe(session, `DESCRIBE TABLE ${table}`);
  const wanted = await describe(session, `DESCRIBE QUERY ${query}`);
  const samePartitioning = current.partitions.join(',') === declaredPartitioning(header).join(',');
  if (samePartitioning && current.columns.join(',') === wanted.columns.join(',')) {
    await session.execute(`INSERT OVERWRITE TABLE ${table} ${query}`);
    return;
  }
  const staging = `${table.replace(/`/g, '')}__etl_staging`;
  await session.execute(`DROP TABLE IF EXISTS ${staging}`);
  await session.execute(`CREATE TABLE ${staging} USING DELTA AS ${query}`);
  try {
    const columns = (await session.query(`DESCRIBE TABLE ${staging}`)).rows
      .filter((r) => r.col_name && !String(r.col_name).startsWith('#'))
      .map((r) => `\`${String(r.col_name)}\` ${String(r.data_type)}`);
    await session.execute(`CREATE OR REPLACE TABLE ${table} (${columns.join(', ')}) ${header}`);
    await session.execute(`INSERT INTO ${table} SELECT * FROM ${staging}`);
  } finally {
    await session.execute(`DROP TABLE IF EXISTS ${staging}`).catch(() => {});
  }
}

/** Set once Spark has shown the RTAS bug: the engine does not change within a process, so skip the failing try. */
let rtasKnownBroken = false;

/** Runs one materialization statement, applying an engine work-around when (and only when) Spark hit a known bug. */
export async function runStatement(session: SparkSession, sql: string): Promise<void> {
  if (rtasKnownBroken && parseRtas(sql)) return replaceTableAs(session, sql);
  try {
    await session.execute(sql);
  } catch (e) {
    if (isRtasTruncateBug(e, sql)) {
      rtasKnownBroken = true;
      await replaceTableAs(session, sql);
    }
    else if (isMergeSelfReadBug(e, sql)) await mergeViaStaging(session, sql);
    else throw e;
  }
}
