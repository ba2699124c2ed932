import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatThreshold, meetsThreshold, parseThreshold, testOutcome } from '../../compiler/plan/thresholds.js';

const t = (text: string) => parseThreshold(text)!;

describe('test thresholds (parsed once by the compiler)', () => {
  it('applies warn_if / error_if as dbt does', () => {
    const test = { severity: 'error' as const, warnIf: t('>0'), errorIf: t('>10') };
    expect(testOutcome(0, test)).toBe('pass');
    expect(testOutcome(3, test)).toBe('warn');
    expect(testOutcome(10, test)).toBe('warn');
    expect(testOutcome(11, test)).toBe('fail');
  });

  it('never fails a warn-severity test', () => {
    fc.assert(fc.property(fc.nat(10_000), (n) => testOutcome(n, { severity: 'warn', warnIf: t('>0'), errorIf: t('>0') }) !== 'fail'));
  });

  it('reads every comparison, spaces allowed, and normalises = and <>', () => {
    expect(parseThreshold('>= 5')).toEqual({ op: '>=', value: 5 });
    expect(parseThreshold('=5')).toEqual({ op: '==', value: 5 });
    expect(parseThreshold('<>5')).toEqual({ op: '!=', value: 5 });
    expect(meetsThreshold(5, t('<5'))).toBe(false);
    expect(meetsThreshold(5, t('<=5'))).toBe(true);
    expect(meetsThreshold(5, t('==5'))).toBe(true);
    expect(meetsThreshold(4, t('!=5'))).toBe(true);
  });

  it('round-trips through its text form', () => {
    const ops = ['>', '>=', '<', '<=', '==', '!='] as const;
    fc.assert(
      fc.property(fc.constantFrom(...ops), fc.nat(1e6), (op, value) => {
        expect(parseThreshold(formatThreshold({ op, value }))).toEqual({ op, value });
      }),
    );
  });

  it('refuses what is not a threshold', () => {
    for (const bad of ['more than 3', '>', '>-1', '> 1.5', '']) expect(parseThreshold(bad), bad).toBeUndefined();
  });
});
