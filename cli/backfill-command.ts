/**
 * `etl build --select m --start D1 --end D2`: the request checked (ETL440-ETL449, printed as
 * diagnostics, exit 1 before Spark starts), then the batches run by runtime/runner/backfill.ts.
 */
import { Flags } from '@oclif/core';
import type { EtlCommand } from './base.js';
import { EXIT } from './base.js';
import type { CompiledProject, RunCliFlags } from './run-command.js';

export const backfillFlags = {
  start: Flags.string({ description: 'Backfill: first day to rebuild (YYYY-MM-DD) of the selected time-partitioned incremental models, batch by batch', helpGroup: 'BACKFILL' }),
  end: Flags.string({ description: 'Backfill: first day NOT rebuilt (YYYY-MM-DD, excluded; default: tomorrow)', helpGroup: 'BACKFILL' }),
  'only-missing': Flags.boolean({ description: 'Backfill: only the batches of the range no earlier backfill processed (see etl intervals)', helpGroup: 'BACKFILL' }),
};

export interface BackfillCliFlags extends RunCliFlags {
  start?: string;
  end?: string;
  'only-missing'?: boolean;
}

export const wantsBackfill = (f: BackfillCliFlags) => f.start !== undefined || f.end !== undefined;

/** Runs the backfill; false when a batch failed. Request errors end the command (exit 1). */
export async function runBackfillCommand(cmd: EtlCommand, flags: BackfillCliFlags, compiled: CompiledProject): Promise<boolean> {
  const [{ planBackfill }, { selectedModels }, { formatDiagnostic }] = await Promise.all([
    import('../compiler/plan/backfill.js'),
    import('../runtime/runner/run-set.js'),
    import('../compiler/diagnostics/format.js'),
  ]);
  const models = selectedModels(compiled.manifest, compiled.plan, { command: 'build', select: flags.select ?? [], exclude: flags.exclude ?? [] });
  const today = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const { diagnostics, jobs } = planBackfill(compiled.manifest, compiled.plan, { projectDir: compiled.projectDir, models, start: flags.start, end: flags.end, fullRefresh: !!flags['full-refresh'], today });
  if (diagnostics.length) {
    for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, process.stderr.isTTY === true)}\n`);
    if (flags.json) process.stdout.write(`${JSON.stringify({ event: 'backfill_rejected', diagnostics })}\n`);
    cmd.error('Backfill request rejected; nothing was run.', { exit: EXIT.project, code: diagnostics[0]!.code });
  }
  const [{ runBackfill }, { pickReporter }] = await Promise.all([import('../runtime/runner/backfill.js'), import('../runtime/runner/events.js')]);
  const reporter = pickReporter({ json: !!flags.json });
  try {
    return (await runBackfill({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, jobs, onlyMissing: !!flags['only-missing'], reporter })).success;
  } finally {
    reporter.close();
  }
}
