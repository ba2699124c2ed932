/**
 * `etl diff-data MODEL`: two versions of a model's table compared by primary key on Spark (two
 * statements, runtime/runner/data-diff-sql.ts), reported as data (DataDiffReportSchema). Also the
 * time-travel read behind `etl show MODEL --as-of`.
 */
import type { Manifest } from '../../compiler/index.js';
import type { RestorePoint } from '../../compiler/plan/operations.js';
import { quoteIdent } from '../../compiler/emit/spark-dialect.js';
import type { SparkEngine } from '../engines/spark/engine.js';
import type { QueryResult, SparkSession } from '../engines/spark/client.js';
import { changedColumn, diffCountsSql, diffSampleSql, tableAsOf, type DiffShape } from './data-diff-sql.js';
import { DataDiffReportSchema, type DataDiffReport, type DiffSide } from './data-diff-schema.js';
import { acquireProjectEngine } from './project-engine.js';

export interface DataDiffOptions {
  projectDir: string;
  manifest: Manifest;
  model: string;
  from: DiffSide;
  to: DiffSide;
  key: string[];
  sampleSize: number;
  spark?: SparkEngine;
}

/** A user mistake in a diff request (no key, a key column missing...): reported without a stack. */
export class DataDiffError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

async function withSpark<T>(projectDir: string, manifest: Manifest, spark: SparkEngine | undefined, work: (s: SparkSession) => Promise<T>): Promise<T> {
  const engine = await acquireProjectEngine(manifest, projectDir, spark);
  try {
    return await work((await engine.openSession()).spark);
  } finally {
    await engine.close();
  }
}

const columnsOf = async (s: SparkSession, side: DiffSide) => (await s.query(`SELECT * FROM ${tableAsOf(side)} LIMIT 0`)).columns.map((c) => c.name);
const num = (v: unknown) => Number(v ?? 0);

export async function dataDiff(opts: DataDiffOptions): Promise<DataDiffReport> {
  return withSpark(opts.projectDir, opts.manifest, opts.spark, async (s) => {
    const [fromCols, toCols] = [await columnsOf(s, opts.from), await columnsOf(s, opts.to)];
    const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
    for (const [side, cols] of [[opts.from, fromCols], [opts.to, toCols]] as const) {
      const missing = opts.key.filter((k) => !lower(cols).has(k.toLowerCase()));
      if (missing.length) throw new DataDiffError('ETL451', `Key column ${missing.join(', ')} is not in ${side.label} (${side.relation})`, `its columns: ${cols.join(', ')}; pass the primary key with --key.`);
    }
    const keys = lower(opts.key);
    const inTo = lower(toCols);
    const shape: DiffShape = { from: opts.from, to: opts.to, key: opts.key, columns: fromCols.filter((c) => !keys.has(c.toLowerCase()) && inTo.has(c.toLowerCase())) };
    const counts = (await s.query(diffCountsSql(shape))).rows[0] ?? {};
    const sample = (await s.query(diffSampleSql(shape, opts.sampleSize))).rows;
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    // Added rows show their new values, removed rows their old ones, changed rows both (`<column>__to`).
    const rowsOf = (kind: 'added' | 'removed' | 'changed') =>
      sample
        .filter((r) => r.etl_kind === kind)
        .map((r) => {
          const out: Record<string, string | null> = Object.fromEntries(opts.key.map((k) => [k, text(r[k])]));
          for (const c of shape.columns) {
            out[c] = text(kind === 'added' ? r[`${c}__to`] : r[c]);
            if (kind === 'changed') out[`${c}__to`] = text(r[`${c}__to`]);
          }
          return out;
        });
    return DataDiffReportSchema.parse({
      model: opts.model,
      key: opts.key,
      from: opts.from,
      to: opts.to,
      rows: { from: num(counts.etl_from_rows), to: num(counts.etl_to_rows) },
      added: num(counts.etl_added),
      removed: num(counts.etl_removed),
      changed: num(counts.etl_changed),
      unchanged: num(counts.etl_unchanged),
      columns: shape.columns.map((name, i) => ({ name, changed: num(counts[changedColumn(i)]) })),
      samples: { added: rowsOf('added'), removed: rowsOf('removed'), changed: rowsOf('changed') },
    });
  });
}

/** `etl show MODEL --as-of`: the table's first rows as of a Delta version or timestamp. */
export async function showAsOf(opts: { projectDir: string; manifest: Manifest; relation: string; columns: Array<{ name: string; type: string }>; asOf: RestorePoint; limit: number; spark?: SparkEngine }): Promise<QueryResult> {
  return withSpark(opts.projectDir, opts.manifest, opts.spark, async (s) => {
    const exact = (type: string) => /^(decimal|bigint)/i.test(type);
    const list = opts.columns.length ? opts.columns.map((c) => (exact(c.type) ? `CAST(${quoteIdent(c.name)} AS STRING) AS ${quoteIdent(c.name)}` : quoteIdent(c.name))).join(', ') : '*';
    const result = await s.query(`SELECT ${list} FROM ${tableAsOf({ relation: opts.relation, asOf: opts.asOf })}\nLIMIT ${opts.limit}`);
    const declared = new Map(opts.columns.map((c) => [c.name.toLowerCase(), c.type]));
    return { ...result, columns: result.columns.map((c) => ({ name: c.name, type: declared.get(c.name.toLowerCase()) ?? c.type })) };
  });
}
