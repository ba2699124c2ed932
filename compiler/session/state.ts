/**
 * What an incremental compile session keeps in memory between edits: each phase's result and its
 * own diagnostics list, the analyses and the catalog they were made against.
 */
import { createHash } from 'node:crypto';
import type { CatalogEntry } from '../analyse/analyser.js';
import type { SerialCatalogEntry, SqlAnalysisResult } from '../analyse/analyse-sql.js';
import type { CompileOptions } from '../compile-types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ManifestModel } from '../manifest/types.js';
import type { ModelQueries } from '../plan/build-plan.js';
import type { LoadedSource } from '../load/sources.js';
import type { ModelGraph } from '../phases/graph.js';
import type { LoadedProject } from '../phases/load.js';
import type { ResolvedProject } from '../phases/resolve.js';

/** Diagnostics by the phase that reported them, in the compile's phase order. */
export interface PhaseDiagnostics {
  load: Diagnostic[];
  resolve: Diagnostic[];
  graph: Diagnostic[];
  analyse: Diagnostic[];
  tests: Diagnostic[];
}

export const PHASES = ['load', 'resolve', 'graph', 'analyse', 'tests'] as const;

export const emptyPhases = (): PhaseDiagnostics => ({ load: [], resolve: [], graph: [], analyse: [], tests: [] });

/** A compiled project held in memory (absent parts when project.yaml or the target failed). */
export interface SessionState {
  projectDir: string;
  options: CompileOptions;
  phases: PhaseDiagnostics;
  compiled?: CompiledParts;
}

export interface CompiledParts {
  loaded: LoadedProject;
  resolved: ResolvedProject;
  modelGraph: ModelGraph;
  models: Map<string, ManifestModel>;
  queries: Map<string, ModelQueries>;
  sourceById: Map<string, LoadedSource>;
  results: Map<string, SqlAnalysisResult>;
  /** What the analyser reads: every source and analysed model, by relation. */
  catalog: Map<string, CatalogEntry>;
  /** Signature of each node's catalog entry: a change means its readers are checked again. */
  signatures: Map<string, string>;
  /** Model id -> ids of the models reading it. */
  children: Map<string, string[]>;
  /** Model id -> position in dependency order. */
  orderIndex: Map<string, number>;
  /** Project-relative file (model or sidecar) -> model name, for the models that rendered. */
  modelByFile: Map<string, string>;
  /** Models whose metadata declares a relationships test (their tests read another model's columns). */
  relationshipTests: Set<string>;
}

export const signatureOf = (e: SerialCatalogEntry): string => createHash('sha256').update(JSON.stringify([e.columns, e.opaque ?? false])).digest('hex').slice(0, 16);
