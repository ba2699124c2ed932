/** Spark 3.5's nullability of CAST (Cast.forceNullable in the default, non-ANSI mode, and try_cast). */
import type { SqlType } from '../../api/columns.js';
import { asDecimal, isIntegral, isNumeric, sameType } from '../sql-types.js';

const isFractional = (t: SqlType) => t.kind === 'float' || t.kind === 'double' || t.kind === 'decimal';

/** DecimalType.isWiderThan: every value of `from` fits `to` (integers count as decimal(3|5|10|20,0)). */
function decimalWiderThan(to: { precision: number; scale: number }, from: SqlType): boolean {
  if (from.kind === 'boolean') return to.precision - to.scale >= 1;
  if (from.kind !== 'decimal' && !isIntegral(from)) return false;
  const f = asDecimal(from);
  return to.precision - to.scale >= f.precision - f.scale && to.scale >= f.scale;
}

/** Whether a CAST from `from` to `to` can return NULL for a non-NULL input (Cast.forceNullable). */
export function castForcesNull(from: SqlType, to: SqlType): boolean {
  if (from.kind === 'null' || from.kind === 'unknown' || to.kind === 'unknown' || sameType(from, to)) return false;
  if (from.kind === 'string') return to.kind !== 'binary';
  if (to.kind === 'string') return false;
  if ((from.kind === 'float' || from.kind === 'double') && to.kind === 'timestamp') return true;
  if (from.kind === 'timestamp' && to.kind === 'date') return false;
  if (to.kind === 'date') return true;
  if (from.kind === 'date') return to.kind !== 'timestamp';
  if (to.kind === 'decimal' && !decimalWiderThan(to, from)) return true;
  return isFractional(from) && isIntegral(to);
}

/** Cast.canUpCast, as far as try_cast's nullability needs it: a cast that never loses a value. */
function canUpCast(from: SqlType, to: SqlType): boolean {
  if (sameType(from, to) || from.kind === 'null' || to.kind === 'string') return true;
  if (from.kind === 'date' && to.kind === 'timestamp') return true;
  if (to.kind === 'decimal') return decimalWiderThan(to, from);
  const order = ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double'];
  if (isNumeric(from) && from.kind !== 'decimal' && order.includes(to.kind)) return order.indexOf(to.kind) >= order.indexOf(from.kind);
  return false;
}

/** The nullability of `CAST(x AS to)` (or `try_cast`) where x has `from` and `nullable`. */
export function castNullable(from: SqlType, to: SqlType, nullable: boolean, tryCast: boolean): boolean {
  if (!tryCast) return nullable || castForcesNull(from, to);
  if (from.kind === 'string' && to.kind === 'binary') return nullable;
  if (from.kind === 'decimal' && isIntegral(to)) return true;
  return nullable || !canUpCast(from, to);
}

/** A comparison of a string with another atomic type casts the string (NULL where it does not parse). */
export function comparisonForcesNull(a: SqlType, b: SqlType): boolean {
  const atomic = (t: SqlType) => t.kind !== 'unknown' && t.kind !== 'null' && t.kind !== 'array' && t.kind !== 'map' && t.kind !== 'struct';
  if (!atomic(a) || !atomic(b) || (a.kind === 'string') === (b.kind === 'string')) return false;
  return a.kind === 'string' ? castForcesNull(a, b) : castForcesNull(b, a);
}
