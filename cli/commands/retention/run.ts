import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';
import type { RetentionOutcome, TableRetention } from '../../../runtime/governance/retention/run-local.js';

export default class RetentionRun extends EtlCommand {
  static override summary = 'Delete data older than its retention period: expired rows of Delta tables, then VACUUM; expired bronze partitions.';
  static override description =
    "Periods: governance.retention.sources per source table, `retention: { column, years|days }` in a model's config, else the layer's infra.retention.<layer>.retention_days (7 years for bronze and silver, 10 for gold). Rows dated before the cutoff (the run's date minus the period) are deleted; rows on the cutoff date are kept. Bronze Parquet loses whole expired ingest_date partitions (catalog entries and files). Prints per table what is (or with --dry-run would be) deleted.";
  static override examples = ['<%= config.bin %> retention run --dry-run', '<%= config.bin %> retention run --select fct_financial_transactions --select snowflake.customer_orders'];
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
    env: projectFlags.env,
    select: Flags.string({ char: 's', description: 'Tables to apply retention to: a model name or source_name.table (default: all)', multiple: true }),
    'dry-run': Flags.boolean({ description: 'Count what would be deleted; change nothing' }),
    'as-of': Flags.string({ description: 'The run date the periods count back from (YYYY-MM-DD, default today in UTC)' }),
  };

  async run(): Promise<RetentionOutcome> {
    const { flags } = await this.parse(RetentionRun);
    const asOf = flags['as-of'] ?? new Date().toISOString().slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) this.error(`--as-of '${asOf}' is not a date YYYY-MM-DD`, { exit: EXIT.usage, code: 'ETL_USAGE' });
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const { readProjectConfig } = await import('../../../compiler/load/project-config.js');
    const { retentionPlan } = await import('../../../compiler/governance/retention-plan.js');
    const config = readProjectConfig(compiled.projectDir, [])!;
    let entries = retentionPlan(compiled.manifest, compiled.plan, config, asOf);
    if (flags.select?.length) {
      const unknown = flags.select.filter((s) => !entries.some((e) => e.name === s));
      if (unknown.length) this.error(`No retention applies to ${unknown.join(', ')}: name a model with a retention config, or a source table as source_name.table`, { exit: EXIT.usage, code: 'ETL_USAGE' });
      entries = entries.filter((e) => flags.select!.includes(e.name));
    }
    if (compiled.manifest.target.kind !== 'local') this.error('etl retention run applies retention on a local target; on EMR the S3 lifecycle of etl infra generate expires bronze files (Delta deletes on EMR are not supported yet)', { exit: EXIT.usage, code: 'ETL_USAGE' });
    const { retentionLocal } = await import('../../../runtime/governance/retention/run-local.js');
    const { writeRetentionResults } = await import('../../../runtime/governance/retention/results.js');
    const outcome = await retentionLocal({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, entries, asOf, dryRun: flags['dry-run'] });
    writeRetentionResults(compiled.projectDir, outcome);
    if (!this.jsonEnabled()) for (const t of outcome.tables) this.log(describe(t, outcome.dryRun));
    return outcome;
  }
}

function describe(t: TableRetention, dryRun: boolean): string {
  const head = `${t.relation} (${t.column} before ${t.before}, ${t.period})`;
  if (t.status === 'no_table') return `${head}: no table yet`;
  const parts = t.partitions?.length ? ` in ${t.partitions.length} partition(s): ${t.partitions.join(', ')}` : '';
  const rows = `${t.expiredRows ?? 0} row(s)${parts}`;
  if (t.status === 'nothing_expired') return `${head}: nothing expired`;
  return `${head}: ${dryRun ? 'would delete' : 'deleted'} ${rows}`;
}
