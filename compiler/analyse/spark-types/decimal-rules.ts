/**
 * Spark 3.5's decimal type rules (DecimalPrecision, DecimalType.adjustPrecisionScale) with
 * spark.sql.decimalOperations.allowPrecisionLoss=true, the default: the result of + - * / % is at
 * most 38 digits, and when it would be wider its scale is cut, keeping at least 6 digits of it.
 */
export interface Decimal {
  precision: number;
  scale: number;
}

export const MAX_PRECISION = 38;
/** The least scale kept when a result is cut to 38 digits. */
export const MINIMUM_ADJUSTED_SCALE = 6;

/** DecimalType.bounded: each part capped at 38, nothing else changed. */
export function bounded(precision: number, scale: number): Decimal {
  return { precision: Math.min(precision, MAX_PRECISION), scale: Math.min(scale, MAX_PRECISION) };
}

/** DecimalType.adjustPrecisionScale: fits a result into 38 digits, giving up scale before integer digits. */
export function adjustPrecisionScale(precision: number, scale: number): Decimal {
  if (precision <= MAX_PRECISION) return { precision, scale };
  if (scale < 0) return { precision: MAX_PRECISION, scale };
  const intDigits = precision - scale;
  const minScale = Math.min(scale, MINIMUM_ADJUSTED_SCALE);
  return { precision: MAX_PRECISION, scale: Math.max(MAX_PRECISION - intDigits, minScale) };
}

export type DecimalOp = '+' | '-' | '*' | '/' | '%';

/** The result type of `a op b` for two decimals (integers already turned into decimals). */
export function decimalArithmetic(op: DecimalOp, a: Decimal, b: Decimal): Decimal {
  const { precision: p1, scale: s1 } = a;
  const { precision: p2, scale: s2 } = b;
  switch (op) {
    case '+':
    case '-': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.max(p1 - s1, p2 - s2) + scale + 1, scale);
    }
    case '*':
      return adjustPrecisionScale(p1 + p2 + 1, s1 + s2);
    case '/': {
      const scale = Math.max(MINIMUM_ADJUSTED_SCALE, s1 + p2 + 1);
      return adjustPrecisionScale(p1 - s1 + s2 + scale, scale);
    }
    case '%': {
      const scale = Math.max(s1, s2);
      return adjustPrecisionScale(Math.min(p1 - s1, p2 - s2) + scale, scale);
    }
  }
}

/** The decimal that holds every value of two decimals (UNION, CASE, COALESCE): bounded, not adjusted. */
export function widerDecimal(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  const range = Math.max(a.precision - a.scale, b.precision - b.scale);
  return bounded(range + scale, scale);
}

/** DecimalType.forType: the decimal an integral (or floating) type is widened to. */
export const INTEGRAL_AS_DECIMAL: Record<string, Decimal> = {
  tinyint: { precision: 3, scale: 0 },
  smallint: { precision: 5, scale: 0 },
  int: { precision: 10, scale: 0 },
  bigint: { precision: 20, scale: 0 },
  float: { precision: 14, scale: 7 },
  double: { precision: 30, scale: 15 },
};

/**
 * DecimalType.fromLiteral: an integer literal next to a decimal counts with its own digits
 * (spark.sql.legacy.literal.pickMinimumPrecision, true by default): `m * 2` is decimal(p+2, s).
 */
export function integerLiteralDecimal(value: bigint): Decimal {
  const digits = (value < 0n ? -value : value).toString().length;
  return { precision: Math.max(digits, 1), scale: 0 };
}

/** sum() of a decimal: ten more digits, capped at 38. */
export const sumOfDecimal = (d: Decimal): Decimal => bounded(d.precision + 10, d.scale);

/** avg() of a decimal: four more digits of both precision and scale, capped at 38. */
export const avgOfDecimal = (d: Decimal): Decimal => bounded(d.precision + 4, d.scale + 4);

/** The decimal of a decimal literal's text (`1.50` is decimal(3,2), `.5` decimal(1,1), `0.001` decimal(3,3)). */
export function decimalLiteral(text: string): Decimal {
  const [whole = '', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const digits = (whole + fraction).replace(/^0+/, '');
  const scale = fraction.length;
  return { precision: Math.max(digits.length, scale, 1), scale };
}
