/** Expressions: the type, nullability, lineage and classification of each value. */
import { formatType, type Classification } from '../api/columns.js';
import { EMPTY, identName, lc, literal, spanOf, suffixedLiteral, typeFromAst, union, type Node, type Value } from './ast.js';
import { binary } from './operators.js';
import { func, structValue } from './calls.js';
import { column } from './columns.js';
import { checkComparable } from './comparisons.js';
import type { Ctx, Scope } from './context.js';
import { query } from './query.js';
import { commonType, isComplex, isKnown, isNumeric, T } from './sql-types.js';
import { castNullable } from './spark-types/casts.js';
import { ceilFloorForm, extractType } from './spark-types/expression-forms.js';
import { intervalType, numericLiteralText, numericLiteralType } from './spark-types/literals.js';

/**
 * `strict`: a WHERE, HAVING or JOIN ... ON condition, which Spark never casts (FILTER_NOT_BOOLEAN,
 * JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE), so a string is an error there; AND, OR and NOT cast strings.
 */
export function expectBoolean(cx: Ctx, v: Value, node: Node, clause: string, strict = false): void {
  if (isKnown(v.type) && v.type.kind !== 'boolean' && (strict || v.type.kind !== 'string')) {
    cx.report('ETL170', 'error', `${clause} condition is ${formatType(v.type)}, not boolean`, spanOf(node), 'Compare it with something, e.g. `col IS NOT NULL` or `col > 0`.');
  }
}

export function callArgs(fn: Node): Node[] {
  const list = fn.args?.List?.args ?? [];
  return list.map((a: Node) => {
    const inner = a.Unnamed ?? a.Named?.arg ?? a.ExprNamed?.arg ?? a;
    return inner === 'Wildcard' || inner?.Wildcard !== undefined ? { __wildcard: true } : (inner.Expr ?? inner);
  });
}

export function expr(cx: Ctx, e: Node, scope: Scope, silent = false): Value {
  if (e === null || e === undefined) return EMPTY();
  if (typeof e !== 'object') return EMPTY();
  const key = Object.keys(e)[0]!;
  const v = e[key];
  switch (key) {
    case 'Identifier':
      return suffixedLiteral(v) ?? column(cx, [identName(v)], v, scope, silent);
    case 'CompoundIdentifier':
      return column(cx, v.map(identName), v, scope, silent);
    case 'Value':
      return literal(v);
    case 'TypedString':
      return { ...EMPTY(), type: typeFromAst(v.data_type), nullable: false };
    case 'Nested':
      return expr(cx, v, scope, silent);
    case 'Interval':
      return { ...EMPTY(), type: intervalType(v), nullable: false };
    case 'IsNull':
    case 'IsNotNull':
    case 'IsTrue':
    case 'IsFalse':
    case 'IsNotTrue':
    case 'IsNotFalse':
    case 'IsUnknown':
    case 'IsNotUnknown': {
      const inner = expr(cx, v, scope, silent);
      // Whether a value is there is not the value: IS [NOT] NULL drops its classification.
      const presence = key === 'IsNull' || key === 'IsNotNull';
      return { ...inner, type: T.boolean, nullable: false, ...(presence ? { classes: new Set<Classification>() } : {}) };
    }
    case 'InList': {
      const a = expr(cx, v.expr, scope, silent);
      const items = (v.list ?? []).map((x: Node) => expr(cx, x, scope, silent));
      const clash = items.find((i: Value) => isKnown(i.type) && isKnown(a.type));
      if (clash) checkComparable(cx, a, clash, v.expr);
      return { type: T.boolean, nullable: a.nullable, refs: union(a.refs, ...items.map((i: Value) => i.refs)), classes: a.classes, agg: a.agg };
    }
    case 'InSubquery': {
      const a = expr(cx, v.expr, scope, silent);
      const sub = query(cx, v.subquery, { ...scope, parent: scope });
      return { type: T.boolean, nullable: a.nullable, refs: union(a.refs, ...sub.map((c) => c.refs)), classes: a.classes, agg: a.agg };
    }
    case 'Between': {
      const parts = [v.expr, v.low, v.high].map((x) => expr(cx, x, scope, silent));
      checkComparable(cx, parts[0]!, isKnown(parts[1]!.type) ? parts[1]! : parts[2]!, v.expr);
      return { type: T.boolean, nullable: parts.some((p) => p.nullable), refs: union(...parts.map((p) => p.refs)), classes: new Set(), agg: parts.some((p) => p.agg) };
    }
    case 'Like':
    case 'ILike':
    case 'RLike':
    case 'SimilarTo': {
      const a = expr(cx, v.expr, scope, silent);
      const p = expr(cx, v.pattern, scope, silent);
      if (isComplex(a.type)) cx.report('ETL170', 'error', `${key.toUpperCase()} needs a string, got ${formatType(a.type)}`, spanOf(v.expr));
      return { type: T.boolean, nullable: a.nullable || p.nullable, refs: union(a.refs, p.refs), classes: new Set(), agg: a.agg };
    }
    case 'UnaryOp': {
      const a = expr(cx, v.expr, scope, silent);
      if (v.op === 'Not') {
        expectBoolean(cx, a, v.expr, 'NOT');
        return { ...a, type: T.boolean };
      }
      const negative = numericLiteralText(e);
      if (negative !== undefined) return { ...a, type: /[a-z]$/i.test(negative) ? a.type : numericLiteralType(negative) }; // `-3L`: the suffix types it // `-1` is one literal in Spark
      if (isKnown(a.type) && !isNumeric(a.type) && a.type.kind !== 'string' && a.type.kind !== 'interval') {
        cx.report('ETL170', 'error', `Unary ${v.op === 'Minus' ? '-' : '+'} needs a number, got ${formatType(a.type)}`, spanOf(v.expr));
      }
      return a;
    }
    case 'BinaryOp':
      return binary(cx, v, scope, silent);
    case 'Cast': {
      const a = expr(cx, v.expr, scope, silent);
      const to = typeFromAst(v.data_type);
      if (isComplex(a.type) && isKnown(to) && !isComplex(to) && to.kind !== 'string') {
        cx.report('ETL170', 'error', `Cannot cast ${formatType(a.type)} to ${formatType(to)}`, spanOf(v.expr));
      }
      return { ...a, type: to, nullable: castNullable(a.type, to, a.nullable, v.kind === 'TryCast' || v.kind === 'SafeCast') };
    }
    case 'Case': {
      const operand = v.operand ? expr(cx, v.operand, scope, silent) : undefined;
      const conds = (v.conditions ?? []).map((c: Node) => expr(cx, c.condition, scope, silent));
      const results = (v.conditions ?? []).map((c: Node) => expr(cx, c.result, scope, silent));
      const elseV = v.else_result ? expr(cx, v.else_result, scope, silent) : undefined;
      const branches = [...results, ...(elseV ? [elseV] : [])];
      const type = commonType(branches.map((b: Value) => b.type));
      if (type === undefined) {
        cx.report('ETL170', 'error', `CASE branches have incompatible types: ${branches.map((b: Value) => formatType(b.type)).join(', ')}`, spanOf(e), 'Cast the branches to one type.');
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
      return func(cx, v, scope, silent);
    case 'Rollup':
    case 'Cube':
    case 'GroupingSets': {
      const parts = (v as Node[][]).flat().map((x) => expr(cx, x, scope, silent));
      return { ...EMPTY(), refs: union(...parts.map((p) => p.refs)), classes: union(...parts.map((p) => p.classes)) };
    }
    case 'Struct':
      return structValue(cx, v, scope, silent);
    case 'Subquery': {
      const cols = query(cx, v, { ...scope, parent: scope });
      const c = cols[0];
      return c ? { type: c.type, nullable: true, refs: c.refs, classes: c.classes, agg: false } : EMPTY();
    }
    case 'Exists': {
      const cols = query(cx, v.subquery, { ...scope, parent: scope });
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
      const root = names.length ? column(cx, names, v.root, scope, silent) : expr(cx, v.root, scope, silent);
      let type = root.type;
      for (const step of chain.slice(consumed)) {
        if (step.Subscript) {
          expr(cx, step.Subscript.Index?.index, scope, silent);
          type = type.kind === 'array' ? type.element : type.kind === 'map' ? type.value : T.unknown;
        } else if (step.Dot) {
          const field = identName(step.Dot.Identifier ?? step.Dot);
          type = type.kind === 'struct' ? (type.fields.find((f) => lc(f.name) === lc(field))?.type ?? T.unknown) : T.unknown;
        }
      }
      return { ...root, type, nullable: true };
    }
    case 'Extract':
      return { ...expr(cx, v.expr, scope, silent), type: extractType(v.field) };
    case 'Ceil':
    case 'Floor': {
      const a = expr(cx, v.expr, scope, silent);
      return { ...a, ...ceilFloorForm(a.type) };
    }
    case 'Position': {
      const parts = [expr(cx, v.expr, scope, silent), expr(cx, v.in, scope, silent)];
      return { type: T.int, nullable: parts.some((p) => p.nullable), refs: union(...parts.map((p) => p.refs)), classes: new Set(), agg: parts.some((p) => p.agg) };
    }
    case 'Substring':
    case 'Trim':
    case 'Overlay': {
      const parts = Object.values(v).filter((x) => x && typeof x === 'object').map((x) => expr(cx, x, scope, silent));
      return { type: T.string, nullable: parts.some((p) => p.nullable), refs: union(...parts.map((p) => p.refs)), classes: union(...parts.map((p) => p.classes)), agg: false };
    }
    case 'Lambda':
      return EMPTY();
    default:
      return opaque(cx, e, scope);
  }
}

/** For expression forms not modelled: collect the columns it mentions, type unknown. */
export function opaque(cx: Ctx, e: Node, scope: Scope): Value {
  const refs = new Set<string>();
  const classes = new Set<Classification>();
  const visit = (n: Node) => {
    if (!n || typeof n !== 'object') return;
    if (n.Identifier && typeof n.Identifier === 'object' && 'value' in n.Identifier) {
      const v = column(cx, [identName(n.Identifier)], n.Identifier, scope, true);
      v.refs.forEach((r) => refs.add(r));
      v.classes.forEach((c) => classes.add(c));
      return;
    }
    if (Array.isArray(n.CompoundIdentifier)) {
      const v = column(cx, n.CompoundIdentifier.map(identName), n.CompoundIdentifier, scope, true);
      v.refs.forEach((r) => refs.add(r));
      v.classes.forEach((c) => classes.add(c));
      return;
    }
    for (const x of Object.values(n)) visit(x);
  };
  visit(e);
  return { type: T.unknown, nullable: true, refs, classes, agg: false };
}
