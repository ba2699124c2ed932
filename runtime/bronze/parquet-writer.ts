/**
 * The one Parquet writer for bronze files (and for anyone else who needs a typed Parquet file):
 * Snappy-compressed, typed by the declared Spark types, and atomic: the file is written under a
 * hidden temporary name (Spark skips names starting with '.'), flushed to disk, then renamed, so
 * readers see either no file or the whole file.
 */
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import type { SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import { schemaElements, type SchemaElement } from './parquet-schema.js';
import { encodeValue, ValueError } from './value-encoding.js';
import { describeThrown, IngestError } from './errors.js';

export interface ParquetWriteSettings {
  /** Rows per row group; bronze files are read whole, so one large group per file is fine. */
  rowGroupSize?: number;
  /** Rows already hold Parquet-level values (from encodeRow): skip per-value conversion. */
  preEncoded?: boolean;
  /**
   * Columns that get min/max statistics (default: all). Statistics cost most of the encoding time;
   * bronze writers keep them for the cursor / event-time column, the one later filters use.
   */
  statisticsColumns?: string[];
  /**
   * Compressors that replace hyparquet-writer's own for a codec (a native Snappy writes the same
   * SNAPPY pages faster). Default: its built-in JavaScript Snappy.
   */
  compressors?: Record<string, (input: Uint8Array) => Uint8Array>;
}

type ColumnData = NonNullable<Parameters<ParquetWriter['write']>[0]['columnData']>;

/** Encodes rows into Parquet bytes (no I/O), validating every value against its declared type. */
export function encodeParquet(columns: ManifestColumn[], rows: Record<string, unknown>[], settings: ParquetWriteSettings = {}): Uint8Array {
  if (columns.length === 0) throw new IngestError('cannot write a Parquet file without columns', { code: 'PARQUET_NO_COLUMNS' });
  const data = columns.map((c) => {
    const type = typeOf(c);
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const raw = rows[r]![c.name];
      let value: unknown;
      try {
        value = settings.preEncoded ? (raw ?? null) : encodeValue(type, raw);
      } catch (err) {
        // Whatever a value throws (a ValueError, or a RangeError from a bug) is reported at its row
        // and column, as a user-facing error: this writer takes whole files, not single records.
        const reason = err instanceof ValueError ? `${c.name}${err.path} (${c.type}): ${err.message}` : `${c.name} (${c.type}): ${describeThrown(err)}`;
        throw new IngestError(`row ${r}, column ${reason}`, {
          code: 'PARQUET_BAD_VALUE',
          hint: 'fix the value at the source, or correct the declared column type',
        });
      }
      if (value === null && !c.nullable) {
        throw new IngestError(`row ${r}, column ${c.name}: null in a column declared NOT NULL`, {
          code: 'PARQUET_NULL',
          hint: 'drop .notNull() from the declaration, or fix the rows at the source',
        });
      }
      values[r] = value;
    }
    return values;
  });
  const file = new ParquetFileBuilder(columns, settings);
  const size = settings.rowGroupSize ?? 100_000;
  if (rows.length <= size) file.writeRowGroup(data);
  else for (let at = 0; at < rows.length; at += size) file.writeRowGroup(data.map((values) => values.slice(at, at + size)));
  return file.finish();
}

/**
 * A Parquet file written one row group at a time: a long-running writer encodes each row group as
 * soon as it is full, so encoding overlaps with reading and only the last rows wait for the end.
 */
export class ParquetFileBuilder {
  private readonly bytes = new ByteWriter();
  private readonly writer: ParquetWriter;
  private readonly statistics: boolean[];
  rows = 0;

  constructor(
    private readonly columns: ManifestColumn[],
    settings: Omit<ParquetWriteSettings, 'preEncoded' | 'rowGroupSize'> = {},
  ) {
    const types = columns.map((c) => typeOf(c));
    const schema: SchemaElement[] = [{ name: 'spark_schema', num_children: columns.length }];
    columns.forEach((c, i) => schema.push(...schemaElements(c.name, types[i]!, c.nullable)));
    this.statistics = columns.map((c) => (settings.statisticsColumns ? settings.statisticsColumns.includes(c.name) : true));
    this.writer = new ParquetWriter({ writer: this.bytes, schema, codec: 'SNAPPY', createdBy: 'lakehouse-etl (hyparquet-writer)', ...(settings.compressors ? { compressors: settings.compressors } : {}) });
  }

  /** Adds one row group from converted column arrays (one per column, in `columns` order). */
  writeRowGroup(data: unknown[][]): void {
    const rows = data[0]?.length ?? 0;
    if (rows === 0) return;
    const columnData = this.columns.map((c, i) => {
      const values = data[i]!;
      if (!c.nullable) {
        const at = values.findIndex((v) => v === null || v === undefined);
        if (at >= 0) throw new IngestError(`row ${this.rows + at}, column ${c.name}: null in a column declared NOT NULL`, { code: 'PARQUET_NULL' });
      }
      return { name: c.name, data: values, statistics: this.statistics[i]! };
    });
    // Larger pages: fewer page headers and compressor calls; Spark reads them without trouble.
    void this.writer.write({ columnData: columnData as ColumnData, rowGroupSize: rows, pageSize: 4 * 1024 * 1024 });
    this.rows += rows;
  }

  finish(): Uint8Array {
    void this.writer.finish();
    return this.bytes.getBytes();
  }
}

/** Writes `rows` as a Snappy Parquet file at `filePath`, atomically (temp file + rename). */
export async function writeParquetFile(
  filePath: string,
  columns: ManifestColumn[],
  rows: Record<string, unknown>[],
  settings: ParquetWriteSettings = {},
): Promise<void> {
  const bytes = encodeParquet(columns, rows, settings);
  await writeFileAtomic(filePath, bytes);
}

/** Write to `.<name>.tmp-<random>` beside the target, fsync, rename over the target. */
export async function writeFileAtomic(filePath: string, bytes: Uint8Array | string): Promise<void> {
  const dir = dirname(filePath);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(filePath)}.tmp-${randomBytes(6).toString('hex')}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(tmp, filePath);
}

const typeCache = new Map<string, SqlType>();
export function typeOf(column: ManifestColumn): SqlType {
  let type = typeCache.get(column.type);
  if (!type) {
    try {
      type = parseSparkType(column.type);
    } catch (err) {
      throw new IngestError(`column ${column.name}: ${(err as Error).message}`, { code: 'PARQUET_BAD_TYPE' });
    }
    typeCache.set(column.type, type);
  }
  return type;
}
