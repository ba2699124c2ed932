/** Test severity thresholds (`warn_if: ">10"`, `error_if: ">0"`) applied to a failing-row count. */

export type TestOutcome = 'pass' | 'warn' | 'fail';

export class ThresholdError extends Error {}

const COMPARISON = /^\s*(>=|<=|!=|<>|==|=|>|<)\s*(\d+)\s*$/;

export function meetsThreshold(count: number, threshold: string): boolean {
  const m = COMPARISON.exec(threshold);
  if (!m) throw new ThresholdError(`Invalid threshold "${threshold}": use a comparison with a number, e.g. ">0" or ">=10".`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return count > n;
    case '>=': return count >= n;
    case '<': return count < n;
    case '<=': return count <= n;
    case '!=':
    case '<>': return count !== n;
    default: return count === n;
  }
}

/**
 * As in dbt: an error-severity test fails when `error_if` holds, else warns when `warn_if` holds;
 * a warn-severity test can only warn.
 */
export function testOutcome(count: number, t: { severity: 'error' | 'warn'; warnIf?: string; errorIf?: string }): TestOutcome {
  const errorIf = t.errorIf || '>0';
  const warnIf = t.warnIf || '>0';
  if (t.severity === 'error' && meetsThreshold(count, errorIf)) return 'fail';
  if (meetsThreshold(count, warnIf)) return 'warn';
  return 'pass';
}
