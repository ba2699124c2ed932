import { Args, Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { didYouMean } from '../../compiler/resolve/environment.js';

export default class Show extends EtlCommand {
  static override summary = "Preview a model's first rows: its SELECT run on Spark against the tables as they are.";
  static override description =
    'Compiles the project and runs the selected model\'s compiled SELECT with a LIMIT on local Spark (or the one from `etl spark start`), reading its upstream tables as they are in the warehouse; nothing is written. Build the upstream models first (`etl build --select +MODEL --exclude MODEL`).';
  static override examples = ['<%= config.bin %> show stg_customer_orders', '<%= config.bin %> show mart_daily_revenue --limit 50 --json', '<%= config.bin %> show mart_daily_revenue --as-of 3   # the table as of Delta version 3'];
  static override args = { model: Args.string({ required: true, description: 'Model name' }) };
  static override flags = {
    ...projectFlags,
    limit: Flags.integer({ description: 'Rows to show', default: 10, min: 1, max: 10_000 }),
    'as-of': Flags.string({ description: 'Read the built table as of a Delta version (a number) or timestamp (ISO-8601), instead of running the SELECT' }),
  };

  async run(): Promise<{ model: string; columns: Array<{ name: string; type: string }>; rows: Record<string, unknown>[] }> {
    const { args, flags } = await this.parse(Show);
    const compiled = await this.compileAndReport(flags, true);
    if (!compiled.ok) this.error('Compilation failed; nothing was run.', { exit: EXIT.project, code: 'ETL_COMPILE' });
    const id = `model.${args.model}`;
    if (!compiled.manifest.models[id]) {
      const names = Object.values(compiled.manifest.models).map((m) => m.name);
      this.error(`No model named '${args.model}'. ${didYouMean(args.model, names)}`.trim(), { exit: EXIT.usage, code: 'ETL004' });
    }
    const { showModel, formatRows } = await import('../../runtime/runner/show.js');
    let result;
    try {
      const asOf = flags['as-of'] === undefined ? undefined : await import('../show-as-of.js').then((m) => m.showAsOfFlag(this, compiled, id, flags['as-of']!, flags.limit));
      result = asOf ?? await showModel({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, modelId: id, limit: flags.limit });
    } catch (e) {
      if ((e as { oclif?: unknown }).oclif) throw e; // --as-of usage errors keep their code
      this.error(`${args.model}: ${(e as Error).message.split('\n')[0]}`, {
        exit: EXIT.project,
        code: 'ETL_RUN',
        suggestions: [`If a table it reads does not exist yet, build the parents first: etl build --select +${args.model} --exclude ${args.model}`],
      });
    }
    if (!this.jsonEnabled()) this.log(`${formatRows(result)}\n(${result.rows.length} row${result.rows.length === 1 ? '' : 's'}, limit ${flags.limit})`);
    return { model: args.model, columns: result.columns, rows: result.rows };
  }
}
