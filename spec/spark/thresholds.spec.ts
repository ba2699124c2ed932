import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meetsThreshold, testOutcome, ThresholdError } from '../../runtime/runner/thresholds.js';

describe('test thresholds', () => {
  it('applies warn_if / error_if as dbt does', () => {
    const t = { severity: 'error' as const, warnIf: '>0', errorIf: '>10' };
    expect(testOutcome(0, t)).toBe('pass');
    expect(testOutcome(3, t)).toBe('warn');
    expect(testOutcome(10, t)).toBe('warn');
    expect(testOutcome(11, t)).toBe('fail');
  });

  it('never fails a warn-severity test', () => {
    fc.assert(fc.property(fc.nat(10_000), (n) => testOutcome(n, { severity: 'warn', warnIf: '>0', errorIf: '>0' }) !== 'fail'));
  });

  it('defaults both thresholds to >0', () => {
    expect(testOutcome(1, { severity: 'error', warnIf: '', errorIf: '' })).toBe('fail');
    expect(testOutcome(0, { severity: 'error', warnIf: '', errorIf: '' })).toBe('pass');
  });

  it('supports every comparison', () => {
    expect(meetsThreshold(5, '>=5')).toBe(true);
    expect(meetsThreshold(5, '<5')).toBe(false);
    expect(meetsThreshold(5, '<=5')).toBe(true);
    expect(meetsThreshold(5, '=5')).toBe(true);
    expect(meetsThreshold(5, '==5')).toBe(true);
    expect(meetsThreshold(5, '!=5')).toBe(false);
    expect(meetsThreshold(4, '<>5')).toBe(true);
  });

  it('rejects a malformed threshold with a clear error', () => {
    expect(() => meetsThreshold(1, 'more than 3')).toThrow(ThresholdError);
    expect(() => meetsThreshold(1, 'more than 3')).toThrow(/e\.g\. ">0"/);
  });
});
