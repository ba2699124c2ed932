/** Failing-row thresholds (`warn_if: ">10"`, `error_if: ">0"`): parsed once, here, at compile time. */
import type { Threshold } from './operations.js';

const COMPARISON = /^\s*(>=|<=|!=|<>|==|=|>|<)\s*(\d+)\s*$/;

/** The threshold a text like `>0` or `>= 10` says, or undefined when it is not one. */
export function parseThreshold(text: string): Threshold | undefined {
  const m = COMPARISON.exec(text);
  if (!m) return undefined;
  const op = m[1] === '<>' ? '!=' : m[1] === '=' ? '==' : (m[1] as Threshold['op']);
  return { op, value: Number(m[2]) };
}

export const formatThreshold = (t: Threshold) => `${t.op}${t.value}`;

export function meetsThreshold(count: number, t: Threshold): boolean {
  switch (t.op) {
    case '>':
      return count > t.value;
    case '>=':
      return count >= t.value;
    case '<':
      return count < t.value;
    case '<=':
      return count <= t.value;
    case '!=':
      return count !== t.value;
    case '==':
      return count === t.value;
  }
}

export type TestOutcome = 'pass' | 'warn' | 'fail';

/**
 * As in dbt: an error-severity test fails when `error_if` holds, else warns when `warn_if` holds;
 * a warn-severity test can only warn.
 */
export function testOutcome(count: number, t: { severity: 'error' | 'warn'; warnIf: Threshold; errorIf: Threshold }): TestOutcome {
  if (t.severity === 'error' && meetsThreshold(count, t.errorIf)) return 'fail';
  if (meetsThreshold(count, t.warnIf)) return 'warn';
  return 'pass';
}
