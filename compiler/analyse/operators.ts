/** Binary operators: arithmetic (Spark's decimal rules), comparison, logic. */
import { formatType, type SqlType } from '../api/columns.js';
import { union, spanOf, type Node, type Value } from './ast.js';
import type { Ctx, Scope } from './context.js';
import { expectBoolean, expr } from './expressions.js';
import { asDecimal, isComplex, isKnown, isNumeric, T, widenNumeric } from './sql-types.js';

export function binary(cx: Ctx, v: Node, scope: Scope, silent: boolean): Value {
  const a = expr(cx, v.left, scope, silent);
  const b = expr(cx, v.right, scope, silent);
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
          cx.report('ETL170', 'error', `Operator ${sym} cannot take ${formatType(side.type)}`, spanOf(node), 'Arithmetic needs numbers (or dates with + and -); cast the operand.');
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
        cx.report('ETL170', 'error', `Cannot compare ${formatType(a.type)} with ${formatType(b.type)}`, spanOf(v.left) ?? spanOf(v.right), 'Compare values of the same kind.');
      }
      // boolean = 1 is legal in Spark's default (non-ANSI) mode, so it is not reported.
      return { ...base, type: T.boolean, nullable: op === 'Spaceship' ? false : base.nullable, classes: new Set() };
    }
    case 'And':
    case 'Or':
      expectBoolean(cx, a, v.left, op.toUpperCase());
      expectBoolean(cx, b, v.right, op.toUpperCase());
      return { ...base, type: T.boolean, classes: new Set() };
    case 'StringConcat':
      return { ...base, type: T.string };
    default:
      return { ...base, type: T.unknown };
  }
}

/** Spark's bound on decimal results: at most 38 digits, keeping at least 6 of scale when cut. */
function boundedDecimal(precision: number, scale: number): SqlType {
  if (precision <= 38) return T.decimal(precision, scale);
  const intDigits = precision - scale;
  const keptScale = Math.max(38 - intDigits, Math.min(scale, 6));
  return T.decimal(38, keptScale);
}
