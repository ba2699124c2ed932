/** FROM: tables, CTEs, derived tables and joins, each a relation in scope. */
import { didYouMean } from '../resolve/environment.js';
import { identName, lc, objectName, spanOf, union, type Node } from './ast.js';
import type { Ctx, Rel, Scope } from './context.js';
import { expectBoolean, expr } from './expressions.js';
import { query } from './query.js';
import { T } from './sql-types.js';

export function relationFor(cx: Ctx, factor: Node, scope: Scope): Rel | undefined {
  if (factor.Table?.args) return tableFunction(cx, factor.Table, scope);
  if (factor.Table) {
    const parts = objectName(factor.Table.name);
    const alias = factor.Table.alias ? identName(factor.Table.alias.name) : parts[parts.length - 1]!;
    const fqn = lc(parts.join('.'));
    if (parts.length === 1 && scope.ctes.has(fqn)) return { alias, columns: scope.ctes.get(fqn)! };
    const entry = cx.catalog.get(fqn);
    if (entry && cx.declared && !cx.declared.has(fqn)) {
      cx.report(
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
    cx.report(
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
    const cols = query(cx, factor.Derived.subquery, scope);
    const alias = factor.Derived.alias ? identName(factor.Derived.alias.name) : '__subquery';
    const renames = (factor.Derived.alias?.columns ?? []).map((c: Node) => identName(c.name ?? c));
    return { alias, columns: renames.length ? cols.map((c, i) => ({ ...c, name: renames[i] ?? c.name })) : cols };
  }
  if (factor.NestedJoin) {
    const inner: Scope = { ...scope, rels: [] };
    from(cx, [factor.NestedJoin.table_with_joins], inner);
    const alias = factor.NestedJoin.alias ? identName(factor.NestedJoin.alias.name) : '__nested';
    return { alias, columns: inner.rels.flatMap((r) => r.columns) };
  }
  const kind = Object.keys(factor)[0];
  const alias = factor[kind!]?.alias ? identName(factor[kind!].alias.name) : `__${kind}`;
  return { alias, columns: [], opaque: true };
}

export function from(cx: Ctx, items: Node[], scope: Scope): void {
  for (const twj of items) {
    const base = relationFor(cx, twj.relation, scope);
    if (base) scope.rels.push(base);
    for (const join of twj.joins ?? []) {
      const rel = relationFor(cx, join.relation, scope);
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
        const v = expr(cx, constraint.On, scope);
        cx.addRowDeps(v.refs, 'join');
        expectBoolean(cx, v, constraint.On, 'JOIN ... ON', true);
      } else if (constraint && typeof constraint === 'object' && constraint.Using) {
        for (const u of constraint.Using) {
          const name = objectName(Array.isArray(u) ? u : [u]).join('.');
          (scope.usingKeys ??= new Set()).add(lc(name));
          if (/^(Right|RightOuter)$/.test(opKey)) (scope.usingSide ??= new Map()).set(lc(name), lc(rel.alias));
          for (const r of [leftRels[leftRels.length - 1], rel]) {
            const c = r?.columns.find((x) => lc(x.name) === lc(name));
            if (c) cx.addRowDeps(c.refs, 'join');
            else if (r && !r.opaque) cx.report('ETL161', 'error', `Column '${name}' in USING is not in '${r.alias}'`, spanOf(u), didYouMean(name, r.columns.map((x) => x.name)));
          }
        }
      }
      if (constraint === 'Natural') naturalKeys(cx, leftRels, rel, scope);
      // Semi and anti joins only filter: the right side's columns are not visible afterwards.
      if (/Semi|Anti/.test(opKey)) {
        scope.rels.pop();
        cx.addRowDeps(union(...rel.columns.map((c) => c.refs)), 'join');
      }
    }
  }
}

/** A table-valued function in FROM: `range(...)` has Spark's one column `id`; others are opaque. */
function tableFunction(cx: Ctx, table: Node, scope: Scope): Rel {
  const name = lc(objectName(table.name).join('.'));
  const alias = table.alias ? identName(table.alias.name) : name;
  const args = (table.args?.args ?? []).map((a: Node) => a.Unnamed?.Expr ?? a.Unnamed ?? a.Named?.arg?.Expr ?? a);
  for (const a of args) expr(cx, a, scope);
  if (name === 'range') {
    const renames = (table.alias?.columns ?? []).map((c: Node) => identName(c.name ?? c));
    return { alias, columns: [{ name: renames[0] ?? 'id', type: T.bigint, nullable: false, refs: new Set(), classes: new Set() }] };
  }
  return { alias, columns: [], opaque: true };
}

/** NATURAL JOIN: the columns both sides have are its keys, as for USING (one column, unqualified). */
function naturalKeys(cx: Ctx, leftRels: Rel[], rel: Rel, scope: Scope): void {
  // In the left side's column order, as Spark lists them.
  for (const l of leftRels.flatMap((r) => r.columns)) {
    const key = lc(l.name);
    const right = rel.columns.find((x) => lc(x.name) === key);
    if (!right || scope.usingKeys?.has(key)) continue;
    (scope.usingKeys ??= new Set()).add(key);
    cx.addRowDeps(union(l.refs, right.refs), 'join');
  }
}
