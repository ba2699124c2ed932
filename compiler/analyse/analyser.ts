/**
 * Column analysis of one model's parsed SELECT: output columns with their types and
 * nullability, value lineage per column, and the columns that only filter, join, group or
 * order rows. Walks the AST of datafusion-sqlparser (Databricks dialect) as it serialises.
 * The work is split by responsibility: query.ts (queries, set operations, SELECT), relations.ts
 * (FROM and joins), expressions.ts, columns.ts (name resolution), calls.ts, operators.ts.
 */
import { spanOf, type Node } from './ast.js';
import { Ctx, type Analysis, type AnalysedColumn, type CatalogEntry } from './context.js';
import { query } from './query.js';

export type { AnalysedColumn, Analysis, CatalogEntry, Problem } from './context.js';

export const refKey = (node: string, column: string) => `${node}\u0000${column}`;

export class QueryAnalyser {
  private readonly cx: Ctx;

  /**
   * `declared`: the relations the model reached through ref/source (and `{{this}}`). When given, a
   * catalog table read by its plain name is an error: the dependency would be invisible to the plan,
   * selection and state comparison.
   */
  constructor(catalog: Map<string, CatalogEntry>, declared?: ReadonlySet<string>) {
    this.cx = new Ctx(catalog, declared);
  }

  analyse(statement: Node): Analysis {
    const cx = this.cx;
    const q = statement?.Query;
    let columns: AnalysedColumn[] = [];
    if (!q) {
      cx.report('ETL165', 'error', 'A model must be a single SELECT query', spanOf(statement), 'Write the SELECT only: the compiler adds the DDL/DML.');
    } else {
      const markOutput = (body: Node): void => {
        if (body?.Select) cx.outputSelects.add(body.Select);
        else if (body?.SetOperation) {
          markOutput(body.SetOperation.left);
          markOutput(body.SetOperation.right);
        } else if (body?.Query) markOutput(body.Query.body);
      };
      markOutput(q.body);
      columns = query(cx, q, { rels: [], ctes: new Map() });
    }
    return { columns, rowDeps: cx.rowDeps, problems: cx.problems };
  }
}
