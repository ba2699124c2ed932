/** Loads `sources/*.ts` (typed source declarations) into manifest sources. */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatType, isColumnBuilder, type SqlType } from '../api/columns.js';
import { SOURCE_BRAND, type SourceDefinition } from '../api/sources.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { importProjectModule } from './import-project-module.js';
import type { LayerSettings, ManifestColumn, ManifestSource } from '../manifest/types.js';

export interface LoadedSource {
  manifest: ManifestSource;
  /** Declared column types, for the analyser. */
  types: Map<string, SqlType>;
}

const SYSTEMS = new Set(['snowflake', 'salesforce', 'kafka']);

/** Position of the first occurrence of `needle` in `text` (1-based), or the file start. */
export function findPosition(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  if (at < 0) return { line: 1, column: 1 };
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value);
  if (!m) return Number.NaN;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export function bronzeMetadataColumns(system: string): ManifestColumn[] {
  const col = (name: string, type: string, nullable = true): ManifestColumn => ({ name, type, nullable, classification: [] });
  const common = [
    col('_run_id', 'string', false),
    col('_extracted_at', 'timestamp', false),
    col('_source', 'string', false),
    col('_cursor_value', 'string'),
    col('_is_deleted', 'boolean', false),
  ];
  if (system !== 'kafka') return common;
  return [
    ...common,
    col('_topic', 'string', false),
    col('_partition', 'int', false),
    col('_offset', 'bigint', false),
    col('_kafka_timestamp', 'timestamp'),
    col('_key', 'string'),
  ];
}

export async function loadSources(
  projectDir: string,
  bronze: LayerSettings,
  diagnostics: Diagnostic[],
): Promise<LoadedSource[]> {
  const dir = path.join(projectDir, 'sources');
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch {
    return [];
  }
  const out: LoadedSource[] = [];
  const seen = new Map<string, string>();
  for (const name of files) {
    const file = `sources/${name}`;
    const abs = path.join(dir, name);
    const text = await readFile(abs, 'utf8');
    let mod: Record<string, unknown>;
    try {
      mod = await importProjectModule(abs);
    } catch (err) {
      const pos = positionFromStack(err, abs);
      diagnostics.push({
        code: 'ETL110',
        severity: 'error',
        message: `Cannot load source declaration: ${(err as Error).message.split('\n')[0]}`,
        file,
        ...pos,
        frame: codeFrame(text, pos.line, pos.column),
        hint: 'Fix the TypeScript error; `npx tsc --noEmit` shows type errors with positions.',
      });
      continue;
    }
    const defs = Object.values(mod).filter(
      (v): v is SourceDefinition => typeof v === 'object' && v !== null && SOURCE_BRAND in v,
    );
    if (defs.length === 0) {
      diagnostics.push({
        code: 'ETL111',
        severity: 'warning',
        message: `${file} exports no source declared with defineSource()`,
        file,
        line: 1,
        column: 1,
        hint: "Export the declaration: `export default defineSource({...})`.",
      });
    }
    for (const def of defs) {
      if (!SYSTEMS.has(def.system)) {
        const pos = findPosition(text, 'system');
        diagnostics.push({
          code: 'ETL112',
          severity: 'error',
          message: `Unknown source system '${String(def.system)}'`,
          file,
          ...pos,
          frame: codeFrame(text, pos.line, pos.column),
          hint: 'system must be one of snowflake, salesforce, kafka.',
        });
        continue;
      }
      for (const [tableName, table] of Object.entries(def.tables as unknown as Record<string, Record<string, unknown>>)) {
        const id = `source.${def.name}.${tableName}`;
        const tablePos = findPosition(text, `${tableName}:`);
        if (seen.has(id)) {
          diagnostics.push({
            code: 'ETL113',
            severity: 'error',
            message: `Source table ${def.name}.${tableName} is declared twice (also in ${seen.get(id)})`,
            file,
            ...tablePos,
            frame: codeFrame(text, tablePos.line, tablePos.column),
            hint: 'Give each source a unique name, or merge the declarations.',
          });
          continue;
        }
        seen.set(id, file);
        const loaded = toManifestSource(def, tableName, table, file, text, bronze, diagnostics);
        if (loaded) out.push(loaded);
      }
    }
  }
  return out;
}

function toManifestSource(
  def: SourceDefinition,
  tableName: string,
  table: Record<string, unknown>,
  file: string,
  text: string,
  bronze: LayerSettings,
  diagnostics: Diagnostic[],
): LoadedSource | undefined {
  const tableAt = text.indexOf(`${tableName}:`);
  const at = (needle: string) => findPosition(text, needle, Math.max(0, tableAt));
  const error = (code: string, message: string, needle: string, hint: string) => {
    const pos = at(needle);
    diagnostics.push({ code, severity: 'error', message, file, ...pos, frame: codeFrame(text, pos.line, pos.column), hint });
  };
  const columnsIn = (table.columns ?? {}) as Record<string, unknown>;
  const columns: ManifestSource['columns'] = [];
  const types = new Map<string, SqlType>();
  for (const [name, builder] of Object.entries(columnsIn)) {
    if (!isColumnBuilder(builder)) {
      error('ETL114', `Column ${name} of ${def.name}.${tableName} is not a typed column`, `${name}:`, 'Declare it with a type builder, e.g. t.string().');
      continue;
    }
    const spec = builder.spec;
    types.set(name, spec.type);
    columns.push({
      name,
      type: formatType(spec.type),
      nullable: spec.nullable,
      primaryKey: spec.primaryKey,
      classification: [...spec.classification],
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.sourceName ? { sourceName: spec.sourceName } : {}),
    });
  }
  const names = new Set(columns.map((c) => c.name));
  const checkColumn = (key: string) => {
    const value = table[key];
    if (typeof value === 'string' && !names.has(value)) {
      error('ETL115', `${key} '${value}' of ${def.name}.${tableName} is not one of its columns`, `${key}:`, `Use one of: ${[...names].join(', ')}.`);
    }
  };
  for (const key of ['cursor', 'keyColumn', 'eventTimeColumn']) checkColumn(key);
  const freshnessIn = table.freshness as { loadedAtColumn?: string; warnAfter?: string; errorAfter?: string } | undefined;
  let freshness: ManifestSource['freshness'];
  if (freshnessIn) {
    const loadedAtColumn = freshnessIn.loadedAtColumn ?? (table.eventTimeColumn as string | undefined) ?? (table.cursor as string | undefined);
    const warn = parseDuration(freshnessIn.warnAfter);
    const err = parseDuration(freshnessIn.errorAfter);
    if (Number.isNaN(warn) || Number.isNaN(err)) {
      error('ETL116', `Freshness of ${def.name}.${tableName} has an invalid duration`, 'freshness', "Durations look like '30m', '2h' or '1d'.");
    } else if (!loadedAtColumn) {
      error('ETL116', `Freshness of ${def.name}.${tableName} needs a cursor or loadedAtColumn`, 'freshness', 'Set cursor on the table or freshness.loadedAtColumn.');
    } else {
      freshness = { loadedAtColumn, ...(warn ? { warnAfterSeconds: warn } : {}), ...(err ? { errorAfterSeconds: err } : {}) };
    }
  }
  if (columns.length === 0) {
    error('ETL114', `Source table ${def.name}.${tableName} declares no columns`, `${tableName}:`, 'Declare its columns with types.');
  }
  const { tables: _tables, connection, name: sourceName, system, description: _d, owner, ...restSource } = def as SourceDefinition & Record<string, unknown>;
  void _tables;
  void _d;
  void restSource;
  const { columns: _c, description, cursor, freshness: _f, bronze: bronzeIn, drift, owner: tableOwner, tags, ...settings } = table;
  void _c;
  void _f;
  const bronzeLayout = (bronzeIn ?? {}) as { partitionBy?: string[]; table?: string };
  const bronzeTable = bronzeLayout.table ?? `${sourceName}_${tableName}`;
  const location = `${bronze.root}/${sourceName}/${tableName}`;
  const metadataColumns = bronzeMetadataColumns(system);
  const partitionBy = bronzeLayout.partitionBy ?? ['ingest_date'];
  const relation = `${bronze.database}.${bronzeTable}`;
  const columnDdl = [...columns, ...metadataColumns]
    .map((c) => `  \`${c.name}\` ${c.type}`)
    .concat(partitionBy.map((p) => `  \`${p}\` date`))
    .join(',\n');
  const statements = [
    `CREATE DATABASE IF NOT EXISTS ${bronze.database}`,
    `CREATE TABLE IF NOT EXISTS ${relation} (\n${columnDdl}\n)\nUSING PARQUET\nPARTITIONED BY (${partitionBy.map((p) => `\`${p}\``).join(', ')})\nLOCATION '${location}'`,
    `ALTER TABLE ${relation} RECOVER PARTITIONS`,
  ];
  const id = `source.${sourceName}.${tableName}`;
  const manifest: ManifestSource = {
    id,
    sourceName,
    table: tableName,
    system,
    file,
    ...(typeof description === 'string' ? { description } : def.description ? { description: def.description } : {}),
    ...((tableOwner ?? owner) ? { owner: String(tableOwner ?? owner) } : {}),
    tags: Array.isArray(tags) ? (tags as string[]) : [],
    connection: connection as unknown as Record<string, unknown>,
    settings: settings as Record<string, unknown>,
    columns,
    primaryKey: columns.filter((c) => c.primaryKey).map((c) => c.name),
    ...(typeof cursor === 'string' ? { cursor } : {}),
    ...(freshness ? { freshness } : {}),
    drift: (drift as ManifestSource['drift']) ?? 'fail',
    bronze: { database: bronze.database, table: bronzeTable, relation, location, format: 'parquet', partitionBy, metadataColumns, statements },
    ingestionJob: `target/ingestion/${id}.json`,
    checksum: '',
  };
  manifest.checksum = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  return { manifest, types };
}

/** Best-effort position of a load error inside the declaring file, from the error's stack. */
export function positionFromStack(err: unknown, absFile: string): { line: number; column: number } {
  const stack = (err as Error)?.stack ?? '';
  const url = pathToFileURL(absFile).href;
  for (const candidate of [url, absFile]) {
    const re = new RegExp(`${candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`);
    const m = re.exec(stack);
    if (m) return { line: Number(m[1]), column: Number(m[2]) };
  }
  return { line: 1, column: 1 };
}
