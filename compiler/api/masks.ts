/**
 * Masks for TypeScript models, the same SQL the `{{mask_*}}` helpers render and the analyser
 * recognises (compiler/analyse/mask-shapes.ts): `mask.hash(o.c.customer_id, v('mask_salt'))`.
 * Arguments are SQL: a column (or expression) and, for `hash`, the salt as a literal (`var()` gives one).
 */
import { renderMask, type DateUnit } from '../analyse/mask-shapes.js';

/**
 * A column accessor (`o.c.customer_id`) is `string | undefined` where the project's generated typings
 * (.etl/types) are absent, as on a fresh clone before the first compile: masks accept that and name
 * the mistake when the column does not exist, instead of rendering `undefined` into the SQL.
 */
type ColumnSql = string | undefined;

function sql(column: ColumnSql, maskName: string): string {
  if (column === undefined) throw new Error(`mask.${maskName}: the column passed is not a column of the relation (check its name in ref(...).c)`);
  return column;
}

export const mask = {
  /** Salted SHA-256: PII becomes pseudonymised, and equal values stay joinable under one salt. */
  hash: (column: ColumnSql, saltLiteral: string): string => renderMask.hash(sql(column, 'hash'), saltLiteral),
  /** The part after the `@`. */
  emailDomain: (column: ColumnSql): string => renderMask.email_domain(sql(column, 'emailDomain')),
  /** Every character but the last `keep` replaced by `*`. */
  partial: (column: ColumnSql, keep = 4): string => renderMask.partial(sql(column, 'partial'), keep),
  /** Truncated to the first day of its month, quarter or year. */
  date: (column: ColumnSql, unit: DateUnit = 'month'): string => renderMask.date(sql(column, 'date'), unit),
  /** Rounded to a power of ten (`step` 10, 100, 1000, ...). */
  amount: (column: ColumnSql, step = 100): string => renderMask.amount(sql(column, 'amount'), step),
};
