/**
 * The compile core's entry points. Pure with respect to the project: reads files, returns
 * a manifest, a plan and diagnostics; `writeArtifacts` is the only step that writes.
 */
export type { Manifest, Plan, ManifestModel, ManifestSource, ManifestTest, PlanNode, ModelNode, SourceNode, TestNode, UnitTestNode } from './manifest/types.js';
export { MANIFEST_VERSION } from './manifest/types.js';
export type { Diagnostic } from './diagnostics/diagnostic.js';
export { compileProject, TOOL_VERSION } from './compile.js';
export { writeArtifacts } from './emit/artifacts.js';
export { selectModels, evaluateSelector, SelectorError } from './plan/select.js';
export { formatDiagnostic } from './diagnostics/format.js';

export type { CompileOptions, CompileResult } from './compile-types.js';
export { compileDeferred, deferredRelations, type DeferOptions } from './environments/defer.js';
export { environmentNameSchema, environmentLayers } from './environments/environment.js';
