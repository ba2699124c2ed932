import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags, selectionFlags } from '../base.js';
import { compiledForRun, runFlags, runLocally } from '../run-command.js';
import { buildOnEmrIfTargeted, emrFlags } from '../emr-command.js';
import { junitFlags } from '../output/flags.js';
import { backfillFlags, runBackfillCommand, wantsBackfill } from '../backfill-command.js';

export default class Build extends EtlCommand {
  static override summary = 'Build models on Spark in dependency order, each followed by its data tests.';
  static override description =
    'Compiles the project, starts one local Spark (or reuses the one from `etl spark start`), registers the bronze tables the selection reads, then materializes the selected models with --threads in parallel. A model that fails, or whose error-severity test fails, skips everything downstream; independent branches go on. Writes target/run_results.json; exits 1 if anything failed.';
  static override examples = [
    '<%= config.bin %> build',
    '<%= config.bin %> build --select +stg_customer_orders --threads 4',
    '<%= config.bin %> build --full-refresh --select tag:silver',
    '<%= config.bin %> build --failed   # only what failed or was skipped last time',
    '<%= config.bin %> build --select orders_daily --start 2026-01-01 --end 2026-01-08   # backfill 7 days, batch by batch',
    '<%= config.bin %> build --json | jq -c \'select(.event == "node_end")\'',
    '<%= config.bin %> build --plan ci-artifacts/target   # run a target/ compiled elsewhere, as it is',
  ];
  // One JSON event per line, not oclif's single JSON document at the end.
  static override enableJsonFlag = false;
  static override flags = {
    ...projectFlags,
    ...selectionFlags,
    ...runFlags,
    'full-refresh': Flags.boolean({ description: 'Rebuild incremental models from scratch' }),
    ...emrFlags,
    ...junitFlags,
    ...backfillFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Build);
    const withState = { ...flags, stateManifest: await this.loadStateManifest(flags.state) };
    const compiled = await compiledForRun(this, withState);
    if (wantsBackfill(flags)) {
      if (!(await runBackfillCommand(this, withState, compiled))) this.exit(EXIT.project);
      return;
    }
    if (flags.junit && compiled.manifest.target.kind === 'emr') this.error('--junit is not supported with an EMR target yet: target/run_results.json has the per-model results', { exit: EXIT.usage, code: 'EMR_UNSUPPORTED_FLAG' });
    const { junitWriter } = await import('../output/junit-report.js');
    const ok = (await buildOnEmrIfTargeted(this, withState, compiled)) ?? (await runLocally(this, 'build', withState, compiled, junitWriter(flags.junit, compiled)));
    if (!ok) this.exit(EXIT.project);
  }
}
