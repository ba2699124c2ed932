import path from 'node:path';
import { Flags } from '@oclif/core';
import { writeArtifacts } from '../../compiler/index.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import type { DevSources } from '../../runtime/dev-servers/dev-sources.js';
import type { ProgressEvent } from '../../runtime/ingest/job-context.js';
import type { IngestRunRecord } from '../../runtime/ingest/run-ingestion.js';

export default class Ingest extends EtlCommand {
  static override summary = 'Land source tables (Snowflake, Salesforce, Kafka, JSON-lines files) in bronze, exactly once.';
  static override description =
    'Runs the ingestion job specs a compile wrote to target/ingestion/, as they are: without --plan it compiles the project and writes target/ first; with --plan DIR it runs the specs of an already compiled target/ folder and needs no project sources. Snowflake, Salesforce and files land in cursor windows, Kafka up to the offsets seen at start. Each batch writes its Parquet files, then a manifest, then advances the cursor or commits offsets, so a crash or Ctrl-C never loses or duplicates records. Relative bronze locations and folders resolve against --project. Writes target/ingest/last_run.json; exits 1 if a job failed. With --dev-sources it first starts local Snowflake and Salesforce servers and a Kafka broker filled with generated data (the quickstart).';
  static override examples = [
    '<%= config.bin %> ingest',
    '<%= config.bin %> ingest --select kafka --select snowflake.customer_orders',
    '<%= config.bin %> ingest --plan ci-artifacts/target',
    '<%= config.bin %> ingest --dev-sources --rows 5000',
  ];
  static override flags = {
    ...projectFlags,
    select: Flags.string({ char: 's', description: 'Source tables: source name, name.table, source id, globs (snowflake.*)', multiple: true }),
    'dev-sources': Flags.boolean({ description: 'Start local stand-ins for every source (loopback Snowflake/Salesforce, a Kafka broker) and ingest from them' }),
    rows: Flags.integer({ description: 'Rows per table for --dev-sources', default: 2000 }),
    plan: Flags.string({ description: 'A compiled target/ folder (or its ingestion/ folder): run its job specs without compiling' }),
  };

  async run(): Promise<IngestRunRecord | undefined> {
    const { flags } = await this.parse(Ingest);
    const projectDir = path.resolve(flags.project);
    const { jobs, planDir } = await this.jobSpecs(flags);
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
    const ops = await this.opsFor(planDir, projectDir);
    try {
      if (flags['dev-sources']) {
        process.stderr.write('starting local sources...\n');
        dev = await startDevSources(projectDir, jobs, { rows: flags.rows });
        for (const line of dev.summary) process.stderr.write(`  ${line}\n`);
      }
      const record = await runIngestion({
        projectDir,
        jobs,
        ...(flags.select ? { select: flags.select } : {}),
        env: { ...process.env, ...(dev?.env ?? {}) },
        progress,
        signal: controller.signal,
        ...(ops ? { ops } : {}),
      });
      if (!flags.json) this.printSummary(record);
      if (record.status === 'error') this.exitWithJson(EXIT.project, record);
      return record;
    } catch (err) {
      if (err instanceof IngestError) this.error(err.describe(), { exit: EXIT.project, code: err.details.code });
      throw err;
    } finally {
      process.removeListener('SIGINT', onSigint);
      await dev?.stop();
    }
  }

  /** The job specs to run: those of --plan, or those a compile writes now (compile errors end the command). */
  /** Project name, KMS key and metric sinks from the compiled target's manifest (runtime/metrics/ops-context.ts). */
  private async opsFor(planDir: string, projectDir: string) {
    const { opsContext, readOpsManifest } = await import('../../runtime/metrics/ops-context.js');
    const manifest = await readOpsManifest(planDir);
    return manifest ? opsContext(manifest, { projectDir }) : undefined;
  }

  private async jobSpecs(flags: { plan?: string; project: string; target?: string; vars?: string; 'no-cache'?: boolean }): Promise<{ jobs: IngestionJobSpec[]; planDir: string }> {
    let planDir = flags.plan ? path.resolve(flags.plan) : undefined;
    if (!planDir) {
      const compiled = await this.compileAndReport(flags, true);
      if (!compiled.ok) this.failCompile(compiled.diagnostics);
      planDir = await writeArtifacts(compiled, compiled.projectDir);
    }
    const { readJobSpecs } = await import('../../runtime/ingest/read-jobs.js');
    try {
      return { jobs: await readJobSpecs(planDir), planDir };
    } catch (err) {
      if (err instanceof IngestError) this.error(err.describe(), { exit: flags.plan ? EXIT.usage : EXIT.project, code: err.details.code });
      throw err;
    }
  }

  private printSummary(record: IngestRunRecord): void {
    const lines = record.jobs.map((j) => {
      const status = j.status === 'success' ? 'ok     ' : j.status === 'partial' ? 'partial' : 'ERROR  ';
      const detail = j.error ? `  ${j.error.code}: ${j.error.message}${j.error.hint ? ` (hint: ${j.error.hint})` : ''}` : '';
      const warn = j.warnings.length ? `  warnings: ${j.warnings.join('; ')}` : '';
      return `${status} ${j.jobId.padEnd(40)} ${String(j.rows).padStart(8)} rows ${String(j.quarantined).padStart(6)} quarantined ${j.seconds.toFixed(1).padStart(6)}s${detail}${warn}`;
    });
    const metrics = (record.metrics ?? []).map((m) => `metrics: ${m.error ? `not sent to ${m.sink}: ${m.error}` : `${m.points} points to ${m.sink}`}\n`).join('');
    process.stderr.write(`\n${lines.join('\n')}\n\nrun ${record.runId}: ${record.status}; record in target/ingest/last_run.json\n${metrics}`);
  }
}
