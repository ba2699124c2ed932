/** The state one analysis shares across its modules: catalog, scopes, problems, row lineage. */
import type { Classification, SqlType } from '../api/columns.js';
import type { LineageRole } from '../manifest/types.js';

export interface AnalysedColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  /** Keys `node\u0000column` of upstream columns whose values flow in. */
  refs: Set<string>;
  classes: Set<Classification>;
  /** Masks applied on the way to this column (mask-shapes.ts); absent: none. */
  masks?: Set<string>;
  /** Where the model's SELECT list defines it (rendered SQL, 1-based); absent for `*` and inner queries. */
  at?: { line: number; column: number };
  /** What `declassify:` removed from this column of the model (absent: not declassified). */
  declassified?: Classification[];
}

export interface CatalogEntry {
  node: string;
  columns: AnalysedColumn[];
  /** A model that failed its own analysis: already reported, so its columns are not checked. */
  opaque?: boolean;
}

export interface Problem {
  code: string;
  severity: 'error' | 'warning';
  message: string;
  hint: string;
  line: number;
  column: number;
  /** The table named in the SQL, for problems about a table (ETL160, ETL171). */
  table?: string;
}

export type RowRole = Exclude<LineageRole, 'value'>;

export interface Analysis {
  columns: AnalysedColumn[];
  rowDeps: Map<string, Set<RowRole>>;
  problems: Problem[];
}

export interface Rel {
  alias: string;
  fqn?: string;
  columns: AnalysedColumn[];
  /** A relation whose columns are not known (table function...): unresolved names are not errors. */
  opaque?: boolean;
}

export interface Scope {
  rels: Rel[];
  ctes: Map<string, AnalysedColumn[]>;
  parent?: Scope;
  /** Aliases defined earlier in the same SELECT list (Spark's lateral column aliases). */
  laterals?: Map<string, AnalysedColumn>;
  /** Keys of `JOIN ... USING (k)`: one column in Spark, not ambiguous unqualified. */
  usingKeys?: Set<string>;
  /** USING keys a RIGHT JOIN takes from its right side (Spark's key is that side's): key -> alias. */
  usingSide?: Map<string, string>;
}

export class Ctx {
  readonly problems: Problem[] = [];
  readonly rowDeps = new Map<string, Set<RowRole>>();
  /** The SELECTs whose columns are the model's columns (not those of CTEs or subqueries). */
  readonly outputSelects = new WeakSet<object>();
  /** Each SELECT's scope once analysed (its FROM and its output aliases), for its query's ORDER BY. */
  readonly selectScopes = new WeakMap<object, Scope>();

  constructor(
    readonly catalog: Map<string, CatalogEntry>,
    readonly declared?: ReadonlySet<string>,
  ) {}

  report(code: string, severity: Problem['severity'], message: string, pos: { line: number; column: number } | undefined, hint = '', table?: string): void {
    this.problems.push({ code, severity, message, hint, line: pos?.line ?? 1, column: pos?.column ?? 1, ...(table ? { table } : {}) });
  }

  addRowDeps(refs: Set<string>, role: RowRole): void {
    for (const r of refs) {
      let roles = this.rowDeps.get(r);
      if (!roles) this.rowDeps.set(r, (roles = new Set()));
      roles.add(role);
    }
  }
}
