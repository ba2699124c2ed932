/**
 * What `writeArtifacts` knows of the compile state: whether target/ still holds a reused result as
 * written (then there is nothing to write, nor to read back), and, after a write, target/'s stamps
 * under the result's fingerprint for the next nothing-changed compile.
 */
import path from 'node:path';
import type { CompileResult } from '../compile-types.js';
import { readCompileState, updateCompileState } from './compile-state.js';
import { sameTarget, stampTarget } from './target-stamp.js';

const targetOf = (projectDir: string) => path.join(path.resolve(projectDir), 'target');

/** A reused result whose target/ files all stamp as they were written for it. */
export function targetStillHolds(result: CompileResult, projectDir: string): boolean {
  if (!result.reused || !result.fingerprint) return false;
  const state = readCompileState(path.resolve(projectDir));
  return state?.fingerprint === result.fingerprint && state.target !== undefined && sameTarget(targetOf(projectDir), state.target.files);
}

/** Records the stamps of the files just written (paths relative to target/) for `result`'s fingerprint. */
export function recordTarget(result: CompileResult, projectDir: string, files: Iterable<string>): void {
  const fingerprint = result.fingerprint;
  if (!fingerprint) return;
  try {
    const stamps = stampTarget(targetOf(projectDir), files);
    updateCompileState(path.resolve(projectDir), fingerprint, (s) => ({ ...s, target: { files: stamps } }));
  } catch {
    /* not recorded: the next compile is a full one */
  }
}
