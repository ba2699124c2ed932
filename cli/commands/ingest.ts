import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import type { DevSources } from '../../runtime/dev-servers/dev-sources.js';
import type { ProgressEvent } from '../../runtime/ingest/job-context.js';
import type { IngestRunRecord } from '../../runtime/ingest/run-ingestion.js';

export default class Ingest extends EtlCommand {
  static override summary = 'Land source tables (Snowflake, Salesforce, Kafka) in bronze, exactly once.';
  static override description =
    'Compiles the project, builds one ingestion job per declared source table and runs them: Snowflake and Salesforce in cursor windows, Kafka up to the offsets seen at start. Each batch writes its Parquet files, then a manifest, then advances the cursor or commits offsets, so a crash or Ctrl-C never loses or duplicates records. Writes target/ingest/last_run.json; exits 1 if a job failed. With --dev-sources it first starts local Snowflake and Salesforce servers and a Kafka broker filled with generated data (the quickstart).';
  static override examples = [
    '<%= config.bin %> ingest',
    '<%= config.bin %> ingest --select kafka --select snowflake.customer_orders',
    '<%= config.bin %> ingest --dev-sources --rows 5000',
  ];
  static override flags = {
    ...projectFlags,
    select: Flags.string({ char: 's', description: 'Source tables: source name, name.table, source id, globs (snowflake.*)', multiple: true }),
    'dev-sources': Flags.boolean({ description: 'Start local stand-ins for every source (loopback Snowflake/Salesforce, a Kafka broker) and ingest from them' }),
    rows: Flags.integer({ description: 'Rows per table for --dev-sources', default: 2000 }),
  };

  async run(): Promise<IngestRunRecord | undefined> {
    const { flags } = await this.parse(Ingest);
    const compiled = await this.compileAndReport(flags, true);
    if (!compiled.ok) this.exit(EXIT.project);
    const controller = new AbortController();
    const onSigint = () => {
      process.stderr.write('\ninterrupt: finishing the current batch; state stays at the last commit\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    let dev: DevSources | undefined;
    const started = Date.now();
    const counts = new Map<string, number>();
    const progress = (e: ProgressEvent) => {
      if (flags.json) return;
      const elapsed = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
      if (e.phase === 'batch') counts.set(e.jobId, (counts.get(e.jobId) ?? 0) + (e.rows ?? 0));
      const total = e.phase === 'batch' ? ` (${counts.get(e.jobId)} rows so far)` : '';
      const q = e.quarantined ? `, ${e.quarantined} quarantined` : '';
      const rows = e.phase === 'batch' ? ` +${e.rows ?? 0} rows${q}` : '';
      process.stderr.write(`${elapsed}s ${e.phase.padEnd(9)} ${e.jobId}: ${e.message}${rows}${total}\n`);
    };
    // Loaded here, not at the top: the source clients (snowflake-sdk loads the AWS SDK) would
    // otherwise slow every `etl` command's start-up.
    const { runIngestion } = await import('../../runtime/ingest/run-ingestion.js');
    const { startDevSources } = await import('../../runtime/dev-servers/dev-sources.js');
    try {
      if (flags['dev-sources']) {
        process.stderr.write('starting local sources...\n');
        dev = await startDevSources(compiled.projectDir, compiled.manifest, { rows: flags.rows });
        for (const line of dev.summary) process.stderr.write(`  ${line}\n`);
      }
      const record = await runIngestion({
        projectDir: compiled.projectDir,
        manifest: compiled.manifest,
        ...(flags.select ? { select: flags.select } : {}),
        env: { ...process.env, ...(dev?.env ?? {}) },
        progress,
        signal: controller.signal,
      });
      if (!flags.json) this.printSummary(record);
      if (record.status === 'error') this.exit(EXIT.project);
      return record;
    } catch (err) {
      if (err instanceof IngestError) this.error(err.describe(), { exit: EXIT.project, code: err.details.code });
      throw err;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await dev?.stop();
    }
  }

  private printSummary(record: IngestRunRecord): void {
    const lines = record.jobs.map((j) => {
      const status = j.status === 'success' ? 'ok     ' : j.status === 'partial' ? 'partial' : 'ERROR  ';
      const detail = j.error ? `  ${j.error.code}: ${j.error.message}${j.error.hint ? ` (hint: ${j.error.hint})` : ''}` : '';
      const warn = j.warnings.length ? `  warnings: ${j.warnings.join('; ')}` : '';
      return `${status} ${j.jobId.padEnd(40)} ${String(j.rows).padStart(8)} rows ${String(j.quarantined).padStart(6)} quarantined ${j.seconds.toFixed(1).padStart(6)}s${detail}${warn}`;
    });
    process.stderr.write(`\n${lines.join('\n')}\n\nrun ${record.runId}: ${record.status}; record in target/ingest/last_run.json\n`);
  }
}
