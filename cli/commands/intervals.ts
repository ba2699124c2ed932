import { Args, Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { didYouMean } from '../../compiler/resolve/environment.js';

export default class Intervals extends EtlCommand {
  static override summary = "A backfilled model's intervals: the date ranges processed, the ones missing, and an unfinished backfill.";
  static override description =
    'Reads the interval state that `etl build --select MODEL --start D1 --end D2` records after each batch (.etl/state/intervals/<target>/), without Spark. Missing intervals run from the model\'s `start` config (else its first processed day) to --end (default: tomorrow, excluded). `etl build --select MODEL --start D1 --only-missing` fills them.';
  static override examples = ['<%= config.bin %> intervals orders_daily', '<%= config.bin %> intervals orders_daily --end 2026-02-01 --json'];
  static override args = { model: Args.string({ required: true, description: 'Model name' }) };
  static override flags = {
    ...projectFlags,
    end: Flags.string({ description: 'End of the range checked for missing intervals (YYYY-MM-DD, excluded; default: tomorrow)' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(Intervals);
    const compiled = await this.compileAndReport(flags, true);
    if (!compiled.ok) this.error('Compilation failed.', { exit: EXIT.project, code: 'ETL_COMPILE' });
    const id = `model.${args.model}`;
    const node = compiled.plan.nodes[id];
    if (!compiled.manifest.models[id]) {
      const names = Object.values(compiled.manifest.models).map((m) => m.name);
      this.error(`No model named '${args.model}'. ${didYouMean(args.model, names)}`.trim(), { exit: EXIT.usage, code: 'ETL004' });
    }
    if (node?.kind !== 'model' || !node.backfill) this.error(`Model ${args.model} has no time_column: it has no intervals.`, { exit: EXIT.usage, code: 'ETL441' });
    const [{ intervalReport, formatIntervalReport }] = await Promise.all([import('../../runtime/runner/interval-report.js')]);
    const end = flags.end ?? new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const report = intervalReport(compiled.projectDir, compiled.manifest.target.name, args.model, node, end);
    if (!this.jsonEnabled()) this.log(formatIntervalReport(report));
    return report;
  }
}
