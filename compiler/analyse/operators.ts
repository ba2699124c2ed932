/** Binary operators: arithmetic (Spark's decimal rules), comparison, logic. */
import { formatType, type SqlType } from '../api/columns.js';
import { union, spanOf, type Node, type Value } from './ast.js';
import type { Ctx, Scope } from './context.js';
import { checkComparable } from './comparisons.js';
import { expectBoolean, expr } from './expressions.js';
import { arithmetic, operandOf } from './spark-types/arithmetic.js';
import { comparisonForcesNull } from './spark-types/casts.js';
import { bitwiseType } from './spark-types/expression-forms.js';
import { isComplex, T } from './sql-types.js';

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
      // Spark's result type and nullability (DecimalPrecision, date arithmetic, div): spark-types/arithmetic.ts.
      const arith = ({ Plus: '+', Minus: '-', Multiply: '*', Divide: '/', Modulo: '%' } as const)[op as 'Plus'] ?? 'div';
      return { ...base, ...arithmetic(arith, operandOf(a, v.left), operandOf(b, v.right)) };
    }
    case 'Gt':
    case 'Lt':
    case 'GtEq':
    case 'LtEq':
    case 'Eq':
    case 'NotEq':
    case 'Spaceship': {
      checkComparable(cx, a, b, spanOf(v.left) ? v.left : v.right);
      // boolean = 1 is legal in Spark's default (non-ANSI) mode, so it is not reported.
      return { ...base, type: T.boolean, nullable: op === 'Spaceship' ? false : base.nullable || comparisonForcesNull(a.type, b.type), classes: new Set() };
    }
    case 'And':
    case 'Or':
      expectBoolean(cx, a, v.left, op.toUpperCase());
      expectBoolean(cx, b, v.right, op.toUpperCase());
      return { ...base, type: T.boolean, classes: new Set() };
    case 'StringConcat':
      return { ...base, type: T.string };
    case 'BitwiseAnd':
    case 'BitwiseOr':
    case 'BitwiseXor':
      return { ...base, type: bitwiseType(a.type, b.type) };
    default:
      return { ...base, type: T.unknown };
  }
}
