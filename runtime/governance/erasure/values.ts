/** The values an erasure matches, built from the subject's value and the plan's key forms (never stored). */
import type { KeyForm } from '../../../compiler/governance/erasure-plan.js';
import type { MatchValue } from '../../../compiler/plan/operations.js';

/** Each form of the subject's value: as it is, or its SHA-256 with a project var as salt before or after. */
export function matchValues(forms: readonly KeyForm[], value: string, vars: Record<string, unknown>): MatchValue[] {
  return forms.flatMap((f): MatchValue[] => {
    if (f.kind === 'value') return [{ kind: 'literal', value }];
    if (!f.salt) return [{ kind: 'sha2', bits: f.bits, parts: [value] }];
    const salt = vars[f.salt.var];
    if (typeof salt !== 'string') return [];
    return [{ kind: 'sha2', bits: f.bits, parts: f.salt.position === 'after' ? [value, salt] : [salt, value] }];
  });
}
