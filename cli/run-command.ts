/**
 * What `etl build` and `etl test` share: flags, where the plan comes from (a fresh compile, or a
 * compiled `target/` given with --plan, run as it is), the run, and user-facing errors without stacks.
 */
import { Flags } from '@oclif/core';
import path from 'node:path';
import type { CompileResult, Manifest } from '../compiler/index.js';
import type { RunResults } from '../runtime/runner/results.js';
import type { EtlCommand } from './base.js';
import { EXIT } from './base.js';

export const runFlags = {
  threads: Flags.integer({ description: 'Models run in parallel on the one Spark', default: 4, min: 1, max: 64 }),
  failed: Flags.boolean({ description: 'Only what failed or was skipped in the previous run (target/run_results.json)' }),
  json: Flags.boolean({ description: 'Print one JSON event per line (run_start, node_start, node_end, run_end)' }),
  plan: Flags.string({
    description: 'Run a compiled target/ folder (manifest.json + plan.json) as it is: no project sources, no compile. Relative warehouse roots resolve against --project.',
    helpGroup: 'PROJECT',
  }),
};

export interface RunCliFlags {
  project: string;
  target?: string;
  vars?: string;
  'no-cache'?: boolean;
  plan?: string;
  env?: string;
  defer?: boolean;
  state?: string;
  select?: string[];
  exclude?: string[];
  threads: number;
  failed?: boolean;
  json?: boolean;
  'full-refresh'?: boolean;
  dataTests?: boolean;
  unitTests?: boolean;
  /** The `--state` manifest, already read by the command. */
  stateManifest?: Manifest;
}

export type CompiledProject = CompileResult & { projectDir: string; fromPlan: boolean };

/** The compiled project to run: read from --plan (validated), or compiled now and written to target/. */
export async function compiledForRun(cmd: EtlCommand, flags: RunCliFlags): Promise<CompiledProject> {
  if (flags.plan) {
    for (const f of ['target', 'vars', 'env', 'defer'] as const) {
      if (flags[f] !== undefined) cmd.error(`--${f} does not apply with --plan: a compiled plan is run as it was compiled.`, { exit: EXIT.usage, code: 'ETL006' });
    }
    const { readCompiledTarget, CompiledTargetError } = await import('../runtime/plan/read-compiled.js');
    try {
      const { manifest, plan } = readCompiledTarget(path.resolve(flags.plan));
      return { manifest, plan, diagnostics: [], ok: true, projectDir: path.resolve(flags.project), fromPlan: true };
    } catch (e) {
      if (e instanceof CompiledTargetError) cmd.error(e.message, { exit: EXIT.usage, code: 'ETL007' });
      throw e;
    }
  }
  const compiled = await cmd.compileForRun(flags);
  if (!compiled.ok) cmd.error('Compilation failed; nothing was run.', { exit: EXIT.project, code: 'ETL_COMPILE' });
  const { writeArtifacts } = await import('../compiler/index.js');
  await writeArtifacts(compiled, compiled.projectDir);
  return { ...compiled, fromPlan: false };
}

/** Runs the plan on local Spark; `onResults` sees the results (--junit); returns whether everything passed. */
export async function runLocally(cmd: EtlCommand, command: 'build' | 'test' | 'seed', flags: RunCliFlags, compiled: CompiledProject, onResults?: (results: RunResults) => void): Promise<boolean> {
  const [{ run }, { pickReporter }, { SparkNotInstalledError }, { SparkStartError }] = await Promise.all([
    import('../runtime/runner/run.js'),
    import('../runtime/runner/events.js'),
    import('../runtime/engines/spark/paths.js'),
    import('../runtime/engines/spark/launcher.js'),
  ]);
  const reporter = pickReporter({ json: !!flags.json });
  const freshness = command === 'build' ? await localFreshness(compiled) : undefined;
  try {
    const results = await run({
      command,
      projectDir: compiled.projectDir,
      manifest: compiled.manifest,
      plan: compiled.plan,
      select: flags.select ?? [],
      exclude: flags.exclude ?? [],
      threads: flags.threads,
      fullRefresh: !!flags['full-refresh'],
      failedOnly: !!flags.failed,
      ...(flags.stateManifest ? { state: flags.stateManifest } : {}),
      ...(flags.dataTests !== undefined ? { dataTests: flags.dataTests } : {}),
      ...(flags.unitTests !== undefined ? { unitTests: flags.unitTests } : {}),
      reporter,
    });
    onResults?.(results);
    await freshness?.finish(results.results.filter((r) => r.kind === 'model' && r.status === 'success').map((r) => r.id));
    return results.success;
  } catch (e) {
    reporter.close();
    const code = e instanceof SparkNotInstalledError ? 'ETL_SPARK_MISSING' : e instanceof SparkStartError ? 'ETL_SPARK_START' : 'ETL_RUN';
    if (e instanceof Error) cmd.error(e.message, { exit: EXIT.project, code });
    throw e;
  } finally {
    reporter.close();
  }
}

/** Freshness of the gold models a local build writes, to .etl/metrics/metrics.jsonl (runtime/metrics/build-freshness.ts). */
async function localFreshness(compiled: CompiledProject) {
  const [{ startFreshness }, { JsonlSink, metricsFile }] = await Promise.all([import('../runtime/metrics/build-freshness.js'), import('../runtime/metrics/jsonl-sink.js')]);
  return startFreshness(compiled.manifest, { projectDir: compiled.projectDir, sinks: [new JsonlSink(metricsFile(compiled.projectDir))] });
}
