/**
 * Bronze Parquet files rewritten without a subject's rows: each file under the table's location is
 * read, and only when it holds some of the subject's rows written again with the others (every
 * other row and column kept) through the bronze writer, which writes a hidden temporary file and
 * renames it over the old one: readers see the old file or the new one, never half.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import type { ManifestSource } from '../../../compiler/manifest/types.js';
import { writeParquetFile } from '../../bronze/parquet-writer.js';

export interface FilesRewritten {
  files: number;
  rows: number;
}

async function parquetFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const nested = await Promise.all(
    entries.filter((e) => !e.name.startsWith('.') && !e.name.startsWith('_')).map(async (e) => (e.isDirectory() ? parquetFiles(join(dir, e.name)) : e.name.endsWith('.parquet') ? [join(dir, e.name)] : [])),
  );
  return nested.flat().sort();
}

/** Removes the rows where any `columns[c]` holds one of its values, from every file under `dir`. */
export async function rewriteBronzeFiles(dir: string, source: ManifestSource, columns: Map<string, Set<string>>): Promise<FilesRewritten> {
  const schema = [...source.columns, ...source.bronze.metadataColumns];
  const isSubjects = (row: Record<string, unknown>) => [...columns].some(([c, values]) => row[c] !== null && row[c] !== undefined && values.has(String(row[c])));
  const done: FilesRewritten = { files: 0, rows: 0 };
  for (const file of await parquetFiles(dir)) {
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Array<Record<string, unknown>>;
    const kept = rows.filter((r) => !isSubjects(r));
    if (kept.length === rows.length) continue;
    const fields = new Set(Object.keys(rows[0] ?? {}));
    // A file holding only the subject's rows goes (one unlink: atomic too).
    if (kept.length === 0) await rm(file);
    else await writeParquetFile(file, schema.filter((c) => fields.has(c.name)), kept);
    done.files++;
    done.rows += rows.length - kept.length;
  }
  return done;
}
