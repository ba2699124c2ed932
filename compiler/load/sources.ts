/**
 * Loads `sources/*.ts` (typed source declarations) into manifest sources. Each declaration is
 * checked against its system's schema (source-schema.ts, from the connector registry) before
 * anything is derived from it, so a typo is a diagnostic at its key, never silently ignored.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatType, isColumnBuilder, type SqlType } from '../api/columns.js';
import { SOURCE_BRAND } from '../api/sources.js';
import { didYouMean } from '../config/suggest.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { LayerSettings, ManifestColumn, ManifestSource } from '../manifest/types.js';
import { bronzeMetadataColumns as metadataColumnsOf, connectorFor, SYSTEM_NAMES } from '../../connectors/registry.js';
import type { ConnectorDefinition } from '../../connectors/definition.js';
import { durationSeconds } from '../../connectors/definition.js';
import { declaredSecrets } from '../security/declared-secrets.js';
import { columnNameProblem, identifierLike, identifierProblem } from '../security/names.js';
import { declarationKeys, DeclarationKeys } from './declaration-positions.js';
import { importProjectModule } from './import-project-module.js';
import { withoutBom } from './text-file.js';
import { declarationDiagnostics, sourceSchemaFor, systemSettings, tableSchemaFor, type DeclarationSite, type TableDeclaration } from './source-schema.js';

export interface LoadedSource {
  manifest: ManifestSource;
  /** Declared column types, for the analyser. */
  types: Map<string, SqlType>;
}

/** Position of the first occurrence of `needle` in `text` (1-based), or the file start. */
export function findPosition(text: string, needle: string, from = 0): { line: number; column: number } {
  const at = text.indexOf(needle, from);
  if (at < 0) return { line: 1, column: 1 };
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - before.lastIndexOf('\n') };
}

/** Metadata columns of a bronze table of `system` (none for an unknown system). */
export function bronzeMetadataColumns(system: string): ManifestColumn[] {
  const connector = connectorFor(system);
  return connector ? metadataColumnsOf(connector) : [];
}

/** A source table (or a whole source, `table` undefined) whose declaration failed to load, reported where it failed. */
export interface FailedSource {
  source: string;
  table?: string;
  file: string;
  /** Where the failed declaration (or table) is written. */
  line: number;
  column: number;
}

/**
 * Loads every declaration of sources/. What failed is added to `failed`, so models reading it are
 * cascades of that error rather than "unknown source" errors of their own.
 */
export async function loadSources(projectDir: string, bronze: LayerSettings, diagnostics: Diagnostic[], failed: FailedSource[] = []): Promise<LoadedSource[]> {
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
    const text = withoutBom(await readFile(abs, 'utf8'));
    let mod: Record<string, unknown>;
    try {
      mod = await importProjectModule(abs);
    } catch (err) {
      // The declaration's names are unknown when its file does not load: sources are usually named after their file.
      const pos = positionFromStack(err, abs);
      failed.push({ source: path.basename(name, path.extname(name)), file, ...pos });
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
    const defs = Object.values(mod).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && SOURCE_BRAND in v);
    if (defs.length === 0) {
      diagnostics.push({
        code: 'ETL111',
        severity: 'warning',
        message: `${file} exports no source declared with defineSource()`,
        file,
        line: 1,
        column: 1,
        hint: 'Export the declaration: `export default defineSource({...})`.',
      });
    }
    const calls = declarationKeys(text);
    for (const def of defs) {
      const keys = declarationOf(def, calls);
      const site: DeclarationSite = { file, text, keys, sourceName: String(def.name) };
      const declared = loadDeclaration(def, site, bronze, diagnostics);
      const tables = typeof def.tables === 'object' && def.tables !== null ? Object.keys(def.tables) : undefined;
      if (!tables) failed.push({ source: String(def.name), file, ...keys.start });
      for (const t of tables ?? []) if (!declared.some((l) => l.manifest.table === t)) failed.push({ source: String(def.name), table: t, file, ...keys.positionOf(['tables', t]) });
      for (const loaded of declared) {
        // Spark and Glue ignore case: shop.Orders and shop.orders would be one bronze table.
        const id = loaded.manifest.id.toLowerCase();
        if (seen.has(id)) {
          const pos = keys.positionOf(['tables', loaded.manifest.table]);
          diagnostics.push({
            code: 'ETL113',
            severity: 'error',
            message: `Source table ${loaded.manifest.sourceName}.${loaded.manifest.table} is declared twice (also in ${seen.get(id)})`,
            file,
            ...pos,
            frame: codeFrame(text, pos.line, pos.column),
            hint: 'Give each source a unique name, or merge the declarations.',
          });
          continue;
        }
        seen.set(id, file);
        out.push(loaded);
      }
    }
  }
  return out;
}

/**
 * The `defineSource(...)` call that made `def`: by its literal name, else (a computed name) by its
 * system and table keys, else the only call of the file; never the top of the file, which is
 * usually a doc comment.
 */
function declarationOf(def: Record<string, unknown>, calls: DeclarationKeys[]): DeclarationKeys {
  const byName = calls.find((c) => c.name === def.name);
  if (byName) return byName;
  if (calls.length === 1) return calls[0]!;
  const tables = typeof def.tables === 'object' && def.tables !== null ? Object.keys(def.tables) : [];
  const fits = (c: DeclarationKeys) =>
    c.entries.get('system')?.literal === def.system && tables.every((t) => c.entries.has(`tables.${t}`));
  return calls.filter((c) => c.name === undefined).find(fits) ?? calls.find(fits) ?? calls[0] ?? new DeclarationKeys({ line: 1, column: 1 });
}

/** One `defineSource(...)` value: its system, its own keys, then each table on its own. */
function loadDeclaration(def: Record<string, unknown>, site: DeclarationSite, bronze: LayerSettings, diagnostics: Diagnostic[]): LoadedSource[] {
  const connector = connectorFor(String(def.system));
  if (!connector) {
    const pos = site.keys.positionOf(['system'], 'value');
    diagnostics.push({
      code: 'ETL112',
      severity: 'error',
      message: `Unknown source system '${String(def.system)}' in source ${site.sourceName}`,
      file: site.file,
      ...pos,
      frame: codeFrame(site.text, pos.line, pos.column),
      hint: `${didYouMean(String(def.system), SYSTEM_NAMES)} system must be one of ${SYSTEM_NAMES.join(', ')}.`.trim(),
    });
    return [];
  }
  // Secrets first: a literal password is reported as such, not as "expected object" from the schema.
  const secrets = declaredSecrets(def, site.sourceName);
  for (const f of secrets) diagnostics.push(located(site, f.code, f.message, f.path, 'value', f.hint));
  const reported = new Set(secrets.map((f) => f.path.join('.')));
  const sourceSchema = sourceSchemaFor(connector);
  const parsed = sourceSchema.safeParse(def);
  if (!parsed.success) {
    const problems = declarationDiagnostics(sourceSchema, def, parsed.error, [], site, reported);
    diagnostics.push(...problems);
    // Only the secrets were wrong: the tables are still checked, so one run reports everything.
    if (problems.length || secrets.length === 0) return [];
  }
  const data = parsed.success ? parsed.data : (def as z.output<typeof sourceSchema>);
  const tableSchema = tableSchemaFor(connector);
  const out: LoadedSource[] = [];
  for (const [tableName, tableIn] of Object.entries(data.tables)) {
    const badKey = identifierProblem(tableName);
    if (badKey) {
      const hint = `The table key names the bronze table, its folder and target/ingestion/ file: rename it, e.g. to ${identifierLike(tableName)} (the system's own name goes in its settings, e.g. table: or object:).`;
      diagnostics.push(located(site, 'ETL190', `Table key of source ${site.sourceName}: ${badKey}`, ['tables', tableName], 'key', hint));
      continue;
    }
    const table = tableSchema.safeParse(tableIn);
    if (!table.success) {
      diagnostics.push(...declarationDiagnostics(tableSchema, tableIn, table.error, ['tables', tableName], site));
      continue;
    }
    const source = { name: data.name, connection: data.connection as Record<string, unknown>, ...optional('description', data.description), ...optional('owner', data.owner) };
    const loaded = toManifestSource(connector, source, tableName, table.data, site, bronze, diagnostics);
    if (loaded) out.push(loaded);
  }
  // Checked to the end so every problem is reported; nothing with a literal secret goes further.
  return secrets.length ? [] : out;
}

/** A diagnostic at the key or value at `path` of the declaration. */
function located(site: DeclarationSite, code: string, message: string, path: Array<string | number>, at: 'key' | 'value', hint: string): Diagnostic {
  const pos = site.keys.positionOf(path, at);
  return { code, severity: 'error', message, file: site.file, ...pos, frame: codeFrame(site.text, pos.line, pos.column), hint };
}

/**
 * ETL119: a column written twice in one `columns: {...}` (JavaScript keeps the second, so the first's
 * primary key or type is silently lost), or two columns differing only in case (Spark and Glue
 * resolve names case-insensitively: they are one column). At the second declaration, the first related.
 */
function reportColumnClashes(site: DeclarationSite, table: string, tableKey: string, diagnostics: Diagnostic[]): void {
  const prefix = ['tables', tableKey, 'columns'];
  const clash = (name: string, message: string, hint: string, first: { line: number; column: number }, second: { line: number; column: number }) =>
    diagnostics.push({
      code: 'ETL119',
      severity: 'error',
      message,
      file: site.file,
      ...second,
      frame: codeFrame(site.text, second.line, second.column),
      hint,
      related: [{ file: site.file, ...first, message: `'${name}' first declared here` }],
    });
  for (const d of site.keys.duplicates) {
    if (d.path.length !== 4 || d.path.slice(0, 3).join('.') !== prefix.join('.')) continue;
    const name = d.path[3]!;
    clash(name, `Column '${name}' of ${table} is declared twice: the second declaration replaces the first`, `Keep one declaration of ${name}, with everything it needs (its type, .primaryKey(), classification).`, d.first, d.second);
  }
  const byLower = new Map<string, string>();
  for (const [key] of site.keys.entries) {
    const path = key.split('.');
    if (path.length !== 4 || path.slice(0, 3).join('.') !== prefix.join('.')) continue;
    const name = path[3]!;
    const other = byLower.get(name.toLowerCase());
    if (other === undefined) byLower.set(name.toLowerCase(), name);
    else if (other !== name) {
      const first = site.keys.positionOf([...prefix, other]);
      clash(other, `Columns '${other}' and '${name}' of ${table} differ only in case: Spark and Glue resolve names case-insensitively, so they are one column`, `Rename '${name}' (e.g. to ${name.toLowerCase()}_2), or map it from the system's own name with .from('${name}').`, first, site.keys.positionOf([...prefix, name]));
    }
  }
}

/** Column names (no control characters), `.from()` names and struct field names (identifiers). */
function columnNameProblems(name: string, type: SqlType, sourceName: string | undefined): string | undefined {
  const own = columnNameProblem(name) ?? (sourceName === undefined ? undefined : columnNameProblem(sourceName));
  if (own) return own;
  const fields = (t: SqlType): string | undefined => {
    if (t.kind === 'struct') for (const f of t.fields) { const p = identifierProblem(f.name) ?? fields(f.type); if (p) return `struct field ${p}`; }
    if (t.kind === 'array') return fields(t.element);
    if (t.kind === 'map') return fields(t.value);
    return undefined;
  };
  return fields(type);
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

interface SourceLevel {
  name: string;
  connection: Record<string, unknown>;
  description?: string;
  owner?: string;
}

function toManifestSource(
  connector: ConnectorDefinition,
  source: SourceLevel,
  tableName: string,
  table: TableDeclaration,
  site: DeclarationSite,
  bronze: LayerSettings,
  diagnostics: Diagnostic[],
): LoadedSource | undefined {
  const error = (code: string, message: string, key: string, hint: string) => {
    const pos = site.keys.positionOf(['tables', tableName, key], 'value');
    diagnostics.push({ code, severity: 'error', message, file: site.file, ...pos, frame: codeFrame(site.text, pos.line, pos.column), hint });
  };
  const columns: ManifestSource['columns'] = [];
  const types = new Map<string, SqlType>();
  for (const [name, builder] of Object.entries(table.columns)) {
    if (!isColumnBuilder(builder)) continue; // the schema has reported it (ETL114)
    if (columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) continue; // the same column in Spark: ETL119
    const spec = builder.spec;
    const badName = columnNameProblems(name, spec.type, spec.sourceName);
    if (badName) {
      diagnostics.push(located(site, 'ETL190', `Column of ${source.name}.${tableName}: ${badName}`, ['tables', tableName, 'columns', name], 'key', 'Rename the column: names become quoted identifiers in Spark SQL and field names in the bronze files.'));
      return undefined;
    }
    types.set(name, spec.type);
    columns.push({
      name,
      type: formatType(spec.type),
      nullable: spec.nullable,
      primaryKey: spec.primaryKey,
      classification: [...spec.classification],
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.sourceName ? { sourceName: spec.sourceName } : {}),
      ...(spec.subject ? { subject: { kind: spec.subject.kind, key: spec.subject.key ?? name } } : {}),
    });
  }
  reportColumnClashes(site, `${source.name}.${tableName}`, tableName, diagnostics);
  if (columns.length === 0) {
    error('ETL114', `Source table ${source.name}.${tableName} declares no columns`, 'columns', 'Declare its columns with types, e.g. id: t.string().primaryKey().');
    return undefined;
  }
  const names = columns.map((c) => c.name);
  let ok = true;
  for (const key of ['cursor', ...connector.columnSettings]) {
    const value = (table as Record<string, unknown>)[key];
    if (typeof value === 'string' && !names.includes(value)) {
      error('ETL115', `${key} '${value}' of ${source.name}.${tableName} is not one of its columns`, key, didYouMean(value, names) || `Use one of: ${names.join(', ')}.`);
      ok = false;
    }
  }
  const freshness = freshnessOf(table, `${source.name}.${tableName}`, (message, hint) => error('ETL116', message, 'freshness', hint));
  if (!ok || freshness === false) return undefined;

  const bronzeTable = table.bronze?.table ?? `${source.name}_${tableName}`;
  const location = `${bronze.root}/${source.name}/${tableName}`;
  const metadataColumns = metadataColumnsOf(connector);
  const partitionBy = table.bronze?.partitionBy ?? ['ingest_date'];
  const relation = `${bronze.database}.${bronzeTable}`;
  const id = `source.${source.name}.${tableName}`;
  const manifest: ManifestSource = {
    id,
    sourceName: source.name,
    table: tableName,
    system: connector.system,
    file: site.file,
    ...optional('description', table.description ?? source.description),
    ...optional('owner', table.owner ?? source.owner),
    tags: table.tags ?? [],
    connection: source.connection,
    settings: systemSettings(table),
    columns,
    primaryKey: columns.filter((c) => c.primaryKey).map((c) => c.name),
    ...optional('cursor', table.cursor),
    ...(freshness ? { freshness } : {}),
    drift: table.drift ?? 'fail',
    ...optional('schedule', table.schedule),
    bronze: {
      database: bronze.database,
      table: bronzeTable,
      relation,
      location,
      format: 'parquet',
      partitionBy,
      metadataColumns,
    },
    ingestionJob: `target/ingestion/${id}.json`,
    checksum: '',
  };
  manifest.checksum = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 16);
  return { manifest, types };
}

/** The manifest's freshness, undefined when none is declared, false when it is unusable (reported). */
function freshnessOf(table: TableDeclaration, name: string, report: (message: string, hint: string) => void): ManifestSource['freshness'] | false {
  if (!table.freshness) return undefined;
  const eventTime = (table as Record<string, unknown>).eventTimeColumn;
  const loadedAtColumn = table.freshness.loadedAtColumn ?? (typeof eventTime === 'string' ? eventTime : undefined) ?? table.cursor;
  if (!loadedAtColumn) {
    report(`Freshness of ${name} needs a cursor or loadedAtColumn`, 'Set cursor on the table or freshness.loadedAtColumn.');
    return false;
  }
  const warn = durationSeconds(table.freshness.warnAfter);
  const err = durationSeconds(table.freshness.errorAfter);
  return { loadedAtColumn, ...(warn ? { warnAfterSeconds: warn } : {}), ...(err ? { errorAfterSeconds: err } : {}) };
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
