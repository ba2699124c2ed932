/** What `etl build` and `etl test` share: flags, compile, the run, and user-facing errors without stacks. */
import { Flags } from '@oclif/core';
import type { EtlCommand } from '../../cli/base.js';
import type { CompileResult, Manifest } from '../../compiler/index.js';
import { SparkNotInstalledError } from '../engines/spark/paths.js';
import { SparkStartError } from '../engines/spark/launcher.js';
import { pickReporter } from './events.js';
import { run } from './run.js';

export const runFlags = {
  threads: Flags.integer({ description: 'Models run in parallel on the one Spark', default: 4, min: 1, max: 64 }),
  failed: Flags.boolean({ description: 'Only what failed or was skipped in the previous run (target/run_results.json)' }),
  json: Flags.boolean({ description: 'Print one JSON event per line (run_start, node_start, node_end, run_end)' }),
};

interface CliFlags {
  project: string;
  target?: string;
  vars?: string;
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

/** Returns whether everything passed. */
export async function runFromCli(cmd: EtlCommand, command: 'build' | 'test', flags: CliFlags, compiled: CompileResult & { projectDir: string }): Promise<boolean> {
  if (!compiled.ok) cmd.error('Compilation failed; nothing was run.', { exit: 1, code: 'ETL_COMPILE' });
  const { writeArtifacts } = await import('../../compiler/index.js');
  await writeArtifacts(compiled, compiled.projectDir);
  const reporter = pickReporter({ json: !!flags.json });
  try {
    const results = await run({
      command,
      projectDir: compiled.projectDir,
      select: flags.select ?? [],
      exclude: flags.exclude ?? [],
      threads: flags.threads,
      fullRefresh: !!flags['full-refresh'],
      failedOnly: !!flags.failed,
      ...(flags.stateManifest ? { state: flags.stateManifest } : {}),
      ...(flags.dataTests !== undefined ? { dataTests: flags.dataTests } : {}),
      ...(flags.unitTests !== undefined ? { unitTests: flags.unitTests } : {}),
      reporter,
      project: { manifest: compiled.manifest, plan: compiled.plan, diagnostics: compiled.diagnostics, origin: 'compiled' },
    });
    return results.success;
  } catch (e) {
    if (e instanceof SparkNotInstalledError || e instanceof SparkStartError || e instanceof Error) {
      reporter.close();
      cmd.error(e.message, { exit: 1, code: e instanceof SparkNotInstalledError ? 'ETL_SPARK_MISSING' : e instanceof SparkStartError ? 'ETL_SPARK_START' : 'ETL_RUN' });
    }
    throw e;
  } finally {
    reporter.close();
  }
}
