/** What a compile takes and returns (its own module: the compile core and the writer both need it). */
import type { Diagnostic } from './diagnostics/diagnostic.js';
import type { Manifest, Plan } from './manifest/types.js';

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
