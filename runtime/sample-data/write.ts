/**
 * Lands generated batches as bronze Parquet in the layout ingestion uses:
 * `<warehouse>/bronze/<source>/<table>/ingest_date=YYYY-MM-DD/part-00000-<run id>.parquet`,
 * through the shared bronze writer (typed, Snappy, atomic), and writes `expected-dirt.json`.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadSources } from '../../compiler/load/sources.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import { writeFileAtomic, writeParquetFile } from '../bronze/parquet-writer.js';
import type { SampleBatch, SampleData } from './generate.js';

export class SampleDataError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Declared columns plus bronze metadata columns, per `sourceName.table`, from `sources/*.ts`. */
export async function bronzeColumns(projectDir: string): Promise<Map<string, ManifestColumn[]>> {
  const diagnostics: Diagnostic[] = [];
  const sources = await loadSources(projectDir, { root: 'bronze', database: 'bronze' }, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    throw new SampleDataError(`cannot read the source declarations: ${errors.map((d) => `${d.file}:${d.line}: ${d.message}`).join('; ')}`, 'run `node bin/etl.js compile` to see the diagnostics');
  }
  return new Map(sources.map((s) => [`${s.manifest.sourceName}.${s.manifest.table}`, [...s.manifest.columns, ...s.manifest.bronze.metadataColumns]]));
}

export function tableDir(warehouse: string, table: string): string {
  const [sourceName, name] = table.split('.') as [string, string];
  return path.join(warehouse, 'bronze', sourceName, name);
}

async function hasFiles(dir: string): Promise<boolean> {
  try {
    const entries = await readdir(dir, { recursive: true });
    for (const e of entries) if ((await stat(path.join(dir, e))).isFile()) return true;
    return false;
  } catch {
    return false;
  }
}

/** Refuses to mix a new base batch with data already landed, unless told to replace it. */
export async function prepareBase(warehouse: string, tables: string[], force: boolean): Promise<void> {
  const occupied: string[] = [];
  for (const t of tables) if (await hasFiles(tableDir(warehouse, t))) occupied.push(t);
  if (occupied.length === 0) return;
  if (!force) {
    throw new SampleDataError(
      `bronze already holds data for ${occupied.join(', ')} under ${path.join(warehouse, 'bronze')}`,
      'pass --force to replace it (then rebuild with `node bin/etl.js build --full-refresh`), or --out to write elsewhere',
    );
  }
  for (const t of occupied) await rm(tableDir(warehouse, t), { recursive: true, force: true });
}

/** Writes one batch; returns the files written, relative to the warehouse. */
export async function writeBatch(warehouse: string, batch: SampleBatch, columns: Map<string, ManifestColumn[]>): Promise<string[]> {
  const written: string[] = [];
  for (const [table, rows] of batch.rows) {
    const cols = columns.get(table);
    if (!cols) throw new SampleDataError(`no source declaration for ${table} in sources/*.ts`, 'the generator writes the 9 tables of the reference project; restore their declarations');
    const byDay = new Map<string, Record<string, unknown>[]>();
    for (const r of rows) {
      const list = byDay.get(r.ingestDate) ?? [];
      list.push(r.values);
      byDay.set(r.ingestDate, list);
    }
    for (const day of [...byDay.keys()].sort()) {
      const file = path.join(tableDir(warehouse, table), `ingest_date=${day}`, `part-00000-${batch.runId}.parquet`);
      await mkdir(path.dirname(file), { recursive: true });
      try {
        await writeParquetFile(file, cols, byDay.get(day)!);
      } catch (err) {
        throw new SampleDataError(`writing ${table} (${day}): ${(err as Error).message}`, 'the generated rows no longer match the declared columns in sources/*.ts');
      }
      written.push(path.relative(warehouse, file));
    }
  }
  return written;
}

export async function writeExpected(warehouse: string, data: SampleData): Promise<string> {
  const file = path.join(warehouse, 'expected-dirt.json');
  await writeFileAtomic(file, `${JSON.stringify(data.expected, null, 2)}\n`);
  return file;
}
