/**
 * The compile core's entry points. Pure with respect to the project: reads files, returns
 * a manifest, a plan and diagnostics; `writeArtifacts` is the only step that writes.
 */
export type { Manifest, Plan, ManifestModel, ManifestSource, ManifestTest } from './manifest/types.js';
export { MANIFEST_VERSION } from './manifest/types.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { compileProject, ensureApiResolution, TOOL_VERSION } from './compile.js';
export { writeArtifacts } from './emit/artifacts.js';
export { selectModels, evaluateSelector, SelectorError } from './plan/select.js';
export { formatDiagnostic } from './diagnostics/format.js';

import type { Manifest, Plan } from './manifest/types.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';

export interface CompileOptions {
  projectDir: string;
  /** Target name from project.yaml (default: `default_target`). */
  target?: string;
  /** `--vars` overrides. */
  vars?: Record<string, unknown>;
  /** Reuse analysis of unchanged models from .etl/cache (default true). */
  cache?: boolean;
}

export interface CompileResult {
  manifest: Manifest;
  plan: Plan;
  diagnostics: Diagnostic[];
  ok: boolean;
  /** Milliseconds per phase (load, render, graph, analyse, ...), for benchmarks and --timings. */
  timings?: Record<string, number>;
  /** Models whose analysis was reused from .etl/cache. */
  cacheHits?: number;
}
