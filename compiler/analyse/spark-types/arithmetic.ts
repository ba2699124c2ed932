/**
 * Spark 3.5's result of + - * / % and `div` (default, non-ANSI mode): the operand types after
 * implicit casts, decimal precision and scale by DecimalPrecision, date and interval arithmetic,
 * and nullability (division and remainder are NULL for a zero divisor; decimal results are NULL
 * on overflow).
 */
import type { SqlType } from '../../api/columns.js';
import { isFloating, isIntegral, isKnown, isNumeric, T, widenNumeric } from '../sql-types.js';
import { decimalArithmetic, INTEGRAL_AS_DECIMAL, integerLiteralDecimal, type Decimal } from './decimal-rules.js';
import { integerLiteralValue } from './literals.js';

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | 'div';

export interface Operand {
  type: SqlType;
  nullable: boolean;
  /** The value when the operand is an integer literal (`2`, `-1`, `7L`). */
  integerLiteral?: bigint;
  /** A lambda (`x -> x + 1`): its type and nullability are the body's. */
  lambda?: boolean;
  /** The text when the operand is a string literal (a format, a schema). */
  stringLiteral?: string;
}

export interface Result {
  type: SqlType;
  nullable: boolean;
}

/** The decimal an operand counts as next to a decimal. */
function decimalOf(o: Operand): Decimal {
  if (o.type.kind === 'decimal') return o.type;
  if (o.integerLiteral !== undefined) return integerLiteralDecimal(o.integerLiteral);
  return INTEGRAL_AS_DECIMAL[o.type.kind]!;
}

/** Date, timestamp and interval arithmetic; undefined when neither side is one. */
function datetime(op: ArithmeticOp, a: SqlType, b: SqlType, nullable: boolean): Result | undefined {
  const dt = (t: SqlType) => t.kind === 'date' || t.kind === 'timestamp';
  if (!dt(a) && !dt(b) && a.kind !== 'interval' && b.kind !== 'interval') return undefined;
  if (op !== '+' && op !== '-') return { type: T.unknown, nullable: true };
  if (op === '-' && dt(a) && dt(b)) return { type: a.kind === 'date' && b.kind === 'date' ? T.interval('day') : T.interval('day to second'), nullable };
  const [base, other] = dt(a) ? [a, b] : op === '+' && dt(b) ? [b, a] : [undefined, undefined];
  if (!base || !other) return { type: a.kind === 'interval' && sameKind(a, b) ? a : T.unknown, nullable };
  if (isIntegral(other)) return { type: base.kind === 'date' ? T.date : T.unknown, nullable };
  if (other.kind === 'interval') {
    const timeOfDay = /hour|minute|second/.test(other.fields);
    return { type: base.kind === 'date' && !timeOfDay ? T.date : T.timestamp, nullable };
  }
  return { type: T.unknown, nullable };
}

const sameKind = (a: SqlType, b: SqlType) => JSON.stringify(a) === JSON.stringify(b);

/** The type and nullability of `a op b`. */
export function arithmetic(op: ArithmeticOp, a: Operand, b: Operand): Result {
  const dividing = op === '/' || op === '%' || op === 'div';
  const anyNull = a.nullable || b.nullable;
  const time = datetime(op, a.type, b.type, anyNull);
  if (time) return time;
  // NULL takes the other side's type; a string is read as a double (and may not parse).
  let x = a.type.kind === 'null' ? { ...a, type: b.type } : a;
  let y = b.type.kind === 'null' ? { ...b, type: a.type } : b;
  let nullable = anyNull || dividing || a.type.kind === 'null' || b.type.kind === 'null';
  if (x.type.kind === 'string' || y.type.kind === 'string') {
    if (op === 'div') return { type: T.bigint, nullable: true };
    x = x.type.kind === 'string' ? { ...x, type: T.double, integerLiteral: undefined } : x;
    y = y.type.kind === 'string' ? { ...y, type: T.double, integerLiteral: undefined } : y;
    nullable = true;
  }
  if (!isKnown(x.type) || !isKnown(y.type) || !isNumeric(x.type) || !isNumeric(y.type)) {
    return { type: op === 'div' ? T.bigint : op === '/' && isKnown(x.type) && isKnown(y.type) ? T.double : T.unknown, nullable: true };
  }
  if (op === 'div') return { type: T.bigint, nullable: true };
  const decimal = x.type.kind === 'decimal' || y.type.kind === 'decimal';
  if (decimal && !isFloating(x.type) && !isFloating(y.type)) {
    const d = decimalArithmetic(op, decimalOf(x), decimalOf(y));
    return { type: T.decimal(d.precision, d.scale), nullable: true };
  }
  if (op === '/') return { type: T.double, nullable: true };
  return { type: decimal ? T.double : widenNumeric(x.type, y.type), nullable };
}

/** An operand from its analysed value and its AST node (which says whether it is an integer literal). */
export function operandOf(value: { type: SqlType; nullable: boolean }, node: unknown): Operand {
  const literal = integerLiteralValue(node);
  const lambda = typeof node === 'object' && node !== null && 'Lambda' in node;
  const text = (node as { Value?: { value?: { SingleQuotedString?: unknown } } } | undefined)?.Value?.value?.SingleQuotedString;
  return {
    type: value.type,
    nullable: value.nullable,
    ...(literal !== undefined ? { integerLiteral: literal } : {}),
    ...(lambda ? { lambda } : {}),
    ...(typeof text === 'string' ? { stringLiteral: text } : {}),
  };
}
