/**
 * The full compile: load → resolve → graph → analyse → tests → manifest and plan, each a phase with a
 * typed result (compiler/phases/). Every phase adds diagnostics to one list instead of stopping, so a
 * run reports every mistake in the project. Imported by `compileProject` (compile.ts) only when the
 * last compile's result cannot be reused, so a nothing-changed compile loads none of the pipeline.
 */
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import { initParser } from './analyse/parse.js';
import type { CompileOptions, CompileResult } from './compile-types.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { causesFirst } from './diagnostics/causes-first.js';
import { projectModuleFiles, withProjectModules } from './load/import-project-module.js';
import { recordedCompile } from './cache/reuse.js';
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

/** Compiles in one module scope (project files evaluated fresh, once each), recording what it read for the next compile. */
export function compileInFull(options: CompileOptions): Promise<CompileResult> {
  return withProjectModules(() => recordedCompile(options, () => compile(options), projectModuleFiles));
}

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
