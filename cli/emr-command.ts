/**
 * The `--target emr` path of `etl build`: its extra flags, and the run with user-facing errors
 * (no stack traces for configuration, credential or permission problems). cli/commands/build.ts
 * dispatches here when the target's kind is `emr`.
 */
import { Flags, type Command } from '@oclif/core';
import type { CompileResult, Manifest } from '../compiler/index.js';
import { AwsTargetError } from '../runtime/aws/errors.js';

export const emrFlags = {
  'dry-run': Flags.boolean({ description: 'EMR target: print the AWS requests (S3 uploads, Glue tables, EMR cluster and steps) without sending them', helpGroup: 'EMR' }),
  wait: Flags.boolean({ description: 'EMR target: wait for the steps and report per-model status (--no-wait returns once submitted)', default: true, allowNo: true, helpGroup: 'EMR' }),
  'cluster-id': Flags.string({ description: 'EMR target: run on this existing cluster (overrides cluster.existing_cluster_id)', helpGroup: 'EMR' }),
  terminate: Flags.boolean({ description: 'EMR target: terminate the cluster after the build (overrides cluster.terminate_after_build)', allowNo: true, helpGroup: 'EMR' }),
};

interface EmrCliFlags {
  select?: string[];
  exclude?: string[];
  json?: boolean;
  failed?: boolean;
  'full-refresh'?: boolean;
  'dry-run'?: boolean;
  wait?: boolean;
  'cluster-id'?: string;
  terminate?: boolean;
  /** `--state` reference manifest, for `state:modified` selectors. */
  stateManifest?: Manifest | undefined;
}

const EMR_ONLY = ['dry-run', 'cluster-id', 'terminate'] as const;

/**
 * `etl build`'s dispatch: runs the build on EMR when the target's kind is emr and returns whether
 * it succeeded; returns undefined for other targets (the local build runs), after refusing the
 * EMR-only flags there, so `--dry-run` can never start a real local build.
 */
export async function buildOnEmrIfTargeted(cmd: Command, flags: EmrCliFlags, compiled: CompileResult & { projectDir: string; fromPlan?: boolean }): Promise<boolean | undefined> {
  const names = [...EMR_ONLY.filter((f) => flags[f] !== undefined && flags[f] !== false).map((f) => `--${f}`), ...(flags.wait === false ? ['--no-wait'] : [])];
  // A failed compile has no trustworthy target: with EMR flags, say nothing was sent to AWS.
  if (compiled.manifest.target.kind === 'emr' || (!compiled.ok && names.length)) return runEmrFromCli(cmd, flags, compiled);
  if (names.length) {
    cmd.error(`${names.join(', ')} only apply to an EMR target; target "${compiled.manifest.target.name}" is ${compiled.manifest.target.kind}`, {
      exit: 2,
      code: 'EMR_FLAG_ON_LOCAL',
      suggestions: ['pass --target with an emr target from project.yaml, or drop the flag'],
    });
  }
  return undefined;
}

/** Returns whether every model succeeded (a dry run always does). */
export async function runEmrFromCli(cmd: Command, flags: EmrCliFlags, compiled: CompileResult & { projectDir: string; fromPlan?: boolean }): Promise<boolean> {
  if (!compiled.ok) cmd.error('Compilation failed; nothing was sent to AWS.', { exit: 1, code: 'ETL_COMPILE' });
  if (flags.failed) cmd.error('--failed is not supported with an EMR target yet', { exit: 2, code: 'EMR_UNSUPPORTED_FLAG', suggestions: ['select the models to rerun with --select'] });
  const { writeArtifacts, selectModels, SelectorError } = await import('../compiler/index.js');
  // Loaded here so a local `etl build` never pays for the AWS SDK.
  const { runEmrBuild } = await import('../runtime/aws/emr-build.js');
  let select: string[] | undefined;
  try {
    select = flags.select?.length || flags.exclude?.length ? selectModels(compiled.manifest, { select: flags.select ?? [], exclude: flags.exclude ?? [], ...(flags.stateManifest ? { state: flags.stateManifest } : {}) }) : undefined;
  } catch (e) {
    if (e instanceof SelectorError) cmd.error(e.message, { exit: 2, code: 'ETL_SELECTOR' });
    throw e;
  }
  // The build uploads target/compiled and target/run as they are written here (a --plan build
  // renders them from the plan it was given instead).
  if (!flags['dry-run'] && !compiled.fromPlan) await writeArtifacts(compiled, compiled.projectDir);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nCancelling the EMR steps of this build (Ctrl-C again to leave them running)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  try {
    const result = await runEmrBuild(compiled.manifest, compiled.plan, {
      projectDir: compiled.projectDir,
      dryRun: Boolean(flags['dry-run']),
      fullRefresh: Boolean(flags['full-refresh']),
      ...(select ? { select } : {}),
      wait: flags.wait ?? true,
      ...(flags['cluster-id'] ? { clusterId: flags['cluster-id'] } : {}),
      ...(flags.terminate !== undefined ? { terminate: flags.terminate } : {}),
      signal: controller.signal,
      log: (line) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`),
    });
    if (flags['dry-run']) {
      process.stdout.write(`${JSON.stringify(result.requests, null, 2)}\n`);
      return true;
    }
    if (flags.json && result.run) process.stdout.write(`${JSON.stringify(result.run)}\n`);
    return result.ok;
  } catch (e) {
    if (e instanceof AwsTargetError) cmd.error(e.format(), { exit: 1, code: e.code });
    throw e;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
