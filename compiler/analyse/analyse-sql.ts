/**
 * Parse and analyse one model's rendered SQL. Pure and serialisable in and out, so it runs the
 * same in the main thread and in the worker pool.
 */
import type { Classification, SqlType } from '../api/columns.js';
import { QueryAnalyser, type AnalysedColumn, type CatalogEntry, type Problem } from './analyser.js';
import { leftmostSpan } from './ast.js';
import { parseSparkQuery, type QueryParse } from './parse.js';
import { declassified } from './mask-shapes.js';
import type { SnapshotSpec } from '../config/snapshot-config.js';
import { withSnapshotColumns } from './snapshot-columns.js';

export interface SerialColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  refs: string[];
  classes: Classification[];
  /** Masks applied on the way (mask-shapes.ts). */
  masks?: string[];
  /** Where the SELECT list defines the column, in the rendered SQL (1-based); not restored into catalogs. */
  at?: { line: number; column: number };
  /** What `declassify:` removed (absent: not declassified); not restored into catalogs. */
  declassified?: Classification[];
}

export interface SerialCatalogEntry {
  relation: string;
  node: string;
  columns: SerialColumn[];
  opaque?: boolean;
}

export interface SqlAnalysisRequest {
  id: string;
  full: string;
  /** The is_incremental form, when it differs from the full one. */
  incremental?: string;
  /** The model's own table (`{{this}}`), which the incremental form may read. */
  self?: string;
  /** Relations (lower-case) the model reached through ref/source; others read by name are errors. */
  declared?: string[];
  /** A snapshot's strategy and key: its history columns are added to the query's. */
  snapshot?: SnapshotSpec;
  /** Columns the model declassifies (`declassify:` config): they lose their classification here and downstream. */
  declassify?: string[];
}

export interface SqlAnalysisResult {
  id: string;
  /** Positions are in the rendered SQL of `form`; the caller maps them to the template. */
  problems: Array<Problem & { form: 'full' | 'incremental' }>;
  /** Absent when the SQL could not be analysed (syntax error, or errors in the query). */
  columns?: SerialColumn[];
  rowDeps?: Array<[string, string[]]>;
}

export const toSerialColumn = (c: AnalysedColumn): SerialColumn => ({ name: c.name, type: c.type, nullable: c.nullable, refs: [...c.refs], classes: [...c.classes], ...(c.masks?.size ? { masks: [...c.masks].sort() } : {}), ...(c.at ? { at: c.at } : {}), ...(c.declassified ? { declassified: c.declassified } : {}) });
/** `at` stays behind: a position in one model's SQL means nothing to the models reading it. */
export const fromSerialColumn = (c: SerialColumn): AnalysedColumn => ({ name: c.name, type: c.type, nullable: c.nullable, refs: new Set(c.refs), classes: new Set(c.classes), ...(c.masks?.length ? { masks: new Set(c.masks) } : {}) });

export function toCatalogEntry(e: SerialCatalogEntry): CatalogEntry {
  return { node: e.node, columns: e.columns.map(fromSerialColumn), ...(e.opaque ? { opaque: true } : {}) };
}

/**
 * Never throws: an internal error while analysing a model is that model's ETL199 (a bug in the
 * tool, reported at the model), and the other models are analysed as usual.
 */
export function analyseSql(request: SqlAnalysisRequest, catalog: Map<string, CatalogEntry>): SqlAnalysisResult {
  try {
    return analyseForms(request, catalog);
  } catch (err) {
    return { id: request.id, problems: [internalError(err instanceof Error ? `${err.name}: ${err.message}` : String(err))] };
  }
}

function internalError(reason: string): SqlAnalysisResult['problems'][number] {
  return {
    form: 'full',
    code: 'ETL199',
    severity: 'error',
    message: `Internal error while analysing this model (a bug in lakehouse-etl, not in the model): ${reason}`,
    hint: "Please report it with this model's SQL; the other models were analysed as usual.",
    line: 1,
    column: 1,
  };
}

type Parsed = Extract<QueryParse, { ok: true }>;

/** Parses one form; a syntax error or a second statement is a problem, mapped to the user's SQL. */
function parseForm(sql: string, form: 'full' | 'incremental', problems: SqlAnalysisResult['problems']): Parsed | undefined {
  const parsed = parseSparkQuery(sql);
  const where = form === 'incremental' ? ' in the incremental form' : '';
  if (!parsed.ok && parsed.internal) {
    problems.push({ ...internalError(parsed.message), form });
    return undefined;
  }
  if (!parsed.ok) {
    problems.push({ form, code: 'ETL164', severity: 'error', message: `SQL syntax error${where}: ${parsed.message}`, hint: form === 'incremental' ? 'Check the {{#is_incremental}} block.' : 'Models are Spark SQL SELECT queries; check the clause near this position.', line: parsed.line, column: parsed.column });
    return undefined;
  }
  if (parsed.statements.length > 1) {
    const at = leftmostSpan(parsed.statements[1]);
    const pos = at ? parsed.toOriginal(at) : { line: 1, column: 1 };
    problems.push({ form, code: 'ETL165', severity: 'error', message: `A model must be exactly one SELECT, found ${parsed.statements.length} statements${where}: a second one starts here`, hint: 'Keep the one SELECT: remove this statement and the semicolon before it (a model is one query; the compiler adds the DDL/DML).', ...pos });
    return undefined;
  }
  if (parsed.statements.length === 0) {
    problems.push({ form, code: 'ETL165', severity: 'error', message: `A model must be exactly one SELECT, found no statement${where}`, hint: 'Write the SELECT the model materialises.', line: 1, column: 1 });
    return undefined;
  }
  return parsed;
}

function analyseForms(request: SqlAnalysisRequest, catalog: Map<string, CatalogEntry>): SqlAnalysisResult {
  const problems: SqlAnalysisResult['problems'] = [];
  const parsed = parseForm(request.full, 'full', problems);
  if (!parsed) return { id: request.id, problems };
  const declared = request.declared ? new Set(request.declared) : undefined;
  const analysis = new QueryAnalyser(catalog, declared).analyse(parsed.statements[0]);
  for (const p of analysis.problems) problems.push({ ...p, ...parsed.toOriginal(p), form: 'full' });
  if (request.incremental !== undefined) {
    // The incremental form is checked as thoroughly as the full one: it is what runs every day.
    // Problems shared with the full form are dropped by the caller once mapped to the template.
    const inc = parseForm(request.incremental, 'incremental', problems);
    if (inc) {
      // `{{this}}` has the columns the full form produces.
      const self = request.self;
      const previous = self ? catalog.get(self) : undefined;
      if (self) catalog.set(self, { node: request.id, columns: analysis.columns.map((c) => ({ ...c, refs: new Set([`${request.id}\u0000${c.name}`]) })) });
      try {
        const declaredWithSelf = declared && self ? new Set([...declared, self]) : declared;
        for (const p of new QueryAnalyser(catalog, declaredWithSelf).analyse(inc.statements[0]).problems) problems.push({ ...p, ...inc.toOriginal(p), form: 'incremental' });
      } finally {
        if (self) {
          if (previous) catalog.set(self, previous);
          else catalog.delete(self);
        }
      }
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { id: request.id, problems };
  return {
    id: request.id,
    problems,
    columns: declassified(request.snapshot !== undefined ? withSnapshotColumns(analysis.columns, request.snapshot) : analysis.columns, request.declassify)
      .map((c) => toSerialColumn(c.at ? { ...c, at: parsed.toOriginal(c.at) } : c)),
    rowDeps: [...analysis.rowDeps].map(([k, roles]) => [k, [...roles]]),
  };
}
