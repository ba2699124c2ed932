/**
 * Columns a data test names, checked against what is tested: the column a test is on, the
 * `unique_combination` columns, a relationships test's `field` (against the referenced model or
 * source), the columns an `expression` test's expression reads (analysed like a query over the
 * model), and `accepted_values` on a struct, array or map (Spark cannot compare them with IN).
 * Each problem says where in the test entry it is (a path below the entry), for a located diagnostic.
 */
import type { TestArgs } from '../api/models.js';
import { analyseSql } from '../analyse/analyse-sql.js';
import type { CatalogEntry } from '../analyse/analyser.js';
import { parseTypeName } from '../analyse/sql-types.js';
import { didYouMean } from '../config/suggest.js';
import type { LoadedSource } from '../load/sources.js';
import type { LoadedSeed } from '../load/seeds.js';
import type { ManifestModel } from '../manifest/types.js';
import { ephemeralCteName } from '../resolve/models.js';

export interface TestColumnProblem {
  code: string;
  message: string;
  hint: string;
  /** Below the test entry: e.g. ['unique_combination', 'columns', 1]. */
  path: Array<string | number>;
  /** For an expression: 0-based line and column inside the expression text. */
  within?: { line: number; column: number };
}

interface Columns {
  name: string;
  type: string;
  nullable: boolean;
}

const has = (columns: Columns[], name: string) => columns.some((c) => c.name.toLowerCase() === name.toLowerCase());
const unknown = (what: string, name: string, columns: Columns[], owner: string, path: TestColumnProblem['path']): TestColumnProblem => ({
  code: 'ETL183',
  message: `${what} '${name}' is not a column of ${owner}`,
  hint: didYouMean(name, columns.map((c) => c.name)) || `${owner} has: ${columns.map((c) => c.name).join(', ')}.`,
  path,
});

/** The columns of a model (by name) or source table (`source.table`) a relationships test points to. */
function targetColumns(to: string, models: Map<string, ManifestModel>, sources: LoadedSource[], seeds?: ReadonlyMap<string, LoadedSeed>): Columns[] | undefined {
  const model = models.get(`model.${to}`);
  if (model) return model.columns;
  const seed = seeds?.get(to);
  if (seed) return seed.manifest.columns;
  const source = sources.find((s) => `${s.manifest.sourceName}.${s.manifest.table}` === to);
  return source ? [...source.manifest.columns, ...source.manifest.bronze.metadataColumns] : undefined;
}

export interface TestColumnsInput {
  test: string;
  args: TestArgs;
  column?: string;
  model: ManifestModel;
  models: Map<string, ManifestModel>;
  sources: LoadedSource[];
  seeds?: ReadonlyMap<string, LoadedSeed>;
}

/** Every column problem of one generic test (empty when it names only columns that exist). */
export function testColumnProblems(input: TestColumnsInput): TestColumnProblem[] {
  const { test, args, column, model } = input;
  const out: TestColumnProblem[] = [];
  if (column !== undefined && !has(model.columns, column)) {
    out.push({ code: 'ETL183', message: `Test '${test}' is on column '${column}', which model ${model.name} does not select`, hint: `${didYouMean(column, model.columns.map((c) => c.name))} The model selects: ${model.columns.map((c) => c.name).join(', ')}.`.trim(), path: [] });
    return out;
  }
  if (test === 'unique_combination' && Array.isArray(args.columns)) {
    args.columns.forEach((c, i) => {
      if (!has(model.columns, String(c))) out.push(unknown('unique_combination column', String(c), model.columns, `model ${model.name}`, [test, 'columns', i]));
    });
  }
  if (test === 'relationships' && typeof args.to === 'string' && typeof args.field === 'string') {
    const target = targetColumns(args.to, input.models, input.sources, input.seeds);
    if (target && !has(target, args.field)) out.push(unknown('relationships field', args.field, target, args.to, [test, 'field']));
  }
  if (test === 'accepted_values' && column !== undefined) {
    const type = model.columns.find((c) => c.name.toLowerCase() === column.toLowerCase())!.type;
    if (/^(struct|array|map)\b/i.test(type)) {
      out.push({
        code: 'ETL184',
        message: `accepted_values on column '${column}' of type ${type}: Spark cannot compare ${/^a/i.test(type) ? 'an array' : /^m/i.test(type) ? 'a map' : 'a struct'} with IN`,
        hint: 'Test a field or element instead (an expression test such as `expression: "col.field IN (...)"`), or use not_null.',
        path: [],
      });
    }
  }
  if (test === 'expression' && typeof args.expression === 'string') out.push(...expressionProblems(args.expression, model));
  return out;
}

/** The expression analysed as `SELECT * FROM model AS t WHERE NOT (expression)`: its errors, positioned inside the expression. */
function expressionProblems(expression: string, model: ManifestModel): TestColumnProblem[] {
  const relation = '__tested_model';
  const catalog = new Map<string, CatalogEntry>([[relation, catalogEntry(model.id, model.columns)]]);
  // The expression on lines of its own, so a problem's line and column fall inside it.
  const sql = `SELECT * FROM ${relation} AS t WHERE NOT (\n${expression}\n)`;
  const result = analyseSql({ id: `test.${model.name}`, full: sql, declared: [relation] }, catalog);
  return result.problems
    .filter((p) => p.severity === 'error')
    .map((p) => ({
      code: p.code,
      message: `${p.message} (in the expression test of model ${model.name})`,
      hint: p.hint ?? '',
      path: ['expression', 'expression'],
      within: { line: Math.max(0, p.line - 2), column: p.line >= 2 ? p.column - 1 : 0 },
    }));
}

function catalogEntry(node: string, columns: Columns[]): CatalogEntry {
  return {
    node,
    columns: columns.map((c) => ({ name: c.name, type: parseTypeName(c.type) ?? { kind: 'string' }, nullable: c.nullable, refs: new Set<string>(), classes: new Set() })),
  };
}

/** Every model and source table as the analyser's catalog, for singular tests (which read any of them). */
export function testCatalog(models: Map<string, ManifestModel>, sources: LoadedSource[]): Map<string, CatalogEntry> {
  const catalog = new Map<string, CatalogEntry>();
  for (const m of models.values()) catalog.set((m.relation?.fqn ?? ephemeralCteName(m.name)).toLowerCase(), catalogEntry(m.id, m.columns));
  for (const s of sources) {
    const b = s.manifest.bronze;
    const columns = [...s.manifest.columns, ...b.metadataColumns, ...b.partitionBy.map((name) => ({ name, type: 'date', nullable: false }))];
    catalog.set(b.relation.toLowerCase(), catalogEntry(s.manifest.id, columns));
  }
  return catalog;
}
