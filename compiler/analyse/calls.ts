/** Function calls: return types, aggregates, windows, structs. */
import { formatType, type SqlType } from '../api/columns.js';
import { EMPTY, lc, objectName, identName, spanOf, union, type Node, type Value } from './ast.js';
import type { Ctx, Scope } from './context.js';
import { STAR_MARKER } from './normalise.js';
import { didYouMean } from '../resolve/environment.js';
import { callArgs, expr } from './expressions.js';
import { AGGREGATES, functionResult } from './functions.js';
import { operandOf } from './spark-types/arithmetic.js';
import { lambdaValue } from './spark-types/higher-order.js';
import { isUnitArgument } from './spark-types/expression-forms.js';
import { containerType, elementNullable, structField } from './spark-types/containers.js';
import { isComplex, isKnown } from './sql-types.js';
import { callClassification } from './mask-shapes.js';

export function func(cx: Ctx, f: Node, scope: Scope, silent: boolean): Value {
  const name = lc(objectName(f.name).join('.'));
  const argNodes = expandStars(cx, callArgs(f), scope);
  const args: Value[] = [];
  for (const a of argNodes) {
    const unit = isUnitArgument(name, args.length, a, argNodes.length);
    args.push(a.__wildcard || unit ? { ...EMPTY(), nullable: false } : a.Lambda ? lambdaValue(cx, name, a.Lambda, args, scope, silent) : expr(cx, a, scope, silent));
  }
  if (f.over?.WindowSpec) {
    const spec = f.over.WindowSpec;
    for (const p of spec.partition_by ?? []) cx.addRowDeps(expr(cx, p, scope, silent).refs, 'window');
    for (const o of spec.order_by ?? []) cx.addRowDeps(expr(cx, o.expr, scope, silent).refs, 'window');
  }
  if (f.filter) cx.addRowDeps(expr(cx, f.filter, scope, silent).refs, 'filter');
  const types = args.map((a) => a.type);
  if ((name === 'sum' || name === 'avg') && types[0] && (types[0].kind === 'boolean' || isComplex(types[0]) || types[0].kind === 'date' || types[0].kind === 'timestamp')) {
    cx.report('ETL170', 'error', `${name}() needs a number, got ${formatType(types[0])}`, spanOf(argNodes[0]), `Cast it first, or use count() to count rows.`);
  }
  const result = functionResult(name, args.map((a, i) => operandOf(a, argNodes[i])), f.over !== undefined && f.over !== null);
  let type = containerType(name, result.type, args, argNodes, scope);
  let nullable = result.nullable;
  if ((name === 'explode' || name === 'posexplode') && types[0]) nullable = elementNullable(types[0]);
  if (name === 'explode' || name === 'explode_outer' || name === 'posexplode') {
    if (types[0] && isKnown(types[0]) && types[0].kind !== 'array' && types[0].kind !== 'map') {
      cx.report('ETL170', 'error', `${name}() needs an array or map, got ${formatType(types[0])}`, spanOf(argNodes[0]));
    }
  }
  if (name === 'named_struct' || name === 'struct') {
    const fields: Array<{ name: string; type: SqlType; nullable?: boolean }> = [];
    if (name === 'named_struct') {
      for (let i = 0; i + 1 < argNodes.length; i += 2) {
        const n = argNodes[i]?.Value?.value?.SingleQuotedString ?? `col${i / 2 + 1}`;
        fields.push(structField(n, args[i + 1] ?? EMPTY()));
      }
    } else {
      argNodes.forEach((a, i) => fields.push(structField(a.Identifier ? identName(a.Identifier) : Array.isArray(a.CompoundIdentifier) ? identName(a.CompoundIdentifier[a.CompoundIdentifier.length - 1]) : `col${i + 1}`, args[i] ?? EMPTY())));
    }
    type = { kind: 'struct', fields };
  }
  const isAgg = AGGREGATES.has(name) && !f.over;
  // A count of personal data is not personal data: counting drops classification.
  const dropsClasses = name.startsWith('count') || name === 'approx_count_distinct';
  return {
    type,
    nullable,
    refs: union(...args.map((a) => a.refs)),
    // A mask (mask-shapes.ts) changes the classification of what it hides.
    ...callClassification(name, argNodes, args, dropsClasses ? new Set() : union(...args.map((a) => a.classes))),
    agg: isAgg || args.some((a) => a.agg),
  };
}

/** `f(t.*)` (read as `t.__etl_star`): one argument per column of `t`, as Spark expands it. */
function expandStars(cx: Ctx, argNodes: Node[], scope: Scope): Node[] {
  return argNodes.flatMap((a) => {
    const parts: Node[] | undefined = a?.CompoundIdentifier;
    if (!Array.isArray(parts) || identName(parts[parts.length - 1]) !== STAR_MARKER) return [a];
    const qualifier = parts.slice(0, -1).map(identName).join('.');
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const rel = s.rels.find((r) => lc(r.alias) === lc(qualifier) || r.fqn === lc(qualifier));
      if (rel) return rel.columns.map((c) => ({ CompoundIdentifier: [...parts.slice(0, -1), { value: c.name, span: parts[parts.length - 1].span }] }));
    }
    cx.report('ETL161', 'error', `Unknown table alias '${qualifier}' in ${qualifier}.*`, spanOf(parts[0]), didYouMean(qualifier, scope.rels.map((r) => r.alias)));
    return [];
  });
}

/** `STRUCT(a, t.b, x AS c, t.*)`: a struct with a field per value, named as Spark names them. */
export function structValue(cx: Ctx, v: Node, scope: Scope, silent: boolean): Value {
  const values = expandStars(cx, v.values ?? [], scope);
  const fields: Array<{ name: string; type: SqlType; nullable?: boolean }> = [];
  const parts = values.map((x, i) => {
    const inner = x?.Named ? x.Named.expr : x;
    const value = expr(cx, inner, scope, silent);
    const name = x?.Named ? identName(x.Named.name) : inner?.Identifier ? identName(inner.Identifier) : Array.isArray(inner?.CompoundIdentifier) ? identName(inner.CompoundIdentifier[inner.CompoundIdentifier.length - 1]) : `col${i + 1}`;
    fields.push(structField(name, value));
    return value;
  });
  return { type: { kind: 'struct', fields }, nullable: false, refs: union(...parts.map((p) => p.refs)), classes: union(...parts.map((p) => p.classes)), agg: parts.some((p) => p.agg) };
}
