/**
 * The compile's entry point. Pure with respect to the project: `writeArtifacts` (emit/) is the only
 * step that writes. This module stays small: a nothing-changed compile is answered from the last
 * result (compiler/cache/reuse.ts) without importing the pipeline; only a compile that has work to do
 * imports it (compile-full.ts: load → resolve → graph → analyse → tests → manifest and plan).
 */
import type { CompileOptions, CompileResult } from './compile-types.js';
import { reusedResult } from './cache/reuse.js';
import { TOOL_VERSION } from './version.js';

export { TOOL_VERSION };
export { causesFirst } from './diagnostics/causes-first.js';

/**
 * One module scope per compile: project files are evaluated fresh, and once each within it. When
 * nothing the last compile read has changed (files, options, environment variables, the tool's code)
 * and target/ still holds its result, that result is returned as it is (compiler/cache/reuse.ts).
 */
export async function compileProject(options: CompileOptions): Promise<CompileResult> {
  const reused = reusedResult(options);
  if (reused) return reused;
  const { compileInFull } = await import('./compile-full.js');
  return compileInFull(options);
}
