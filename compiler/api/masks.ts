/**
 * Masks for TypeScript models, the same SQL the `{{mask_*}}` helpers render and the analyser
 * recognises (compiler/analyse/mask-shapes.ts): `mask.hash(o.c.customer_id, v('mask_salt'))`.
 * Arguments are SQL: a column (or expression) and, for `hash`, the salt as a literal (`var()` gives one).
 */
import { renderMask, type DateUnit } from '../analyse/mask-shapes.js';

export const mask = {
  /** Salted SHA-256: PII becomes pseudonymised, and equal values stay joinable under one salt. */
  hash: (column: string, saltLiteral: string): string => renderMask.hash(column, saltLiteral),
  /** The part after the `@`. */
  emailDomain: (column: string): string => renderMask.email_domain(column),
  /** Every character but the last `keep` replaced by `*`. */
  partial: (column: string, keep = 4): string => renderMask.partial(column, keep),
  /** Truncated to the first day of its month, quarter or year. */
  date: (column: string, unit: DateUnit = 'month'): string => renderMask.date(column, unit),
  /** Rounded to a power of ten (`step` 10, 100, 1000, ...). */
  amount: (column: string, step = 100): string => renderMask.amount(column, step),
};
