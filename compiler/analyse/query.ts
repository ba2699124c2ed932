/** Queries, CTEs, set operations, VALUES and SELECT blocks: the columns each produces. */
import { formatType, type SqlType } from '../api/columns.js';
import { didYouMean } from '../resolve/environment.js';
import { identName, lc, leftmostSpan, objectName, spanOf, union, type Node, type Value } from './ast.js';
import type { AnalysedColumn, Ctx, Scope } from './context.js';
import { callArgs, expectBoolean, expr } from './expressions.js';
import { from } from './relations.js';
import { commonType, T } from './sql-types.js';
import { setOperationNullable, withRolledUpColumns } from './spark-types/grouping.js';
import { generatorAliasColumns, generatorColumns } from './spark-types/generators.js';

export function query(cx: Ctx, q: Node, outer: Scope): AnalysedColumn[] {
  const scope: Scope = { rels: [], ctes: new Map(outer.ctes), parent: outer.parent ?? (outer.rels.length ? outer : undefined) };
  for (const cte of q.with?.cte_tables ?? []) {
    const name = lc(identName(cte.alias.name));
    let cols = query(cx, cte.query, { ...scope, ctes: new Map(scope.ctes) });
    const renames = (cte.alias.columns ?? []).map((c: Node) => identName(c.name ?? c));
    if (renames.length) cols = cols.map((c, i) => ({ ...c, name: renames[i] ?? c.name }));
    scope.ctes.set(name, cols);
  }
  const cols = setExpr(cx, q.body, scope);
  orderBy(cx, q, cols, scope);
  return cols;
}

/**
 * A query's ORDER BY: names resolve against the output columns first, then (below a plain SELECT)
 * against its FROM, as Spark resolves them; `ORDER BY 2` is the second output column.
 */
function orderBy(cx: Ctx, q: Node, cols: AnalysedColumn[], scope: Scope): void {
  const items: Node[] = q.order_by?.kind?.Expressions ?? q.order_by?.exprs ?? [];
  if (!items.length) return;
  const below = q.body?.Select ? cx.selectScopes.get(q.body.Select) : undefined;
  const orderScope: Scope = { rels: [{ alias: '', columns: cols }], ctes: scope.ctes, parent: below ?? scope.parent };
  for (const item of items) {
    const e = item?.expr ?? item;
    const position = e?.Value?.value?.Number?.[0];
    if (position !== undefined) {
      const c = cols[Number(position) - 1];
      if (c) cx.addRowDeps(c.refs, 'order');
      else cx.report('ETL161', 'error', `ORDER BY position ${position} is not in the SELECT list (it has ${cols.length} columns)`, spanOf(e));
      continue;
    }
    cx.addRowDeps(expr(cx, e, orderScope).refs, 'order');
  }
}

export function setExpr(cx: Ctx, body: Node, scope: Scope): AnalysedColumn[] {
  if (body.Select) return select(cx, body.Select, scope);
  if (body.Query) return query(cx, body.Query, scope);
  if (body.SetOperation) {
    const { left, right } = body.SetOperation;
    const l = setExpr(cx, left, scope);
    const r = setExpr(cx, right, scope);
    if (l.length !== r.length) {
      cx.report('ETL166', 'error', `The branches of ${String(body.SetOperation.op).toUpperCase()} have ${l.length} and ${r.length} columns`, spanOf(right), 'Each branch must select the same number of columns, in the same order.');
      return l;
    }
    return l.map((c, i) => {
      const o = r[i]!;
      const type = commonType([c.type, o.type]);
      if (type === undefined) {
        cx.report('ETL170', 'error', `Column ${i + 1} ('${c.name}') is ${formatType(c.type)} in one branch of ${String(body.SetOperation.op).toUpperCase()} and ${formatType(o.type)} in the other`, spanOf(right), 'Cast one side so both branches agree.');
      }
      return { name: c.name, type: type ?? T.unknown, nullable: setOperationNullable(body.SetOperation.op, c.nullable, o.nullable), refs: union(c.refs, o.refs), classes: union(c.classes, o.classes), ...(c.masks || o.masks ? { masks: union(c.masks ?? new Set(), o.masks ?? new Set()) } : {}), ...(c.at ? { at: c.at } : {}) };
    });
  }
  if (body.Values) return values(cx, body.Values, scope);
  cx.report('ETL167', 'warning', `Unsupported query form ${Object.keys(body)[0]}: its columns are not analysed`, spanOf(body));
  return [];
}

export function select(cx: Ctx, sel: Node, outer: Scope): AnalysedColumn[] {
  const scope: Scope = { rels: [], ctes: outer.ctes, parent: outer.rels.length ? outer : outer.parent, laterals: new Map() };
  from(cx, sel.from ?? [], scope);
  for (const lv of sel.lateral_views ?? []) {
    const v = expr(cx, lv.lateral_view, scope);
    const name = objectName(lv.lateral_view_name ?? []).join('.') || '__lateral';
    const aliases = (lv.lateral_col_alias ?? []).map(identName);
    const fn = lc(identName(lv.lateral_view?.Function?.name?.[0] ?? ''));
    const types: SqlType[] =
      fn === 'posexplode' ? [T.int, v.type] : v.type.kind === 'map' ? [v.type.key, v.type.value] : v.type.kind === 'struct' ? v.type.fields.map((f) => f.type) : [v.type];
    const generated = generatorColumns(fn, expr(cx, callArgs(lv.lateral_view.Function ?? {})[0], scope, true).type, lv.outer === true);
    scope.rels.push({
      alias: name,
      columns: aliases.map((a: string, i: number) => ({ name: a, type: generated?.[i]?.type ?? types[i] ?? T.unknown, nullable: generated?.[i]?.nullable ?? true, refs: v.refs, classes: v.classes })),
    });
  }
  if (sel.selection) {
    const v = expr(cx, sel.selection, scope);
    cx.addRowDeps(v.refs, 'filter');
    expectBoolean(cx, v, sel.selection, 'WHERE', true);
  }
  const groupExprs: Node[] = sel.group_by?.Expressions?.[0] ?? [];
  for (const g of groupExprs) {
    if (g?.Value) continue; // positional GROUP BY 1: resolved against the SELECT list below
    const v = expr(cx, g, scope, true);
    cx.addRowDeps(v.refs, 'group');
  }
  // ROLLUP, CUBE and GROUPING SETS: a grouping column is NULL in the rows that roll it up.
  scope.rels = withRolledUpColumns(scope.rels, sel.group_by);
  const out: AnalysedColumn[] = [];
  const seen = new Map<string, number>();
  const push = (c: AnalysedColumn, pos: { line: number; column: number } | undefined) => {
    const key = lc(c.name);
    if (seen.has(key)) {
      cx.report('ETL168', 'warning', `Column '${c.name}' appears twice in the SELECT list`, pos, 'Alias one of them: Delta rejects duplicate column names.');
    }
    seen.set(key, out.length);
    out.push(c);
    scope.laterals!.set(key, c);
  };
  for (const item of sel.projection ?? []) {
    if (item.UnnamedExpr !== undefined || item.ExprWithAlias !== undefined) {
      const e = item.UnnamedExpr ?? item.ExprWithAlias.expr;
      const v = expr(cx, e, scope);
      let name: string;
      if (item.ExprWithAlias) name = identName(item.ExprWithAlias.alias);
      else if (e.Identifier) name = identName(e.Identifier);
      else if (e.CompoundIdentifier) name = identName(e.CompoundIdentifier[e.CompoundIdentifier.length - 1]);
      else {
        name = `_c${out.length}`;
        if (cx.outputSelects.has(sel)) cx.report('ETL169', 'warning', `Expression in the SELECT list has no alias`, spanOf(e), 'Add `AS name`: Spark would name it after the expression text, which makes a poor column name.');
      }
      const at = cx.outputSelects.has(sel) ? leftmostSpan(e) : undefined;
      push({ name, type: v.type, nullable: v.nullable, refs: v.refs, classes: v.classes, ...(v.masks ? { masks: v.masks } : {}), ...(at ? { at } : {}) }, spanOf(e)); // NULL is Spark's void
    } else if (item.ExprWithAliases !== undefined) {
      // `posexplode(x) AS (pos, v)`: one column per alias.
      for (const c of generatorAliasColumns(cx, item.ExprWithAliases, scope) ?? []) push(c, spanOf(item.ExprWithAliases.expr));
    } else if (item.Wildcard !== undefined) {
      const except = exceptList(item.Wildcard);
      const rels = scope.rels;
      if (rels.length === 0) cx.report('ETL161', 'error', 'SELECT * without a FROM clause', undefined);
      // As in Spark, USING keys come first and once, then every other column in FROM order.
      const keys = scope.usingKeys ?? new Set<string>();
      for (const key of keys) {
        const side = scope.usingSide?.get(key);
        const owners = rels.flatMap((r) => r.columns.filter((c) => lc(c.name) === key));
        const chosen = rels.find((r) => lc(r.alias) === side)?.columns.find((c) => lc(c.name) === key) ?? owners[0];
        if (chosen && !except.has(key)) push({ ...chosen, refs: union(...owners.map((c) => c.refs)) }, undefined);
      }
      const star = cx.outputSelects.has(sel) ? leftmostSpan(item) : undefined;
      for (const r of rels) for (const c of r.columns) if (!except.has(lc(c.name)) && !keys.has(lc(c.name))) push(star ? { ...c, at: star } : c, undefined);
      checkExcept(cx, except, rels.flatMap((r) => r.columns), item.Wildcard);
    } else if (item.QualifiedWildcard !== undefined) {
      const [target, opts] = item.QualifiedWildcard;
      const parts = objectName(target?.ObjectName ?? []);
      const alias = parts[parts.length - 1] ?? '';
      const rel = scope.rels.find((r) => lc(r.alias) === lc(alias) || (r.fqn && r.fqn === lc(parts.join('.'))));
      const struct = rel ? undefined : structFields(cx, target?.ObjectName ?? [], scope);
      if (struct) {
        for (const c of struct) push(c, spanOf(target));
        continue;
      }
      if (!rel) {
        cx.report('ETL161', 'error', `Unknown table alias '${parts.join('.')}' in ${parts.join('.')}.*`, spanOf(target), didYouMean(alias, scope.rels.map((r) => r.alias)));
        continue;
      }
      const except = exceptList(opts ?? {});
      const star = cx.outputSelects.has(sel) ? leftmostSpan(item) : undefined;
      for (const c of rel.columns) if (!except.has(lc(c.name))) push(star ? { ...c, at: star } : c, undefined);
      checkExcept(cx, except, rel.columns, opts);
    }
  }
  // Names in GROUP BY are checked once the SELECT list is known: Spark also accepts its aliases.
  for (const g of groupExprs) if (!g?.Value) expr(cx, g, scope);
  cx.selectScopes.set(sel, scope);
  namedWindows(cx, sel, scope);
  for (const g of groupExprs) {
    if (g?.Value?.value?.Number) {
      const c = out[Number(g.Value.value.Number[0]) - 1];
      if (c) cx.addRowDeps(c.refs, 'group');
      else cx.report('ETL161', 'error', `GROUP BY position ${g.Value.value.Number[0]} is not in the SELECT list`, spanOf(g));
    }
  }
  for (const key of ['having', 'qualify'] as const) {
    if (sel[key]) {
      const v = expr(cx, sel[key], scope);
      cx.addRowDeps(v.refs, 'filter');
      expectBoolean(cx, v, sel[key], key.toUpperCase(), key === 'having');
    }
  }
  return out;
}

export function exceptList(opts: Node): Set<string> {
  const ex = opts?.opt_except ?? opts?.opt_exclude;
  if (!ex) return new Set();
  const names: string[] = [];
  if (ex.first_element) names.push(identName(ex.first_element), ...(ex.additional_elements ?? []).map(identName));
  else if (ex.Multiple) names.push(...ex.Multiple.map(identName));
  else if (ex.Single) names.push(identName(ex.Single));
  return new Set(names.map(lc));
}

export function checkExcept(cx: Ctx, except: Set<string>, cols: AnalysedColumn[], node: Node): void {
  const names = new Set(cols.map((c) => lc(c.name)));
  for (const e of except) {
    if (!names.has(e)) cx.report('ETL161', 'error', `Column '${e}' in * EXCEPT is not among the selected columns`, spanOf(node), didYouMean(e, cols.map((c) => c.name)));
  }
}

/** An inline table: columns col1..colN, each of the common type of its rows (as Spark's). */
function values(cx: Ctx, v: Node, scope: Scope): AnalysedColumn[] {
  const rows: Node[][] = (v.rows ?? []).map((row: Node) => (Array.isArray(row) ? row : (row?.content ?? [])));
  const width = rows[0]?.length ?? 0;
  const cells = rows.map((row) => row.map((e) => expr(cx, e, scope)));
  rows.forEach((row, i) => {
    if (row.length !== width) cx.report('ETL166', 'error', `Row ${i + 1} of VALUES has ${row.length} values, the first row ${width}`, spanOf(row), 'Every row of an inline table has the same number of values.');
  });
  return Array.from({ length: width }, (_, i) => {
    const column = cells.map((row) => row[i]).filter((x): x is Value => x !== undefined);
    const type = commonType(column.map((c) => c.type));
    if (type === undefined) cx.report('ETL170', 'error', `Column ${i + 1} of VALUES mixes ${[...new Set(column.map((c) => formatType(c.type)))].join(' and ')}`, spanOf(rows.map((r) => r[i])), 'Cast the values so every row has the same type.');
    return {
      name: `col${i + 1}`,
      type: type === undefined || type.kind === 'null' ? T.unknown : type,
      nullable: column.some((c) => c.nullable),
      refs: union(...column.map((c) => c.refs)),
      classes: union(...column.map((c) => c.classes)),
    };
  });
}

/** `WINDOW w AS (PARTITION BY ... ORDER BY ...)`: its columns are window dependencies. */
function namedWindows(cx: Ctx, sel: Node, scope: Scope): void {
  for (const entry of sel.named_window ?? []) {
    const spec = Array.isArray(entry) ? entry[1]?.WindowSpec : undefined;
    for (const p of spec?.partition_by ?? []) cx.addRowDeps(expr(cx, p, scope).refs, 'window');
    for (const o of spec?.order_by ?? []) cx.addRowDeps(expr(cx, o.expr, scope).refs, 'window');
  }
}

/** `s.*` of a struct column `s` (not a table alias): one column per field, as Spark expands it. */
function structFields(cx: Ctx, nameParts: Node[], scope: Scope): AnalysedColumn[] | undefined {
  const idents = nameParts.map((p) => p?.Identifier ?? p);
  const v = expr(cx, idents.length === 1 ? { Identifier: idents[0] } : { CompoundIdentifier: idents }, scope, true);
  if (v.type.kind !== 'struct') return undefined;
  return v.type.fields.map((f) => ({ name: f.name, type: f.type, nullable: v.nullable || f.nullable !== false, refs: v.refs, classes: v.classes }));
}
