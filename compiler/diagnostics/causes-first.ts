/** The order diagnostics are reported in (a compile's, and an incremental session's). */
import type { Diagnostic } from './diagnostic.js';

/**
 * Root causes first: by phase (project config and sources, then templates and rendering, then the
 * graph, analysis, tests), by file and position within a phase, so the first diagnostic printed is
 * never a consequence of a later one.
 */
export function causesFirst(diagnostics: Diagnostic[], phaseEnds: number[]): Diagnostic[] {
  const phaseOf = (i: number) => {
    const p = phaseEnds.findIndex((end) => i < end);
    return p < 0 ? phaseEnds.length : p;
  };
  // Within a phase: project.yaml, then sources, then macros, then the rest (models, sidecars, tests).
  const fileRank = (f = '') => (f === 'project.yaml' ? 0 : f.startsWith('sources/') ? 1 : f.startsWith('macros/') ? 2 : 3);
  return diagnostics
    .map((d, i) => ({ d, phase: phaseOf(i) }))
    .sort((a, b) => a.phase - b.phase || fileRank(a.d.file) - fileRank(b.d.file) || (a.d.file ?? '').localeCompare(b.d.file ?? '') || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.d.code.localeCompare(b.d.code))
    .map((x) => x.d);
}
