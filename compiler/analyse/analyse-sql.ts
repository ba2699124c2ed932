/**
 * Parse and analyse one model's rendered SQL. Pure and serialisable in and out, so it runs the
 * same in the main thread and in the worker pool.
 */
import type { Classification, SqlType } from '../api/columns.js';
import { QueryAnalyser, type AnalysedColumn, type CatalogEntry, type Problem } from './analyser.js';
import { parseSpark } from './parse.js';

export interface SerialColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  refs: string[];
  classes: Classification[];
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
}

export interface SqlAnalysisResult {
  id: string;
  /** Positions are in the rendered SQL of `form`; the caller maps them to the template. */
  problems: Array<Problem & { form: 'full' | 'incremental' }>;
  /** Absent when the SQL could not be analysed (syntax error, or errors in the query). */
  columns?: SerialColumn[];
  rowDeps?: Array<[string, string[]]>;
}

export const toSerialColumn = (c: AnalysedColumn): SerialColumn => ({ name: c.name, type: c.type, nullable: c.nullable, refs: [...c.refs], classes: [...c.classes] });
export const fromSerialColumn = (c: SerialColumn): AnalysedColumn => ({ name: c.name, type: c.type, nullable: c.nullable, refs: new Set(c.refs), classes: new Set(c.classes) });

export function toCatalogEntry(e: SerialCatalogEntry): CatalogEntry {
  return { node: e.node, columns: e.columns.map(fromSerialColumn), ...(e.opaque ? { opaque: true } : {}) };
}

export function analyseSql(request: SqlAnalysisRequest, catalog: Map<string, CatalogEntry>): SqlAnalysisResult {
  const problems: SqlAnalysisResult['problems'] = [];
  const parsed = parseSpark(request.full);
  if (!parsed.ok) {
    problems.push({ form: 'full', code: 'ETL164', severity: 'error', message: `SQL syntax error: ${parsed.message}`, hint: 'Models are Spark SQL SELECT queries; check the clause near this position.', line: parsed.line, column: parsed.column });
    return { id: request.id, problems };
  }
  if (parsed.statements.length !== 1) {
    problems.push({ form: 'full', code: 'ETL165', severity: 'error', message: `A model must be exactly one SELECT, found ${parsed.statements.length} statements`, hint: 'Remove the extra statements and trailing semicolons.', line: 1, column: 1 });
    return { id: request.id, problems };
  }
  const declared = request.declared ? new Set(request.declared) : undefined;
  const analysis = new QueryAnalyser(catalog, declared).analyse(parsed.statements[0]);
  for (const p of analysis.problems) problems.push({ ...p, form: 'full' });
  if (request.incremental !== undefined) {
    // The incremental form is checked as thoroughly as the full one: it is what runs every day.
    // Problems shared with the full form are dropped by the caller once mapped to the template.
    const inc = parseSpark(request.incremental);
    if (!inc.ok) {
      problems.push({ form: 'incremental', code: 'ETL164', severity: 'error', message: `SQL syntax error in the incremental form: ${inc.message}`, hint: 'Check the {{#is_incremental}} block.', line: inc.line, column: inc.column });
    } else if (inc.statements.length === 1) {
      // `{{this}}` has the columns the full form produces.
      const self = request.self;
      const previous = self ? catalog.get(self) : undefined;
      if (self) catalog.set(self, { node: request.id, columns: analysis.columns.map((c) => ({ ...c, refs: new Set([`${request.id}\u0000${c.name}`]) })) });
      try {
        const declaredWithSelf = declared && self ? new Set([...declared, self]) : declared;
        for (const p of new QueryAnalyser(catalog, declaredWithSelf).analyse(inc.statements[0]).problems) problems.push({ ...p, form: 'incremental' });
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
    columns: analysis.columns.map(toSerialColumn),
    rowDeps: [...analysis.rowDeps].map(([k, roles]) => [k, [...roles]]),
  };
}
