/**
 * Loads `seeds/`: each CSV with its declaration (`seeds/<name>.ts`, `defineSeed`). The header must
 * name exactly the declared columns; every field is typed by its column (seed-values.ts). Problems
 * are reported at the field, row or header cell where they are (ETL410-ETL419); a seed with any is
 * left out, and models reading it are cascades of that error.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatType, isColumnBuilder, type ColumnSpec, type SqlType } from '../api/columns.js';
import { SEED_BRAND, type SeedDeclaration } from '../api/seeds.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { LayerName, LayerSettings } from '../manifest/types.js';
import type { ManifestSeed } from '../manifest/seed-schema.js';
import { columnNameProblem, identifierProblem } from '../security/names.js';
import { declarationKeys, DeclarationKeys } from './declaration-positions.js';
import { importProjectModule } from './import-project-module.js';
import { readCsv, type CsvField } from './seed-csv.js';
import { seedTypeSupported, typedValue, type SeedValue } from './seed-values.js';
import { positionFromStack } from './sources.js';
import { withoutBom } from './text-file.js';

export interface LoadedSeed {
  manifest: ManifestSeed;
  /** Declared column types, for the analyser. */
  types: Map<string, SqlType>;
  /** The typed rows, keyed by column name. */
  rows: Array<Record<string, SeedValue>>;
}

interface Site {
  file: string;
  text: string;
}

const at = (site: Site, code: string, message: string, pos: { line: number; column: number }, hint: string, severity: Diagnostic['severity'] = 'error'): Diagnostic => ({
  code,
  severity,
  message,
  file: site.file,
  ...pos,
  frame: codeFrame(site.text, pos.line, pos.column),
  hint,
});

/** A seed that failed to load (reported): models reading it are cascades of that error. */
export interface FailedSeed {
  name: string;
  file: string;
}

/** Every seed of `seeds/` with a declaration and a CSV that reads clean; the others are added to `failed`. */
export async function loadSeeds(projectDir: string, layers: Record<LayerName, LayerSettings>, diagnostics: Diagnostic[], failed: FailedSeed[] = []): Promise<LoadedSeed[]> {
  const dir = path.join(projectDir, 'seeds');
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const declarations = names.filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'));
  const csvs = new Set(names.filter((f) => f.endsWith('.csv')));
  const pending: Array<Promise<LoadedSeed | undefined>> = [];
  for (const name of declarations) {
    const file = `seeds/${name}`;
    const abs = path.join(dir, name);
    const site = { file, text: withoutBom(await readFile(abs, 'utf8')) };
    let mod: Record<string, unknown>;
    try {
      mod = await importProjectModule(abs);
    } catch (err) {
      diagnostics.push(at(site, 'ETL418', `Cannot load seed declaration: ${(err as Error).message.split('\n')[0]}`, positionFromStack(err, abs), 'Fix the TypeScript error; `npx tsc --noEmit` shows type errors with positions.'));
      continue;
    }
    const calls = declarationKeys(site.text, 'defineSeed');
    const defs = Object.values(mod).filter((v): v is SeedDeclaration => typeof v === 'object' && v !== null && SEED_BRAND in v);
    if (defs.length === 0) diagnostics.push(at(site, 'ETL418', `${file} exports no seed declared with defineSeed()`, { line: 1, column: 1 }, 'Export the declaration: `export default defineSeed({ columns: {...} })`.'));
    defs.forEach((def, i) => {
      const keys = calls[i] ?? new DeclarationKeys({ line: 1, column: 1 });
      const seedName = def.name ?? path.basename(name, path.extname(name));
      const csvName = def.csv ?? `${seedName}.csv`;
      csvs.delete(csvName);
      pending.push(
        loadSeed(projectDir, { def, seedName, csvName, site, keys, layers }, diagnostics).then((s) => {
          if (!s) failed.push({ name: seedName, file });
          return s;
        }),
      );
    });
  }
  const settled = await Promise.all(pending);
  for (const csv of csvs) {
    const site = { file: `seeds/${csv}`, text: withoutBom(await readFile(path.join(dir, csv), 'utf8')) };
    const stem = path.basename(csv, '.csv');
    diagnostics.push(at(site, 'ETL410', `Seed ${csv} has no declaration: its column types are unknown`, { line: 1, column: 1 }, `Declare it in seeds/${stem}.ts: export default defineSeed({ columns: { id: t.string().primaryKey(), ... } }).`));
  }
  return settled.filter((s): s is LoadedSeed => s !== undefined);
}

interface SeedInput {
  def: SeedDeclaration;
  seedName: string;
  csvName: string;
  site: Site;
  keys: DeclarationKeys;
  layers: Record<LayerName, LayerSettings>;
}

/** One declaration and its CSV: columns checked, rows typed; undefined when anything is wrong (reported). */
async function loadSeed(projectDir: string, input: SeedInput, diagnostics: Diagnostic[]): Promise<LoadedSeed | undefined> {
  const { def, seedName, csvName, site, keys } = input;
  const problems: Diagnostic[] = [];
  const nameProblem = identifierProblem(seedName);
  if (nameProblem) problems.push(at(site, 'ETL419', `Seed name: ${nameProblem}`, keys.positionOf(['name']), 'Seed names become table names: use letters, digits and underscores.'));
  const columns = declaredColumns(input, problems);
  let csvText: string;
  try {
    csvText = withoutBom(await readFile(path.join(projectDir, 'seeds', csvName), 'utf8'));
  } catch {
    problems.push(at(site, 'ETL410', `Seed ${seedName}: seeds/${csvName} does not exist`, def.csv ? keys.positionOf(['csv'], 'value') : keys.start, `Add seeds/${csvName} (a header line naming the columns, then the rows), or point csv: at the file.`));
    diagnostics.push(...problems);
    return undefined;
  }
  const csv = { file: `seeds/${csvName}`, text: csvText };
  const rows = columns ? typedRows(csv, seedName, columns, def.delimiter ?? ',', problems) : undefined;
  diagnostics.push(...problems);
  if (!columns || !rows || problems.some((p) => p.severity === 'error')) return undefined;
  return { manifest: manifestSeed(input, csv, columns, rows.length), types: new Map(columns.map((c) => [c.name, c.spec.type])), rows };
}

interface DeclaredColumn {
  name: string;
  spec: ColumnSpec;
}

function declaredColumns(input: SeedInput, problems: Diagnostic[]): DeclaredColumn[] | undefined {
  const { def, seedName, site, keys } = input;
  const out: DeclaredColumn[] = [];
  for (const [name, builder] of Object.entries(def.columns ?? {})) {
    const pos = keys.positionOf(['columns', name]);
    if (!isColumnBuilder(builder)) {
      problems.push(at(site, 'ETL419', `Column '${name}' of seed ${seedName} is not a column type`, pos, 'Declare it with t: e.g. t.string(), t.int(), t.decimal(18, 2).'));
      continue;
    }
    const bad = columnNameProblem(name);
    if (bad) problems.push(at(site, 'ETL419', `Column of seed ${seedName}: ${bad}`, pos, 'Rename the column: names become quoted identifiers in Spark SQL.'));
    else if (!seedTypeSupported(builder.spec.type)) problems.push(at(site, 'ETL419', `Column '${name}' of seed ${seedName} is ${formatType(builder.spec.type)}: a CSV field holds one value`, pos, 'Seeds take strings, integers, doubles, booleans, decimals, dates and timestamps.'));
    else out.push({ name, spec: builder.spec });
  }
  if (out.length === 0 && problems.length === 0) problems.push(at(site, 'ETL419', `Seed ${seedName} declares no columns`, keys.positionOf(['columns']), 'Declare every CSV column with its type, e.g. code: t.string().primaryKey().'));
  return problems.length ? undefined : out;
}

/** The CSV's rows typed by the declared columns; header, row-length and value problems located. */
function typedRows(csv: Site, seed: string, columns: DeclaredColumn[], delimiter: string, problems: Diagnostic[]): Array<Record<string, SeedValue>> | undefined {
  const read = readCsv(csv.text, delimiter);
  if (!read.ok) {
    problems.push(at(csv, 'ETL417', `Seed ${seed}: the CSV does not parse: ${read.message}`, read, 'Close every quoted field; a field holding a quote writes it twice ("").'));
    return undefined;
  }
  const [header, ...records] = read.records;
  if (!header) {
    problems.push(at(csv, 'ETL411', `Seed ${seed}: ${csv.file} is empty; its header must name the columns`, { line: 1, column: 1 }, `Write the header: ${columns.map((c) => c.name).join(delimiter)}`));
    return undefined;
  }
  const names = header.fields.map((f) => f.text.trim());
  const declared = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  header.fields.forEach((f, i) => {
    if (!declared.has(names[i]!.toLowerCase())) problems.push(at(csv, 'ETL412', `Seed ${seed}: header column '${names[i]}' is not declared`, f, `Declare it in the seed's columns, or remove it. Declared: ${columns.map((c) => c.name).join(', ')}.`));
  });
  for (const c of columns) {
    if (!names.some((n) => n.toLowerCase() === c.name.toLowerCase())) {
      const end = header.fields[header.fields.length - 1]!;
      problems.push(at(csv, 'ETL411', `Seed ${seed}: declared column '${c.name}' is missing from the CSV header`, { line: header.line, column: end.column + end.text.length }, `Add ${c.name} to the header line (and a value to every row), or remove it from the declaration.`));
    }
  }
  if (problems.length) return undefined;
  const order = names.map((n) => declared.get(n.toLowerCase())!);
  const rows: Array<Record<string, SeedValue>> = [];
  for (const r of records) {
    if (r.fields.length !== order.length) {
      const pos = r.fields.length > order.length ? r.fields[order.length]! : { line: r.line, column: 1 };
      problems.push(at(csv, 'ETL413', `Seed ${seed}: row has ${r.fields.length} fields, the header ${order.length}`, pos, `Every row has one field per header column: ${names.join(delimiter)}`));
      continue;
    }
    rows.push(typedRow(csv, seed, order, r.fields, problems));
  }
  return rows;
}

function typedRow(csv: Site, seed: string, order: DeclaredColumn[], fields: CsvField[], problems: Diagnostic[]): Record<string, SeedValue> {
  const row: Record<string, SeedValue> = {};
  fields.forEach((f, i) => {
    const c = order[i]!;
    const typed = typedValue(f.text, c.spec.type);
    if (!typed.ok) problems.push(at(csv, 'ETL414', `Seed ${seed}: '${f.text}' in column ${c.name} is not ${typed.expected}`, f, `Write ${c.name} as ${typed.expected}, or change its declared type.`));
    else if (typed.value === null && !c.spec.nullable) problems.push(at(csv, 'ETL415', `Seed ${seed}: column ${c.name} is declared not null but this row leaves it empty`, f, `Give ${c.name} a value, or drop .notNull()/.primaryKey() from its declaration.`));
    else row[c.name] = typed.value;
  });
  return row;
}

function manifestSeed(input: SeedInput, csv: Site, columns: DeclaredColumn[], rowCount: number): ManifestSeed {
  const { def, seedName, site, layers } = input;
  const layer = def.layer ?? 'silver';
  const settings = layers[layer];
  const manifest: ManifestSeed = {
    id: `seed.${seedName}`,
    name: seedName,
    file: site.file,
    csv: csv.file,
    ...(def.description ? { description: def.description } : {}),
    ...(def.owner ? { owner: def.owner } : {}),
    tags: def.tags ?? [],
    layer,
    columns: columns.map((c) => ({
      name: c.name,
      type: formatType(c.spec.type),
      nullable: c.spec.nullable,
      classification: [...c.spec.classification],
      ...(c.spec.description ? { description: c.spec.description } : {}),
      primaryKey: c.spec.primaryKey,
    })),
    primaryKey: columns.filter((c) => c.spec.primaryKey).map((c) => c.name),
    relation: { database: settings.database, table: seedName, fqn: `${settings.database}.${seedName}`, location: `${settings.root}/seeds/${seedName}` },
    rowCount,
    checksum: '',
  };
  manifest.checksum = createHash('sha256').update(JSON.stringify(manifest)).update(csv.text).digest('hex').slice(0, 16);
  return manifest;
}
