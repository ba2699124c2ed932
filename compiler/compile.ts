/**
 * The compile core: load → resolve → graph → analyse → tests → manifest and plan, each a phase
 * with a typed result (compiler/phases/). Every phase adds diagnostics to one list instead of
 * stopping, so a run reports every mistake in the project. Pure with respect to the project:
 * `writeArtifacts` (emit/) is the only step that writes.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { initParser } from './analyse/parse.js';
import type { CompileOptions, CompileResult } from './compile-types.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { projectModuleFiles, withProjectModules } from './load/import-project-module.js';
import { recordedCompile, reusedResult } from './cache/reuse.js';
import { MANIFEST_VERSION, type Manifest } from './manifest/types.js';
import { buildPlan } from './plan/build-plan.js';
import { PLAN_VERSION } from './plan/plan-schema.js';
import { analysePhase } from './phases/analyse.js';
import { graphPhase } from './phases/graph.js';
import { loadPhase } from './phases/load.js';
import { assembleManifest } from './phases/manifest.js';
import { resolvePhase } from './phases/resolve.js';
import { checkSchemaChanges } from './phases/schema-change-check.js';
import { compileModelHooks, compileRunHooks } from './resolve/hooks.js';
import { compileTests } from './tests/data-tests.js';
import { seedManifests, withSeedNodes } from './plan/seed-nodes.js';
import { checkProjectRoles } from './governance/access-check.js';
import { retentionAndAudit } from './governance/retention-pass.js';
import { compileUnitTestOperations, compileUnitTests } from './tests/unit-tests.js';
import { TOOL_VERSION } from './version.js';

export { TOOL_VERSION };

function phaseTimer() {
  const timings: Record<string, number> = {};
  let last = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    timings[phase] = Math.round((now - last) * 10) / 10;
    last = now;
  };
  return { timings, mark };
}

/**
 * One module scope per compile: project files are evaluated fresh, and once each within it. When
 * nothing the last compile read has changed (files, options, environment variables, the tool's code)
 * and target/ still holds its result, that result is returned as it is (compiler/cache/reuse.ts).
 */
export function compileProject(options: CompileOptions): Promise<CompileResult> {
  const reused = reusedResult(options);
  if (reused) return Promise.resolve(reused);
  return withProjectModules(() => recordedCompile(options, () => compile(options), projectModuleFiles));
}

async function compile(options: CompileOptions): Promise<CompileResult> {
  const projectDir = path.resolve(options.projectDir);
  const diagnostics: Diagnostic[] = [];
  const parserReady = initParser();
  const { timings, mark } = phaseTimer();

  // Where each phase's diagnostics end: a phase's problems may be caused by an earlier one's, never the reverse.
  const phaseEnds: number[] = [];
  const loaded = await loadPhase(projectDir, options, diagnostics);
  phaseEnds.push(diagnostics.length);
  if (!loaded) return emptyResult(diagnostics);
  mark('load');
  const resolved = await resolvePhase(loaded, diagnostics, options.defer);
  phaseEnds.push(diagnostics.length);
  mark('render');
  const modelGraph = graphPhase(resolved.rendered, diagnostics, { unavailable: resolved.unavailable, failedSources: resolved.failedSources });
  phaseEnds.push(diagnostics.length);
  mark('graph');
  await parserReady;
  mark('parser-init');
  const analysed = await analysePhase(loaded, resolved, modelGraph, diagnostics);
  phaseEnds.push(diagnostics.length);
  mark('analyse');

  const { models, queries, sourceById } = analysed;
  const { rendered, scope, preparedByName } = resolved;
  const blocked = new Set([...resolved.unavailable.keys(), ...modelGraph.excluded]);
  const { tests, operations } = compileTests({ models, sources: loaded.sources, rendered, singular: loaded.singular, env: loaded.env, scope, preparedByName, diagnostics, blocked, seeds: resolved.seedByName, userTests: loaded.userTests });
  const unitTests = compileUnitTests(models, rendered, sourceById, diagnostics);
  const unitTestOperations = compileUnitTestOperations({ unitTests, models, rendered, scope, sourceById, diagnostics });
  const deferred = resolved.prepared.filter((m) => m.deferred);
  const manifest = assembleManifest(loaded, models, tests, unitTests, deferred);
  if (resolved.seedByName.size) manifest.seeds = seedManifests(resolved.seedByName.values());
  diagnostics.push(...checkProjectRoles(projectDir, loaded.config.governance?.roles, manifest));
  const governed = retentionAndAudit(projectDir, loaded.config, manifest, operations);
  diagnostics.push(...governed.diagnostics);
  const planned = buildPlan({
    target: loaded.targetName,
    layerRoots: loaded.roots,
    sources: loaded.sources.map((s) => s.manifest),
    models,
    queries,
    tests: Object.values(tests).flatMap((t) => (operations.has(t.id) ? [{ test: t, query: operations.get(t.id)! }] : [])),
    unitTests: unitTestOperations,
    onCycle: modelGraph.onCycle,
    deferred: new Set(deferred.map((m) => m.id)),
    tableProperties: governed.tableProperties,
    hooks: compileModelHooks(projectDir, rendered, loaded.env, scope, diagnostics),
    runHooks: compileRunHooks(projectDir, loaded.config, loaded.env, scope, diagnostics),
  });
  checkSchemaChanges(projectDir, models, rendered, diagnostics);
  const plan = withSeedNodes(planned, resolved.seedByName.values(), loaded.roots);
  mark('tests+plan');
  return { manifest, plan, diagnostics: causesFirst(diagnostics, phaseEnds), ok: !diagnostics.some((d) => d.severity === 'error'), timings, cacheHits: analysed.cacheHits };
}

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

function emptyResult(diagnostics: Diagnostic[]): CompileResult {
  const layer = { root: '', database: '' };
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    generator: { name: 'lakehouse-etl', version: TOOL_VERSION },
    project: { name: '', root: '', vars: {} },
    target: { name: '', kind: 'local', layers: { bronze: layer, silver: layer, gold: layer }, settings: {} },
    environment: null,
    deferred: {},
    sources: {},
    models: {},
    tests: {},
    unitTests: {},
    exposures: {},
    childMap: {},
    parentMap: {},
  };
  return { manifest, plan: { planVersion: PLAN_VERSION, manifestVersion: MANIFEST_VERSION, target: '', nodes: {}, stages: [] }, diagnostics, ok: false };
}
