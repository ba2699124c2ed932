import { Args, Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { didYouMean } from '../../compiler/resolve/environment.js';
import { environmentDatabase } from '../../compiler/environments/environment.js';
import type { RestorePoint } from '../../compiler/plan/operations.js';

export default class DiffData extends EtlCommand {
  static override summary = "Compare two versions of a model's table by primary key: rows added, removed and changed, per-column counts and a sample.";
  static override description =
    'Two sides: `--env A` (production, then environment A), `--env A --env B` (A, then B), or `--version N` / `--timestamp T` (the table as of then, then now: Delta time travel). Rows are matched on the model\'s unique_key (or --key); Spark counts in one FULL OUTER JOIN aggregate and samples in a second query.';
  static override examples = [
    '<%= config.bin %> diff-data stg_customer_orders --env pr_42',
    '<%= config.bin %> diff-data mart_daily_revenue --version 3 --json',
    '<%= config.bin %> diff-data dim_customers --timestamp 2026-01-05T06:00:00Z --key customer_id',
  ];
  static override args = { model: Args.string({ required: true, description: 'Model name' }) };
  static override enableJsonFlag = true;
  static override flags = {
    ...projectFlags,
    env: Flags.string({ description: 'Environment to compare: once (production, then it) or twice (the first, then the second)', multiple: true }),
    version: Flags.integer({ description: 'Compare the table as of this Delta version with the table now', min: 0, exclusive: ['timestamp', 'env'] }),
    timestamp: Flags.string({ description: 'Compare the table as of this instant (ISO-8601; UTC without a zone) with the table now', exclusive: ['version', 'env'] }),
    key: Flags.string({ description: 'Primary key column (repeat for a compound key); default: the model\'s unique_key', multiple: true }),
    sample: Flags.integer({ description: 'Rows of each kind to show', default: 5, min: 0, max: 1000 }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(DiffData);
    const envs = flags.env ?? [];
    if (envs.length > 2) this.error('--env is given once or twice.', { exit: EXIT.usage, code: 'ETL450' });
    if (!envs.length && flags.version === undefined && flags.timestamp === undefined) this.error('Nothing to compare with: pass --env NAME, --version N or --timestamp T.', { exit: EXIT.usage, code: 'ETL450' });
    const compiled = await this.compileAndReport({ ...flags, env: undefined }, true);
    if (!compiled.ok) this.error('Compilation failed; nothing was run.', { exit: EXIT.project, code: 'ETL_COMPILE' });
    const model = compiled.manifest.models[`model.${args.model}`];
    if (!model) this.error(`No model named '${args.model}'. ${didYouMean(args.model, Object.values(compiled.manifest.models).map((m) => m.name))}`.trim(), { exit: EXIT.usage, code: 'ETL004' });
    if (!model.relation || model.materialized === 'view' || model.materialized === 'ephemeral') this.error(`${args.model} is ${model.materialized}: only tables have versions to compare.`, { exit: EXIT.usage, code: 'ETL452' });
    const key = flags.key?.length ? flags.key : (model.config.unique_key ?? []);
    if (!key.length) this.error(`${args.model} has no unique_key: pass the primary key with --key COLUMN.`, { exit: EXIT.usage, code: 'ETL451' });
    const { database, table } = model.relation;
    const inEnv = (env: string | undefined) => `${env ? environmentDatabase(database, env) : database}.${table}`;
    let point: RestorePoint | null = null;
    if (flags.version !== undefined) point = { by: 'version', version: flags.version };
    if (flags.timestamp !== undefined) {
      const { parseTimestamp } = await import('../../runtime/restore/point.js');
      try {
        point = parseTimestamp(flags.timestamp);
      } catch (e) {
        this.error((e as Error).message.replace('--to', '--timestamp'), { exit: EXIT.usage, code: 'ETL453' });
      }
    }
    const from = point ? { label: point.by === 'version' ? `version ${point.version}` : point.timestamp, relation: inEnv(undefined), asOf: point } : { label: envs.length === 2 ? envs[0]! : 'production', relation: inEnv(envs.length === 2 ? envs[0] : undefined), asOf: null };
    const to = point ? { label: 'now', relation: inEnv(undefined), asOf: null } : { label: envs[envs.length - 1]!, relation: inEnv(envs[envs.length - 1]), asOf: null };
    const { dataDiff, DataDiffError } = await import('../../runtime/runner/data-diff.js');
    const { formatDataDiff } = await import('../../runtime/runner/data-diff-format.js');
    try {
      const report = await dataDiff({ projectDir: compiled.projectDir, manifest: compiled.manifest, model: args.model, from, to, key, sampleSize: flags.sample });
      if (!this.jsonEnabled()) this.log(formatDataDiff(report));
      return report;
    } catch (e) {
      if (e instanceof DataDiffError) this.error(`${e.message}\nhint: ${e.hint}`, { exit: EXIT.usage, code: e.code });
      this.error(`${args.model}: ${(e as Error).message.split('\n')[0]}`, { exit: EXIT.project, code: 'ETL_RUN' });
    }
  }
}
