/**
 * Which values Spark 3.5 can compare (=, <, IN, BETWEEN...) with its default, non-ANSI settings: a
 * comparison needs a common type (TypeCoercion.findCommonTypeForBinaryComparison). A date or
 * timestamp has none with a number or a boolean ("cannot resolve ... due to data type mismatch");
 * with a string it has (the string is cast), and a date with a timestamp compares as timestamps.
 */
import { formatType, type SqlType } from '../api/columns.js';
import { spanOf, type Node, type Value } from './ast.js';
import type { Ctx } from './context.js';
import { isComplex, isKnown, isNumeric } from './sql-types.js';

const datetime = (t: SqlType) => t.kind === 'date' || t.kind === 'timestamp';
const scalarWithoutDatetimeCast = (t: SqlType) => isNumeric(t) || t.kind === 'boolean';

/** Reports (ETL170, at `node`) a comparison of `a` with `b` that Spark rejects. */
export function checkComparable(cx: Ctx, a: Value, b: Value, node: Node): void {
  if (!isKnown(a.type) || !isKnown(b.type)) return;
  const what = `Cannot compare ${formatType(a.type)} with ${formatType(b.type)}`;
  if (isComplex(a.type) !== isComplex(b.type)) {
    cx.report('ETL170', 'error', what, spanOf(node), 'Compare values of the same kind.');
  } else if ((datetime(a.type) && scalarWithoutDatetimeCast(b.type)) || (datetime(b.type) && scalarWithoutDatetimeCast(a.type))) {
    cx.report('ETL170', 'error', what, spanOf(node), "Spark has no common type for them: compare with a date (DATE'2024-01-01', or the string '2024-01-01'), or convert the number first, e.g. to_date(cast(n AS string), 'yyyyMMdd').");
  }
}
