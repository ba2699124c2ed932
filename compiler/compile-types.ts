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
  /** Build into this environment's databases and roots (`silver__pr_42`), never production's. */
  environment?: string;
  /**
   * Models read from another deployment (production) instead of being built: model id -> the relation
   * they have there. Such models keep their place in the manifest but get no plan node.
   */
  defer?: Record<string, DeferredRelation>;
}

export interface DeferredRelation {
  database: string;
  table: string;
  fqn: string;
  location: string;
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
  /** How many models, source tables, tests and plan stages (known without reading a reused manifest). */
  counts?: { models: number; sources: number; tests: number; stages: number };
  /** Identifies the inputs this result was compiled from (.etl/cache/compile.json); writeArtifacts records target/ under it. */
  fingerprint?: string;
  /** Nothing the compile reads had changed: the last result, its manifest and plan read from target/ when used. */
  reused?: boolean;
}
