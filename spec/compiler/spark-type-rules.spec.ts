/**
 * Spark 3.5's decimal rules (compiler/analyse/spark-types/decimal-rules.ts), checked against the
 * types Spark 3.5.6 itself gives (spark.sql.decimalOperations.allowPrecisionLoss=true, the
 * default). Each expected value was read from Spark for the query in the comment, over the
 * differential corpus's tables (spec/spark/fixtures/type-corpus: m decimal(10,2), nm decimal(18,4),
 * big decimal(38,10), whole decimal(5,0), tiny decimal(3,1), i int, b bigint).
 */
import { describe, expect, it } from 'vitest';
import {
  adjustPrecisionScale,
  avgOfDecimal,
  decimalArithmetic,
  decimalLiteral,
  integerLiteralDecimal,
  INTEGRAL_AS_DECIMAL,
  sumOfDecimal,
  widerDecimal,
} from '../../compiler/analyse/spark-types/decimal-rules.js';
import { arithmetic } from '../../compiler/analyse/spark-types/arithmetic.js';
import { castNullable } from '../../compiler/analyse/spark-types/casts.js';
import { numericLiteralType } from '../../compiler/analyse/spark-types/literals.js';
import { T } from '../../compiler/analyse/sql-types.js';

const d = (precision: number, scale: number) => ({ precision, scale });
const m = d(10, 2);
const nm = d(18, 4);
const big = d(38, 10);
const whole = d(5, 0);
const tiny = d(3, 1);

describe('decimal arithmetic (DecimalPrecision, allowPrecisionLoss)', () => {
  it('+ and - keep the larger scale and add a digit', () => {
    expect(decimalArithmetic('+', m, nm)).toEqual(d(19, 4)); // m + nm
    expect(decimalArithmetic('-', tiny, whole)).toEqual(d(7, 1)); // tiny - whole
    expect(decimalArithmetic('+', m, INTEGRAL_AS_DECIMAL.int!)).toEqual(d(13, 2)); // i + m
    expect(decimalArithmetic('+', m, INTEGRAL_AS_DECIMAL.bigint!)).toEqual(d(23, 2)); // b + m
  });

  it('* adds precisions and scales', () => {
    expect(decimalArithmetic('*', m, nm)).toEqual(d(29, 6)); // m * nm
    expect(decimalArithmetic('*', INTEGRAL_AS_DECIMAL.int!, m)).toEqual(d(21, 2)); // i * m
    expect(decimalArithmetic('*', INTEGRAL_AS_DECIMAL.bigint!, m)).toEqual(d(31, 2)); // b * m
    expect(decimalArithmetic('*', tiny, tiny)).toEqual(d(7, 2)); // tiny * tiny
  });

  it('/ takes a scale of at least 6 and cuts it, never below 6, when the result passes 38 digits', () => {
    expect(decimalArithmetic('/', m, nm)).toEqual(d(33, 21)); // m / nm
    expect(decimalArithmetic('/', whole, tiny)).toEqual(d(12, 6)); // whole / tiny
    expect(decimalArithmetic('/', tiny, tiny)).toEqual(d(9, 6)); // tiny / tiny
    expect(decimalArithmetic('/', nm, m)).toEqual(d(31, 15)); // nm / m
    expect(decimalArithmetic('/', m, big)).toEqual(d(38, 20)); // m / big
    expect(decimalArithmetic('/', nm, nm)).toEqual(d(38, 20)); // nm / nm
    expect(decimalArithmetic('/', big, m)).toEqual(d(38, 8)); // big / m
    expect(decimalArithmetic('/', m, integerLiteralDecimal(3n))).toEqual(d(14, 6)); // m / 3
    expect(decimalArithmetic('/', m, integerLiteralDecimal(12345678901n))).toEqual(d(22, 14)); // m / 12345678901
  });

  it('% keeps the smaller integer part and the larger scale', () => {
    expect(decimalArithmetic('%', m, nm)).toEqual(d(12, 4)); // m % nm
    expect(decimalArithmetic('%', m, big)).toEqual(d(18, 10)); // m % big
    expect(decimalArithmetic('%', whole, tiny)).toEqual(d(3, 1)); // whole % tiny
    expect(decimalArithmetic('%', m, integerLiteralDecimal(3n))).toEqual(d(3, 2)); // pmod(m, 3)
  });

  it('a result wider than 38 digits keeps its integer digits and at least 6 of scale', () => {
    expect(adjustPrecisionScale(38, 20)).toEqual(d(38, 20));
    expect(adjustPrecisionScale(59, 41)).toEqual(d(38, 20));
    expect(adjustPrecisionScale(51, 21)).toEqual(d(38, 8));
    expect(adjustPrecisionScale(77, 20)).toEqual(d(38, 6)); // big * big: 57 integer digits, scale floor 6
  });
});

describe('integers next to decimals', () => {
  it('an integer column counts as decimal(3|5|10|20, 0) by its width', () => {
    expect(INTEGRAL_AS_DECIMAL.tinyint).toEqual(d(3, 0));
    expect(INTEGRAL_AS_DECIMAL.smallint).toEqual(d(5, 0));
    expect(INTEGRAL_AS_DECIMAL.int).toEqual(d(10, 0));
    expect(INTEGRAL_AS_DECIMAL.bigint).toEqual(d(20, 0));
    expect(decimalArithmetic('*', m, INTEGRAL_AS_DECIMAL.smallint!)).toEqual(d(16, 2)); // m * CAST(i AS SMALLINT)
  });

  it('an integer literal counts with its own digits', () => {
    const literal = (value: bigint) => ({ type: T.int, nullable: false, integerLiteral: value });
    const col = { type: T.decimal(10, 2), nullable: false };
    expect(arithmetic('+', col, literal(1n)).type).toEqual(T.decimal(11, 2)); // m + 1
    expect(arithmetic('-', col, literal(100n)).type).toEqual(T.decimal(11, 2)); // m - 100
    expect(arithmetic('*', col, literal(1000000n)).type).toEqual(T.decimal(18, 2)); // m * 1000000
    expect(arithmetic('*', col, literal(-1n)).type).toEqual(T.decimal(12, 2)); // m * -1
    expect(arithmetic('*', col, { type: T.int, nullable: false }).type).toEqual(T.decimal(21, 2)); // i * m
  });
});

describe('operator results', () => {
  const int = { type: T.int, nullable: false };
  it('/ of integers is a double, div a bigint, both NULL for a zero divisor', () => {
    expect(arithmetic('/', int, int)).toEqual({ type: T.double, nullable: true }); // i / 2
    expect(arithmetic('div', int, int)).toEqual({ type: T.bigint, nullable: true }); // i div 2
    expect(arithmetic('%', int, int)).toEqual({ type: T.int, nullable: true }); // i % 3
    expect(arithmetic('+', int, int)).toEqual({ type: T.int, nullable: false }); // i + 1
  });

  it('decimal results are nullable (NULL on overflow outside ANSI mode)', () => {
    expect(arithmetic('+', int, { type: T.decimal(2, 1), nullable: false })).toEqual({ type: T.decimal(12, 1), nullable: true }); // i + 1.5
  });

  it('a string operand is read as a double', () => {
    expect(arithmetic('+', { type: T.string, nullable: false }, int)).toEqual({ type: T.double, nullable: true }); // s + 1
  });
});

describe('aggregates of decimals', () => {
  it('sum adds 10 digits, avg 4 digits of precision and scale, capped at 38', () => {
    expect(sumOfDecimal(m)).toEqual(d(20, 2)); // sum(m)
    expect(sumOfDecimal(big)).toEqual(d(38, 10)); // sum(big)
    expect(sumOfDecimal(tiny)).toEqual(d(13, 1)); // sum(tiny)
    expect(avgOfDecimal(m)).toEqual(d(14, 6)); // avg(m)
    expect(avgOfDecimal(big)).toEqual(d(38, 14)); // avg(big)
    expect(avgOfDecimal(tiny)).toEqual(d(7, 5)); // avg(tiny)
  });

  it('UNION widens two decimals to hold both, bounded at 38', () => {
    expect(widerDecimal(m, nm)).toEqual(d(18, 4)); // m UNION ALL nm
    expect(widerDecimal(m, big)).toEqual(d(38, 10)); // m UNION ALL big
    expect(widerDecimal(tiny, whole)).toEqual(d(6, 1)); // tiny UNION ALL whole
  });
});

describe('literals and casts', () => {
  it('number literals take the type of their text', () => {
    expect(decimalLiteral('0.001')).toEqual(d(3, 3));
    expect(decimalLiteral('-0.25')).toEqual(d(2, 2));
    expect(decimalLiteral('100.0')).toEqual(d(4, 1));
    expect(numericLiteralType('2147483648')).toEqual(T.bigint);
    expect(numericLiteralType('-2147483648')).toEqual(T.int);
    expect(numericLiteralType('9223372036854775808')).toEqual(T.decimal(19, 0));
    expect(numericLiteralType('1e3')).toEqual(T.double);
  });

  it('CAST is nullable where a value may not convert', () => {
    expect(castNullable(T.string, T.int, false, false)).toBe(true); // CAST(s AS INT)
    expect(castNullable(T.string, T.date, false, false)).toBe(true); // CAST(s AS DATE)
    expect(castNullable(T.int, T.string, false, false)).toBe(false); // CAST(i AS STRING)
    expect(castNullable(T.int, T.decimal(10, 0), false, false)).toBe(false); // CAST(i AS DECIMAL(10,0))
    expect(castNullable(T.int, T.decimal(5, 0), false, false)).toBe(true); // CAST(i AS DECIMAL(5,0))
    expect(castNullable(T.decimal(10, 2), T.decimal(11, 3), false, false)).toBe(false); // CAST(m AS DECIMAL(11,3))
    expect(castNullable(T.decimal(10, 2), T.decimal(10, 3), false, false)).toBe(true); // CAST(m AS DECIMAL(10,3))
    expect(castNullable(T.double, T.int, false, false)).toBe(true); // CAST(d AS INT)
    expect(castNullable(T.timestamp, T.date, false, false)).toBe(false); // CAST(ts AS DATE)
    expect(castNullable(T.int, T.string, false, true)).toBe(false); // try_cast(i AS STRING)
  });
});
