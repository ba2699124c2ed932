/**
 * Column analysis of one model's parsed SELECT: output columns with their types and
 * nullability, value lineage per column, and the columns that only filter, join, group or
 * order rows. Walks the AST of datafusion-sqlparser (Databricks dialect) as it serialises.
 */
import { formatType, type Classification, type SqlType } from '../api/columns.js';
import type { LineageRole } from '../manifest/types.js';
import { AGGREGATES, functionReturnType, NEVER_NULL } from './functions.js';
import { asDecimal, commonType, isComplex, isKnown, isNumeric, parseTypeName, T, widenNumeric } from './sql-types.js';
import { didYouMean } from '../resolve/environment.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Node = any;

export interface AnalysedColumn {
  name: string;
  type: SqlType;
  nullable: boolean;
  /** Keys `node\u0000column` of upstream columns whose values flow in. */
  refs: Set<string>;
  classes: Set<Classification>;
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

export interface Analysis {
  columns: AnalysedColumn[];
  rowDeps: Map<string, Set<Exclude<LineageRole, 'value'>>>;
  problems: Problem[];
}

interface Rel {
  alias: string;
  fqn?: string;
  columns: AnalysedColumn[];
  /** A relation whose columns are not known (table function...): unresolved names are not errors. */
  opaque?: boolean;
}

interface Scope {
  rels: Rel[];
  ctes: Map<string, AnalysedColumn[]>;
  parent?: Scope;
  /** Aliases defined earlier in the same SELECT list (Spark's lateral column aliases). */
  laterals?: Map<string, AnalysedColumn>;
  /** Keys of `JOIN ... USING (k)`: one column in Spark, not ambiguous unqualified. */
  usingKeys?: Set<string>;
}

interface Value {
  type: SqlType;
  nullable: boolean;
  refs: Set<string>;
  classes: Set<Classification>;
  agg: boolean;
}

export const refKey = (node: string, column: string) => `${node}\u0000${column}`;

const lc = (s: string) => s.toLowerCase();
const union = <T>(...sets: Array<Set<T>>) => {
  const out = new Set<T>();
  for (const s of sets) for (const v of s) out.add(v);
  return out;
};
const EMPTY = (): Value => ({ type: T.unknown, nullable: true, refs: new Set(), classes: new Set(), agg: false });

/** First source position found anywhere inside an AST node. */
function spanOf(node: Node): { line: number; column: number } | undefined {
  const stack = [node];
  while (stack.length) {
    const n = stack.shift();
    if (!n || typeof n !== 'object') continue;
    if (n.span?.start && n.span.start.line > 0) return { line: n.span.start.line, column: n.span.start.column };
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
  }
  return undefined;
}

const identName = (i: Node): string => i?.value ?? i?.Identifier?.value ?? String(i);
const objectName = (parts: Node[]): string[] => parts.map(identName);

function typeFromAst(dt: Node): SqlType {
  if (typeof dt === 'string') {
    return parseTypeName(dt) ?? (dt === 'Timestamp' ? T.timestamp : T.unknown);
  }
  if (!dt || typeof dt !== 'object') return T.unknown;
  const key = Object.keys(dt)[0];
  if (!key) return T.unknown;
  const v = dt[key];
  switch (key) {
    case 'Decimal':
    case 'Numeric':
    case 'Dec': {
      if (v?.PrecisionAndScale) return T.decimal(v.PrecisionAndScale[0], v.PrecisionAndScale[1]);
      if (v?.Precision !== undefined) return T.decimal(v.Precision, 0);
      return T.decimal(10, 0);
    }
    case 'Array': {
      const inner = v?.AngleBracket ?? v?.SquareBracket?.[0];
      return T.array(inner ? typeFromAst(inner) : T.unknown);
    }
    case 'Map':
      return Array.isArray(v) ? { kind: 'map', key: typeFromAst(v[0]), value: typeFromAst(v[1]) } : T.unknown;
    case 'Struct': {
      const fields = (Array.isArray(v) ? v[0] : []) as Node[];
      return { kind: 'struct', fields: fields.map((f) => ({ name: identName(f.field_name), type: typeFromAst(f.field_type) })) };
    }
    case 'Custom':
      return parseTypeName(objectName(Array.isArray(v) ? v[0] : []).join('.')) ?? T.unknown;
    default:
      return parseTypeName(key) ?? T.unknown;
  }
}

function literal(v: Node): Value {
  const val = v?.value ?? v;
  const out = EMPTY();
  out.nullable = false;
  if (val === 'Null') return { ...out, type: T.null, nullable: true };
  if (typeof val !== 'object' || val === null) return out;
  if ('Number' in val) {
    const text = String(val.Number[0]);
    if (/e/i.test(text)) out.type = T.double;
    else if (text.includes('.')) {
      const [i = '', f = ''] = text.split('.');
      out.type = T.decimal(Math.max(1, i.replace('-', '').length + f.length), f.length);
    } else out.type = Math.abs(Number(text)) > 2147483647 ? T.bigint : T.int;
  } else if ('Boolean' in val) out.type = T.boolean;
  else if ('SingleQuotedString' in val || 'DoubleQuotedString' in val || 'EscapedStringLiteral' in val) out.type = T.string;
  return out;
}

export class QueryAnalyser {
  private readonly problems: Problem[] = [];
  private readonly rowDeps = new Map<string, Set<Exclude<LineageRole, 'value'>>>();
  /** The SELECTs whose columns are the model's columns (not those of CTEs or subqueries). */
  private readonly outputSelects = new WeakSet<object>();

  /**
   * `declared`: the relations the model reached through ref/source (and `{{this}}`). When given, a
   * catalog table read by its plain name is an error: the dependency would be invisible to the plan,
   * selection and state comparison.
   */
  constructor(
    private readonly catalog: Map<string, CatalogEntry>,
    private readonly declared?: ReadonlySet<string>,
  ) {}

  analyse(statement: Node): Analysis {
    const query = statement?.Query;
    let columns: AnalysedColumn[] = [];
    if (!query) {
      this.report('ETL165', 'error', 'A model must be a single SELECT query', spanOf(statement), 'Write the SELECT only: the compiler adds the DDL/DML.');
    } else {
      const markOutput = (body: Node): void => {
        if (body?.Select) this.outputSelects.add(body.Select);
        else if (body?.SetOperation) {
          markOutput(body.SetOperation.left);
          markOutput(body.SetOperation.right);
        } else if (body?.Query) markOutput(body.Query.body);
      };
      markOutput(query.body);
      columns = this.query(query, { rels: [], ctes: new Map() });
    }
    return { columns, rowDeps: this.rowDeps, problems: this.problems };
  }

  private report(code: string, severity: Problem['severity'], message: string, pos: { line: number; column: number } | undefined, hint = '', table?: string): void {
    this.problems.push({ code, severity, message, hint, line: pos?.line ?? 1, column: pos?.column ?? 1, ...(table ? { table } : {}) });
  }

  private addRowDeps(refs: Set<string>, role: Exclude<LineageRole, 'value'>): void {
    for (const r of refs) {
      let roles = this.rowDeps.get(r);
      if (!roles) this.rowDeps.set(r, (roles = new Set()));
      roles.add(role);
    }
  }

  private query(q: Node, outer: Scope): AnalysedColumn[] {
    const scope: Scope = { rels: [], ctes: new Map(outer.ctes), parent: outer.parent ?? (outer.rels.length ? outer : undefined) };
    for (const cte of q.with?.cte_tables ?? []) {
      const name = lc(identName(cte.alias.name));
      let cols = this.query(cte.query, { ...scope, ctes: new Map(scope.ctes) });
      const renames = (cte.alias.columns ?? []).map((c: Node) => identName(c.name ?? c));
      if (renames.length) cols = cols.map((c, i) => ({ ...c, name: renames[i] ?? c.name }));
      scope.ctes.set(name, cols);
    }
    const cols = this.setExpr(q.body, scope);
    // ORDER BY of the outermost query orders output rows only.
    return cols;
  }

  private setExpr(body: Node, scope: Scope): AnalysedColumn[] {
    if (body.Select) return this.select(body.Select, scope);
    if (body.Query) return this.query(body.Query, scope);
    if (body.SetOperation) {
      const { left, right } = body.SetOperation;
      const l = this.setExpr(left, scope);
      const r = this.setExpr(right, scope);
      if (l.length !== r.length) {
        this.report('ETL166', 'error', `The branches of ${String(body.SetOperation.op).toUpperCase()} have ${l.length} and ${r.length} columns`, spanOf(right), 'Each branch must select the same number of columns, in the same order.');
        return l;
      }
      return l.map((c, i) => {
        const o = r[i]!;
        const type = commonType([c.type, o.type]);
        if (type === undefined) {
          this.report('ETL170', 'error', `Column ${i + 1} ('${c.name}') is ${formatType(c.type)} in one branch of ${String(body.SetOperation.op).toUpperCase()} and ${formatType(o.type)} in the other`, spanOf(right), 'Cast one side so both branches agree.');
        }
        return { name: c.name, type: type ?? T.unknown, nullable: c.nullable || o.nullable, refs: union(c.refs, o.refs), classes: union(c.classes, o.classes) };
      });
    }
    if (body.Values) {
      const rows: Node[][] = body.Values.rows ?? [];
      return (rows[0] ?? []).map((e, i) => {
        const v = this.expr(e, scope);
        return { name: `col${i + 1}`, type: v.type, nullable: v.nullable, refs: v.refs, classes: v.classes };
      });
    }
    this.report('ETL167', 'warning', `Unsupported query form ${Object.keys(body)[0]}: its columns are not analysed`, spanOf(body));
    return [];
  }

  private relationFor(factor: Node, scope: Scope): Rel | undefined {
    if (factor.Table) {
      const parts = objectName(factor.Table.name);
      const alias = factor.Table.alias ? identName(factor.Table.alias.name) : parts[parts.length - 1]!;
      const fqn = lc(parts.join('.'));
      if (parts.length === 1 && scope.ctes.has(fqn)) return { alias, columns: scope.ctes.get(fqn)! };
      const entry = this.catalog.get(fqn);
      if (entry && this.declared && !this.declared.has(fqn)) {
        this.report(
          'ETL171',
          'error',
          `Table '${parts.join('.')}' is read by its name, not through ref or source`,
          spanOf(factor.Table.name),
          'Use {{ref "model"}} or {{source "system" "table"}}: the build order, --select and state:modified only know dependencies declared that way.',
          fqn,
        );
      }
      if (entry) return { alias, fqn, columns: entry.columns, ...(entry.opaque ? { opaque: true } : {}) };
      if (/^__(unknown|invalid)_/.test(parts[parts.length - 1]!)) return { alias, columns: [], opaque: true };
      this.report(
        'ETL160',
        'error',
        `Unknown table '${parts.join('.')}'`,
        spanOf(factor.Table.name),
        'Reference models with {{ref "name"}} and sources with {{source "system" "table"}} so the compiler knows them.',
        fqn,
      );
      return { alias, columns: [], opaque: true };
    }
    if (factor.Derived) {
      const cols = this.query(factor.Derived.subquery, scope);
      const alias = factor.Derived.alias ? identName(factor.Derived.alias.name) : '__subquery';
      const renames = (factor.Derived.alias?.columns ?? []).map((c: Node) => identName(c.name ?? c));
      return { alias, columns: renames.length ? cols.map((c, i) => ({ ...c, name: renames[i] ?? c.name })) : cols };
    }
    if (factor.NestedJoin) {
      const inner: Scope = { ...scope, rels: [] };
      this.from([factor.NestedJoin.table_with_joins], inner);
      const alias = factor.NestedJoin.alias ? identName(factor.NestedJoin.alias.name) : '__nested';
      return { alias, columns: inner.rels.flatMap((r) => r.columns) };
    }
    const kind = Object.keys(factor)[0];
    const alias = factor[kind!]?.alias ? identName(factor[kind!].alias.name) : `__${kind}`;
    return { alias, columns: [], opaque: true };
  }

  private from(items: Node[], scope: Scope): void {
    for (const twj of items) {
      const base = this.relationFor(twj.relation, scope);
      if (base) scope.rels.push(base);
      for (const join of twj.joins ?? []) {
        const rel = this.relationFor(join.relation, scope);
        if (!rel) continue;
        const opKey = Object.keys(join.join_operator ?? {})[0] ?? String(join.join_operator);
        const constraint = join.join_operator?.[opKey];
        const leftRels = [...scope.rels];
        if (/^(Left|LeftOuter|Full|FullOuter)$/.test(opKey)) rel.columns = rel.columns.map((c) => ({ ...c, nullable: true }));
        if (/^(Right|RightOuter|Full|FullOuter)$/.test(opKey)) {
          for (const l of leftRels) l.columns = l.columns.map((c) => ({ ...c, nullable: true }));
        }
        scope.rels.push(rel);
        if (constraint && typeof constraint === 'object' && constraint.On) {
          const v = this.expr(constraint.On, scope);
          this.addRowDeps(v.refs, 'join');
          this.expectBoolean(v, constraint.On, 'JOIN ... ON');
        } else if (constraint && typeof constraint === 'object' && constraint.Using) {
          for (const u of constraint.Using) {
            const name = objectName(Array.isArray(u) ? u : [u]).join('.');
            (scope.usingKeys ??= new Set()).add(lc(name));
            for (const r of [leftRels[leftRels.length - 1], rel]) {
              const c = r?.columns.find((x) => lc(x.name) === lc(name));
              if (c) this.addRowDeps(c.refs, 'join');
              else if (r && !r.opaque) this.report('ETL161', 'error', `Column '${name}' in USING is not in '${r.alias}'`, spanOf(u), didYouMean(name, r.columns.map((x) => x.name)));
            }
          }
        }
        // Semi and anti joins only filter: the right side's columns are not visible afterwards.
        if (/Semi|Anti/.test(opKey)) {
          scope.rels.pop();
          this.addRowDeps(union(...rel.columns.map((c) => c.refs)), 'join');
        }
      }
    }
  }

  private select(sel: Node, outer: Scope): AnalysedColumn[] {
    const scope: Scope = { rels: [], ctes: outer.ctes, parent: outer.rels.length ? outer : outer.parent, laterals: new Map() };
    this.from(sel.from ?? [], scope);
    for (const lv of sel.lateral_views ?? []) {
      const v = this.expr(lv.lateral_view, scope);
      const name = objectName(lv.lateral_view_name ?? []).join('.') || '__lateral';
      const aliases = (lv.lateral_col_alias ?? []).map(identName);
      const fn = lc(identName(lv.lateral_view?.Function?.name?.[0] ?? ''));
      const types: SqlType[] =
        fn === 'posexplode' ? [T.int, v.type] : v.type.kind === 'map' ? [v.type.key, v.type.value] : v.type.kind === 'struct' ? v.type.fields.map((f) => f.type) : [v.type];
      scope.rels.push({
        alias: name,
        columns: aliases.map((a: string, i: number) => ({ name: a, type: types[i] ?? T.unknown, nullable: true, refs: v.refs, classes: v.classes })),
      });
    }
    if (sel.selection) {
      const v = this.expr(sel.selection, scope);
      this.addRowDeps(v.refs, 'filter');
      this.expectBoolean(v, sel.selection, 'WHERE');
    }
    const groupExprs: Node[] = sel.group_by?.Expressions?.[0] ?? [];
    for (const g of groupExprs) {
      if (g?.Value) continue; // positional GROUP BY 1: resolved against the SELECT list below
      const v = this.expr(g, scope, true);
      this.addRowDeps(v.refs, 'group');
    }
    const out: AnalysedColumn[] = [];
    const seen = new Map<string, number>();
    const push = (c: AnalysedColumn, pos: { line: number; column: number } | undefined) => {
      const key = lc(c.name);
      if (seen.has(key)) {
        this.report('ETL168', 'warning', `Column '${c.name}' appears twice in the SELECT list`, pos, 'Alias one of them: Delta rejects duplicate column names.');
      }
      seen.set(key, out.length);
      out.push(c);
      scope.laterals!.set(key, c);
    };
    for (const item of sel.projection ?? []) {
      if (item.UnnamedExpr !== undefined || item.ExprWithAlias !== undefined) {
        const e = item.UnnamedExpr ?? item.ExprWithAlias.expr;
        const v = this.expr(e, scope);
        let name: string;
        if (item.ExprWithAlias) name = identName(item.ExprWithAlias.alias);
        else if (e.Identifier) name = identName(e.Identifier);
        else if (e.CompoundIdentifier) name = identName(e.CompoundIdentifier[e.CompoundIdentifier.length - 1]);
        else {
          name = `_c${out.length}`;
          if (this.outputSelects.has(sel)) this.report('ETL169', 'warning', `Expression in the SELECT list has no alias`, spanOf(e), 'Add `AS name`: Spark would name it after the expression text, which makes a poor column name.');
        }
        push({ name, type: v.type.kind === 'null' ? T.unknown : v.type, nullable: v.nullable, refs: v.refs, classes: v.classes }, spanOf(e));
      } else if (item.Wildcard !== undefined) {
        const except = this.exceptList(item.Wildcard);
        const rels = scope.rels;
        if (rels.length === 0) this.report('ETL161', 'error', 'SELECT * without a FROM clause', undefined);
        // As in Spark, USING keys come first and once, then every other column in FROM order.
        const keys = scope.usingKeys ?? new Set<string>();
        for (const key of keys) {
          const owners = rels.flatMap((r) => r.columns.filter((c) => lc(c.name) === key));
          if (owners.length && !except.has(key)) push({ ...owners[0]!, refs: union(...owners.map((c) => c.refs)) }, undefined);
        }
        for (const r of rels) for (const c of r.columns) if (!except.has(lc(c.name)) && !keys.has(lc(c.name))) push(c, undefined);
        this.checkExcept(except, rels.flatMap((r) => r.columns), item.Wildcard);
      } else if (item.QualifiedWildcard !== undefined) {
        const [target, opts] = item.QualifiedWildcard;
        const parts = objectName(target?.ObjectName ?? []);
        const alias = parts[parts.length - 1] ?? '';
        const rel = scope.rels.find((r) => lc(r.alias) === lc(alias) || (r.fqn && r.fqn === lc(parts.join('.'))));
        if (!rel) {
          this.report('ETL161', 'error', `Unknown table alias '${parts.join('.')}' in ${parts.join('.')}.*`, spanOf(target), didYouMean(alias, scope.rels.map((r) => r.alias)));
          continue;
        }
        const except = this.exceptList(opts ?? {});
        for (const c of rel.columns) if (!except.has(lc(c.name))) push(c, undefined);
        this.checkExcept(except, rel.columns, opts);
      }
    }
    for (const g of groupExprs) {
      if (g?.Value?.value?.Number) {
        const c = out[Number(g.Value.value.Number[0]) - 1];
        if (c) this.addRowDeps(c.refs, 'group');
        else this.report('ETL161', 'error', `GROUP BY position ${g.Value.value.Number[0]} is not in the SELECT list`, spanOf(g));
      }
    }
    for (const key of ['having', 'qualify'] as const) {
      if (sel[key]) {
        const v = this.expr(sel[key], scope);
        this.addRowDeps(v.refs, 'filter');
        this.expectBoolean(v, sel[key], key.toUpperCase());
      }
    }
    return out;
  }

  private exceptList(opts: Node): Set<string> {
    const ex = opts?.opt_except ?? opts?.opt_exclude;
    if (!ex) return new Set();
    const names: string[] = [];
    if (ex.first_element) names.push(identName(ex.first_element), ...(ex.additional_elements ?? []).map(identName));
    else if (ex.Multiple) names.push(...ex.Multiple.map(identName));
    else if (ex.Single) names.push(identName(ex.Single));
    return new Set(names.map(lc));
  }

  private checkExcept(except: Set<string>, cols: AnalysedColumn[], node: Node): void {
    const names = new Set(cols.map((c) => lc(c.name)));
    for (const e of except) {
      if (!names.has(e)) this.report('ETL161', 'error', `Column '${e}' in * EXCEPT is not among the selected columns`, spanOf(node), didYouMean(e, cols.map((c) => c.name)));
    }
  }

  private expectBoolean(v: Value, node: Node, clause: string): void {
    if (isKnown(v.type) && v.type.kind !== 'boolean' && v.type.kind !== 'string') {
      this.report('ETL170', 'error', `${clause} condition is ${formatType(v.type)}, not boolean`, spanOf(node), 'Compare it with something, e.g. `col IS NOT NULL` or `col > 0`.');
    }
  }

  private column(parts: string[], node: Node, scope: Scope, silent = false): Value {
    const pos = spanOf(node);
    const found = (c: AnalysedColumn, rest: string[]): Value => {
      let type = c.type;
      for (const field of rest) {
        if (type.kind === 'struct') {
          const f = type.fields.find((x) => lc(x.name) === lc(field));
          if (!f) {
            if (!silent) this.report('ETL161', 'error', `Struct '${c.name}' has no field '${field}'`, pos, didYouMean(field, type.fields.map((x) => x.name)) || `Its fields: ${type.fields.map((x) => x.name).join(', ')}.`);
            type = T.unknown;
            break;
          }
          type = f.type;
        } else if (type.kind !== 'unknown') {
          if (!silent) this.report('ETL170', 'error', `'${c.name}' is ${formatType(type)}, not a struct: it has no field '${field}'`, pos, '');
          type = T.unknown;
          break;
        }
      }
      return { type, nullable: c.nullable || rest.length > 0, refs: c.refs, classes: c.classes, agg: false };
    };
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      // alias.column[.field...]
      if (parts.length > 1) {
        const rel = s.rels.find((r) => lc(r.alias) === lc(parts[0]!));
        if (rel) {
          const col = rel.columns.find((c) => lc(c.name) === lc(parts[1]!));
          if (col) return found(col, parts.slice(2));
          if (rel.opaque) return EMPTY();
          if (!silent) {
            this.report('ETL161', 'error', `Column '${parts[1]}' not found in '${rel.alias}'`, pos, didYouMean(parts[1]!, rel.columns.map((c) => c.name)) || `'${rel.alias}' has: ${rel.columns.map((c) => c.name).join(', ')}`);
          }
          return EMPTY();
        }
        // database.table.column
        if (parts.length > 2) {
          const byFqn = s.rels.find((r) => r.fqn === lc(`${parts[0]}.${parts[1]}`));
          const col = byFqn?.columns.find((c) => lc(c.name) === lc(parts[2]!));
          if (col) return found(col, parts.slice(3));
        }
      }
      const matches: AnalysedColumn[] = [];
      const owners: string[] = [];
      for (const r of s.rels) {
        const col = r.columns.find((c) => lc(c.name) === lc(parts[0]!));
        if (col) {
          matches.push(col);
          owners.push(r.alias);
        }
      }
      if (matches.length === 1) return found(matches[0]!, parts.slice(1));
      if (matches.length > 1) {
        if (s.usingKeys?.has(lc(parts[0]!))) {
          const merged = { ...matches[0]!, refs: union(...matches.map((m) => m.refs)), classes: union(...matches.map((m) => m.classes)) };
          return found(merged, parts.slice(1));
        }
        if (!silent) {
          this.report('ETL162', 'error', `Column '${parts[0]}' is ambiguous: it is in ${owners.map((o) => `'${o}'`).join(' and ')}`, pos, `Qualify it, e.g. ${owners[0]}.${parts[0]}.`);
        }
        return found(matches[0]!, parts.slice(1));
      }
      const lateral = s.laterals?.get(lc(parts[0]!));
      if (lateral) return found(lateral, parts.slice(1));
      if (s.rels.some((r) => r.opaque)) return EMPTY();
    }
    if (!silent) {
      const candidates = scope.rels.flatMap((r) => r.columns.map((c) => c.name));
      this.report('ETL161', 'error', `Unknown column '${parts.join('.')}'`, pos, didYouMean(parts[parts.length > 1 ? 1 : 0]!, candidates) || (candidates.length ? `Available: ${[...new Set(candidates)].slice(0, 12).join(', ')}` : ''));
    }
    return EMPTY();
  }

  private args(fn: Node): Node[] {
    const list = fn.args?.List?.args ?? [];
    return list.map((a: Node) => {
      const inner = a.Unnamed ?? a.Named?.arg ?? a.ExprNamed?.arg ?? a;
      return inner === 'Wildcard' || inner?.Wildcard !== undefined ? { __wildcard: true } : (inner.Expr ?? inner);
    });
  }

  private expr(e: Node, scope: Scope, silent = false): Value {
    if (e === null || e === undefined) return EMPTY();
    if (typeof e !== 'object') return EMPTY();
    const key = Object.keys(e)[0]!;
    const v = e[key];
    switch (key) {
      case 'Identifier':
        return this.column([identName(v)], v, scope, silent);
      case 'CompoundIdentifier':
        return this.column(v.map(identName), v, scope, silent);
      case 'Value':
        return literal(v);
      case 'TypedString':
        return { ...EMPTY(), type: typeFromAst(v.data_type), nullable: false };
      case 'Nested':
        return this.expr(v, scope, silent);
      case 'Interval':
        return { ...EMPTY(), nullable: false };
      case 'IsNull':
      case 'IsNotNull':
      case 'IsTrue':
      case 'IsFalse':
      case 'IsNotTrue':
      case 'IsNotFalse':
      case 'IsUnknown':
      case 'IsNotUnknown': {
        const inner = this.expr(v, scope, silent);
        return { ...inner, type: T.boolean, nullable: false };
      }
      case 'InList': {
        const a = this.expr(v.expr, scope, silent);
        const items = (v.list ?? []).map((x: Node) => this.expr(x, scope, silent));
        return { type: T.boolean, nullable: a.nullable, refs: union(a.refs, ...items.map((i: Value) => i.refs)), classes: a.classes, agg: a.agg };
      }
      case 'InSubquery': {
        const a = this.expr(v.expr, scope, silent);
        const sub = this.query(v.subquery, { ...scope, parent: scope });
        return { type: T.boolean, nullable: a.nullable, refs: union(a.refs, ...sub.map((c) => c.refs)), classes: a.classes, agg: a.agg };
      }
      case 'Between': {
        const parts = [v.expr, v.low, v.high].map((x) => this.expr(x, scope, silent));
        return { type: T.boolean, nullable: parts.some((p) => p.nullable), refs: union(...parts.map((p) => p.refs)), classes: new Set(), agg: parts.some((p) => p.agg) };
      }
      case 'Like':
      case 'ILike':
      case 'RLike':
      case 'SimilarTo': {
        const a = this.expr(v.expr, scope, silent);
        const p = this.expr(v.pattern, scope, silent);
        if (isComplex(a.type)) this.report('ETL170', 'error', `${key.toUpperCase()} needs a string, got ${formatType(a.type)}`, spanOf(v.expr));
        return { type: T.boolean, nullable: a.nullable || p.nullable, refs: union(a.refs, p.refs), classes: new Set(), agg: a.agg };
      }
      case 'UnaryOp': {
        const a = this.expr(v.expr, scope, silent);
        if (v.op === 'Not') {
          this.expectBoolean(a, v.expr, 'NOT');
          return { ...a, type: T.boolean };
        }
        if (isKnown(a.type) && !isNumeric(a.type) && a.type.kind !== 'string') {
          this.report('ETL170', 'error', `Unary ${v.op === 'Minus' ? '-' : '+'} needs a number, got ${formatType(a.type)}`, spanOf(v.expr));
        }
        return a;
      }
      case 'BinaryOp':
        return this.binary(v, scope, silent);
      case 'Cast': {
        const a = this.expr(v.expr, scope, silent);
        const to = typeFromAst(v.data_type);
        if (isComplex(a.type) && isKnown(to) && !isComplex(to) && to.kind !== 'string') {
          this.report('ETL170', 'error', `Cannot cast ${formatType(a.type)} to ${formatType(to)}`, spanOf(v.expr));
        }
        return { ...a, type: to, nullable: a.nullable || v.kind === 'TryCast' || v.kind === 'SafeCast' };
      }
      case 'Case': {
        const operand = v.operand ? this.expr(v.operand, scope, silent) : undefined;
        const conds = (v.conditions ?? []).map((c: Node) => this.expr(c.condition, scope, silent));
        const results = (v.conditions ?? []).map((c: Node) => this.expr(c.result, scope, silent));
        const elseV = v.else_result ? this.expr(v.else_result, scope, silent) : undefined;
        const branches = [...results, ...(elseV ? [elseV] : [])];
        const type = commonType(branches.map((b: Value) => b.type));
        if (type === undefined) {
          this.report('ETL170', 'error', `CASE branches have incompatible types: ${branches.map((b: Value) => formatType(b.type)).join(', ')}`, spanOf(e), 'Cast the branches to one type.');
        }
        return {
          type: type ?? T.unknown,
          nullable: !elseV || branches.some((b: Value) => b.nullable),
          refs: union(...(operand ? [operand.refs] : []), ...conds.map((c: Value) => c.refs), ...branches.map((b: Value) => b.refs)),
          classes: union(...branches.map((b: Value) => b.classes)),
          agg: branches.some((b: Value) => b.agg),
        };
      }
      case 'Function':
        return this.func(v, scope, silent);
      case 'Subquery': {
        const cols = this.query(v, { ...scope, parent: scope });
        const c = cols[0];
        return c ? { type: c.type, nullable: true, refs: c.refs, classes: c.classes, agg: false } : EMPTY();
      }
      case 'Exists': {
        const cols = this.query(v.subquery, { ...scope, parent: scope });
        void cols;
        return { ...EMPTY(), type: T.boolean, nullable: false };
      }
      case 'CompoundFieldAccess': {
        // `e.properties['k']` parses as root `e` then `.properties` then `['k']`: the leading names
        // form one column path (alias.column.field) before any subscript applies.
        const chain: Node[] = v.access_chain ?? [];
        const names: string[] = v.root?.Identifier ? [identName(v.root.Identifier)] : Array.isArray(v.root?.CompoundIdentifier) ? v.root.CompoundIdentifier.map(identName) : [];
        let consumed = 0;
        if (names.length) while (consumed < chain.length && chain[consumed].Dot) names.push(identName(chain[consumed++].Dot.Identifier ?? chain[consumed - 1].Dot));
        const root = names.length ? this.column(names, v.root, scope, silent) : this.expr(v.root, scope, silent);
        let type = root.type;
        for (const step of chain.slice(consumed)) {
          if (step.Subscript) {
            this.expr(step.Subscript.Index?.index, scope, silent);
            type = type.kind === 'array' ? type.element : type.kind === 'map' ? type.value : T.unknown;
          } else if (step.Dot) {
            const field = identName(step.Dot.Identifier ?? step.Dot);
            type = type.kind === 'struct' ? (type.fields.find((f) => lc(f.name) === lc(field))?.type ?? T.unknown) : T.unknown;
          }
        }
        return { ...root, type, nullable: true };
      }
      case 'Extract':
        return { ...this.expr(v.expr, scope, silent), type: T.int };
      case 'Substring':
      case 'Trim':
      case 'Overlay': {
        const parts = Object.values(v).filter((x) => x && typeof x === 'object').map((x) => this.expr(x, scope, silent));
        return { type: T.string, nullable: parts.some((p) => p.nullable), refs: union(...parts.map((p) => p.refs)), classes: union(...parts.map((p) => p.classes)), agg: false };
      }
      case 'Lambda':
        return EMPTY();
      default:
        return this.opaque(e, scope);
    }
  }

  /** For expression forms not modelled: collect the columns it mentions, type unknown. */
  private opaque(e: Node, scope: Scope): Value {
    const refs = new Set<string>();
    const classes = new Set<Classification>();
    const visit = (n: Node) => {
      if (!n || typeof n !== 'object') return;
      if (n.Identifier && typeof n.Identifier === 'object' && 'value' in n.Identifier) {
        const v = this.column([identName(n.Identifier)], n.Identifier, scope, true);
        v.refs.forEach((r) => refs.add(r));
        v.classes.forEach((c) => classes.add(c));
        return;
      }
      if (Array.isArray(n.CompoundIdentifier)) {
        const v = this.column(n.CompoundIdentifier.map(identName), n.CompoundIdentifier, scope, true);
        v.refs.forEach((r) => refs.add(r));
        v.classes.forEach((c) => classes.add(c));
        return;
      }
      for (const x of Object.values(n)) visit(x);
    };
    visit(e);
    return { type: T.unknown, nullable: true, refs, classes, agg: false };
  }

  private func(f: Node, scope: Scope, silent: boolean): Value {
    const name = lc(objectName(f.name).join('.'));
    const argNodes = this.args(f);
    const args = argNodes.map((a) => (a.__wildcard ? { ...EMPTY(), nullable: false } : this.expr(a, scope, silent)));
    if (f.over?.WindowSpec) {
      const spec = f.over.WindowSpec;
      for (const p of spec.partition_by ?? []) this.addRowDeps(this.expr(p, scope, silent).refs, 'window');
      for (const o of spec.order_by ?? []) this.addRowDeps(this.expr(o.expr, scope, silent).refs, 'window');
    }
    if (f.filter) this.addRowDeps(this.expr(f.filter, scope, silent).refs, 'filter');
    const types = args.map((a) => a.type);
    if ((name === 'sum' || name === 'avg') && types[0] && (types[0].kind === 'boolean' || isComplex(types[0]) || types[0].kind === 'date' || types[0].kind === 'timestamp')) {
      this.report('ETL170', 'error', `${name}() needs a number, got ${formatType(types[0])}`, spanOf(argNodes[0]), `Cast it first, or use count() to count rows.`);
    }
    let type = functionReturnType(name, types);
    if (name === 'explode' || name === 'explode_outer' || name === 'posexplode') {
      if (types[0] && isKnown(types[0]) && types[0].kind !== 'array' && types[0].kind !== 'map') {
        this.report('ETL170', 'error', `${name}() needs an array or map, got ${formatType(types[0])}`, spanOf(argNodes[0]));
      }
    }
    if (name === 'named_struct' || name === 'struct') {
      const fields: Array<{ name: string; type: SqlType }> = [];
      if (name === 'named_struct') {
        for (let i = 0; i + 1 < argNodes.length; i += 2) {
          const n = argNodes[i]?.Value?.value?.SingleQuotedString ?? `col${i / 2 + 1}`;
          fields.push({ name: n, type: types[i + 1] ?? T.unknown });
        }
      } else {
        argNodes.forEach((a, i) => fields.push({ name: a.Identifier ? identName(a.Identifier) : `col${i + 1}`, type: types[i] ?? T.unknown }));
      }
      type = { kind: 'struct', fields };
    }
    const isAgg = AGGREGATES.has(name) && !f.over;
    // A count of personal data is not personal data: counting drops classification.
    const dropsClasses = name.startsWith('count') || name === 'approx_count_distinct';
    return {
      type,
      nullable: NEVER_NULL.has(name) ? false : args.length === 0 ? false : /^(coalesce|nvl|ifnull)$/.test(name) ? args.every((a) => a.nullable) : args.some((a) => a.nullable) || AGGREGATES.has(name) || name === 'lag' || name === 'lead',
      refs: union(...args.map((a) => a.refs)),
      classes: dropsClasses ? new Set() : union(...args.map((a) => a.classes)),
      agg: isAgg || args.some((a) => a.agg),
    };
  }

  private binary(v: Node, scope: Scope, silent: boolean): Value {
    const a = this.expr(v.left, scope, silent);
    const b = this.expr(v.right, scope, silent);
    const op: string = typeof v.op === 'string' ? v.op : Object.keys(v.op)[0]!;
    const base = { nullable: a.nullable || b.nullable, refs: union(a.refs, b.refs), classes: union(a.classes, b.classes), agg: a.agg || b.agg };
    const symbol: Record<string, string> = { Plus: '+', Minus: '-', Multiply: '*', Divide: '/', Modulo: '%', Gt: '>', Lt: '<', GtEq: '>=', LtEq: '<=', Eq: '=', NotEq: '<>', Spaceship: '<=>', And: 'AND', Or: 'OR', StringConcat: '||' };
    const sym = symbol[op] ?? op;
    const bad = (t: SqlType) => t.kind === 'boolean' || isComplex(t);
    switch (op) {
      case 'Plus':
      case 'Minus':
      case 'Multiply':
      case 'Divide':
      case 'Modulo':
      case 'DuckIntegerDivide':
      case 'MyIntegerDivide': {
        for (const [side, node] of [
          [a, v.left],
          [b, v.right],
        ] as const) {
          if (bad(side.type)) {
            this.report('ETL170', 'error', `Operator ${sym} cannot take ${formatType(side.type)}`, spanOf(node), 'Arithmetic needs numbers (or dates with + and -); cast the operand.');
            return { ...base, type: T.unknown };
          }
        }
        if ((a.type.kind === 'date' || a.type.kind === 'timestamp') && (op === 'Plus' || op === 'Minus')) {
          return { ...base, type: b.type.kind === a.type.kind ? T.unknown : a.type };
        }
        if (op === 'Divide') {
          if (a.type.kind === 'decimal' || b.type.kind === 'decimal') return { ...base, nullable: true, type: T.decimal(38, 6) };
          return { ...base, nullable: true, type: isKnown(a.type) && isKnown(b.type) ? T.double : T.unknown };
        }
        if (!isKnown(a.type) || !isKnown(b.type)) return { ...base, type: isNumeric(a.type) && b.type.kind === 'null' ? a.type : T.unknown };
        if (a.type.kind === 'string' || b.type.kind === 'string') return { ...base, type: T.double };
        const t = widenNumeric(a.type, b.type);
        if (t.kind === 'decimal') {
          // Spark's decimal arithmetic (DecimalPrecision): integers count as decimal(10,0)/(20,0).
          const x = asDecimal(a.type);
          const y = asDecimal(b.type);
          if (op === 'Multiply') return { ...base, type: boundedDecimal(x.precision + y.precision + 1, x.scale + y.scale) };
          if (op === 'Plus' || op === 'Minus') {
            const scale = Math.max(x.scale, y.scale);
            return { ...base, type: boundedDecimal(Math.max(x.precision - x.scale, y.precision - y.scale) + scale + 1, scale) };
          }
        }
        return { ...base, type: t };
      }
      case 'Gt':
      case 'Lt':
      case 'GtEq':
      case 'LtEq':
      case 'Eq':
      case 'NotEq':
      case 'Spaceship': {
        if (isKnown(a.type) && isKnown(b.type) && isComplex(a.type) !== isComplex(b.type)) {
          this.report('ETL170', 'error', `Cannot compare ${formatType(a.type)} with ${formatType(b.type)}`, spanOf(v.left) ?? spanOf(v.right), 'Compare values of the same kind.');
        }
        // boolean = 1 is legal in Spark's default (non-ANSI) mode, so it is not reported.
        return { ...base, type: T.boolean, nullable: op === 'Spaceship' ? false : base.nullable, classes: new Set() };
      }
      case 'And':
      case 'Or':
        this.expectBoolean(a, v.left, op.toUpperCase());
        this.expectBoolean(b, v.right, op.toUpperCase());
        return { ...base, type: T.boolean, classes: new Set() };
      case 'StringConcat':
        return { ...base, type: T.string };
      default:
        return { ...base, type: T.unknown };
    }
  }
}

/** Spark's bound on decimal results: at most 38 digits, keeping at least 6 of scale when cut. */
function boundedDecimal(precision: number, scale: number): SqlType {
  if (precision <= 38) return T.decimal(precision, scale);
  const intDigits = precision - scale;
  const keptScale = Math.max(38 - intDigits, Math.min(scale, 6));
  return T.decimal(38, keptScale);
}
