/**
 * Phase 1, load: project.yaml and its target, source declarations, model files, macros, singular
 * tests and the analysis cache, read in parallel; the analysis threads start booting here.
 */
import { availableParallelism } from 'node:os';
import type { CompileOptions } from '../compile-types.js';
import { workerAnalyser, type Analyser } from '../analyse/pool.js';
import { AnalysisCache } from '../analyse/cache.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadMacroFiles, loadModelFiles, loadSingularTests } from '../load/model-files.js';
import { loadSnapshotFiles } from '../load/snapshot-files.js';
import { loadSeeds, type FailedSeed } from '../load/seeds.js';
import { loadUserGenericTests } from '../tests/user-generic-tests.js';
import { loadProjectConfig, projectPosition } from '../load/project-config.js';
import { didYouMean } from '../config/suggest.js';
import { loadSources, type FailedSource } from '../load/sources.js';
import { loadExposures } from '../load/exposures.js';
import type { LayerName, LayerSettings } from '../manifest/types.js';
import { declaredLayerRoots } from '../plan/layer-roots.js';
import { createEnvironment } from '../resolve/environment.js';
import { registerMaskHelpers } from '../governance/masks.js';
import { mergeVars } from '../config/vars.js';
import { environmentLayers, environmentNameSchema } from '../environments/environment.js';

/** Projects at least this large are analysed on worker threads. */
const PARALLEL_THRESHOLD = 400;

export type LoadedProject = NonNullable<Awaited<ReturnType<typeof loadPhase>>>;

export async function loadPhase(projectDir: string, options: CompileOptions, diagnostics: Diagnostic[]) {
  const loaded = await loadProjectConfig(projectDir, diagnostics);
  if (!loaded) return undefined;
  const { config } = loaded;
  const targetName = options.target ?? config.default_target;
  const target = config.targets[targetName];
  if (!target) {
    diagnostics.push({
      code: 'ETL103',
      severity: 'error',
      message: `Unknown target '${targetName}'${options.target ? ' (--target)' : ''}`,
      file: 'project.yaml',
      // --target has no place in the file; default_target is at its value (or at targets: when unset).
      ...(options.target ? {} : projectPosition(loaded, 'default_target' in (loaded.yaml.data as object) ? ['default_target'] : ['targets'])),
      hint: `${didYouMean(targetName, Object.keys(config.targets))} Targets in project.yaml: ${Object.keys(config.targets).join(', ')}.`.trim(),
    });
    return undefined;
  }
  // As the target declares them: relative roots are resolved where the plan runs.
  const declaredRoots = declaredLayerRoots(config, target);
  const declared = Object.fromEntries(
    (['bronze', 'silver', 'gold'] as const).map((l) => [l, { root: declaredRoots[l], database: config.layers[l].database }]),
  ) as Record<LayerName, LayerSettings>;
  const environment = checkedEnvironment(options.environment, diagnostics);
  const layers = environmentLayers(declared, environment);
  const roots = { bronze: layers.bronze.root, silver: layers.silver.root, gold: layers.gold.root };
  const vars = mergeVars(config.vars, options.vars);

  const failedSources: FailedSource[] = [];
  const [sources, modelFiles, macros, singular, cache, exposures] = await Promise.all([
    loadSources(projectDir, layers.bronze, diagnostics, failedSources),
    // Snapshots are models with materialized 'snapshot' (compiler/load/snapshot-files.ts).
    Promise.all([loadModelFiles(projectDir, diagnostics), loadSnapshotFiles(projectDir, diagnostics)]).then(([m, s]) => [...m, ...s]),
    loadMacroFiles(projectDir),
    loadSingularTests(projectDir),
    options.cache === false || process.env.ETL_NO_CACHE ? AnalysisCache.disabled() : AnalysisCache.load(projectDir),
    loadExposures(projectDir, diagnostics),
  ]);
  // Seeds (seeds/*.csv with their declarations): read like sources, answered by ref.
  const failedSeeds: FailedSeed[] = [];
  const seeds = await loadSeeds(projectDir, layers, diagnostics, failedSeeds);
  // Start the worker threads now, so they boot while the main thread renders (about 0.15 s each).
  const expectedMisses = modelFiles.filter((f) => !cache.probablyHit(`model.${f.name}`)).length;
  const threads = Math.min(4, availableParallelism());
  const pool = expectedMisses >= PARALLEL_THRESHOLD && threads > 1 && process.env.ETL_THREADS !== '1' ? workerAnalyser(threads) : undefined;
  pool?.catch(() => undefined);
  const env = await createEnvironment(macros, diagnostics);
  const userTests = await loadUserGenericTests(projectDir, env, diagnostics);
  registerMaskHelpers(env, config.governance?.policy?.salt_var);

  return { projectDir, config, targetName, target, roots, layers, environment, vars, sources, failedSources, modelFiles, macros, singular, exposures, cache, env, pool, threads, seeds, failedSeeds, userTests };
}

export type { Analyser };

/** The environment name, if any and valid; an invalid one is reported and the build goes to none. */
function checkedEnvironment(name: string | undefined, diagnostics: Diagnostic[]): string | undefined {
  if (name === undefined) return undefined;
  const parsed = environmentNameSchema.safeParse(name);
  if (parsed.success) return parsed.data;
  diagnostics.push({
    code: 'ETL104',
    severity: 'error',
    message: `Invalid environment name '${name}': ${parsed.error.issues[0]?.message ?? 'not a valid name'}`,
    hint: 'Use a name like pr_42: it becomes part of database names (silver__pr_42).',
  });
  return undefined;
}
