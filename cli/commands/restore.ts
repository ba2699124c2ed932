import { Args, Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { formatDiagnostic } from '../../compiler/diagnostics/format.js';
import type { RestorePoint } from '../../compiler/plan/operations.js';
import type { RestoreError } from '../../runtime/restore/errors.js';
import type { RestoreOutcome, RestoreRequest } from '../../runtime/restore/restore-local.js';

/** Mistakes in what was asked exit 2; a table that cannot be restored as asked exits 1. */
const USAGE_CODES = new Set(['RESTORE_UNKNOWN_MODEL', 'RESTORE_NOT_A_TABLE', 'RESTORE_BAD_TIMESTAMP', 'RESTORE_NO_POINT', 'RESTORE_BEFORE_FIRST_VERSION', 'RESTORE_NO_SUCH_VERSION']);

export default class Restore extends EtlCommand {
  static override summary = "Restore a model's table to an earlier version or time, on the primary or from the replica.";
  static override description =
    "Delta time travel (RESTORE TABLE ... TO VERSION/TIMESTAMP AS OF) run on the table's engine: the restore is a new commit, so the history is kept and a restore can itself be undone. When the table's files are lost (Delta log or data files deleted), --from-replica first copies the table's files back from the replica (locally the directory `etl replicate` writes, data/replica by default; on an EMR target the replica bucket), then travels to --to/--version if given. Views, ephemeral models and unknown models are refused.";
  static override examples = [
    '<%= config.bin %> restore orders_table --to 2026-01-05T06:00:00Z',
    '<%= config.bin %> restore orders_table --version 3 --dry-run',
    '<%= config.bin %> restore orders_table --from-replica',
  ];
  static override args = { model: Args.string({ required: true, description: 'Model whose table is restored' }) };
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
    env: projectFlags.env,
    to: Flags.string({ description: 'Restore to the table as of this instant (ISO-8601; UTC when no zone is given)', exclusive: ['version'] }),
    version: Flags.integer({ description: 'Restore to this Delta version', min: 0, exclusive: ['to'] }),
    'from-replica': Flags.boolean({ description: "Copy the table's files back from the replica first (when the primary's files are lost)" }),
    replica: Flags.string({ description: 'Replica directory (local target) or s3://bucket[/prefix] (EMR target) instead of the default' }),
    'dry-run': Flags.boolean({ description: 'Check the restore point and print what would run; change nothing' }),
  };

  async run(): Promise<RestoreOutcome> {
    const { args, flags } = await this.parse(Restore);
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const { RestoreError: RestoreErrorClass } = await import('../../runtime/restore/errors.js');
    try {
      const { parseTimestamp } = await import('../../runtime/restore/point.js');
      const point: RestorePoint | undefined = flags.to !== undefined ? parseTimestamp(flags.to) : flags.version !== undefined ? { by: 'version', version: flags.version } : undefined;
      if (!point && !flags['from-replica']) {
        throw new RestoreErrorClass('RESTORE_NO_POINT', 'Nothing to restore to.', 'pass --to TIMESTAMP or --version N, or --from-replica to bring back the latest replicated version.');
      }
      const request: RestoreRequest = { model: args.model, ...(point ? { point } : {}), fromReplica: flags['from-replica'], ...(flags.replica ? { replica: flags.replica } : {}), dryRun: flags['dry-run'] };
      const outcome = compiled.manifest.target.kind === 'emr' ? await this.onAws(compiled, request) : await this.locally(compiled, request);
      if (!this.jsonEnabled()) this.log(describe(outcome));
      return outcome;
    } catch (e) {
      if (e instanceof RestoreErrorClass) return this.refuse(e);
      // AWS, Spark start-up and Spark statement failures: one message, no stack.
      if (e instanceof Error && /^(AwsTargetError|SparkNotInstalledError|SparkStartError|StatementFailed|SparkSqlError)$/.test(e.name)) {
        const text = 'format' in e && typeof e.format === 'function' ? String(e.format()) : e.message.split('\n')[0]!;
        this.error(`${args.model}: ${text}`, { exit: EXIT.project, code: 'ETL_RUN' });
      }
      throw e;
    }
  }

  private async locally(compiled: Awaited<ReturnType<EtlCommand['compileForRun']>>, request: RestoreRequest): Promise<RestoreOutcome> {
    const { restoreLocal } = await import('../../runtime/restore/restore-local.js');
    return restoreLocal({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, request });
  }

  private async onAws(compiled: Awaited<ReturnType<EtlCommand['compileForRun']>>, request: RestoreRequest): Promise<RestoreOutcome> {
    const { restoreOnAws } = await import('../../runtime/restore/restore-aws.js');
    return restoreOnAws({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, request });
  }

  private refuse(e: RestoreError): never {
    const exit = USAGE_CODES.has(e.code) ? EXIT.usage : EXIT.project;
    if (this.jsonEnabled()) return this.exitWithJson(exit, { ok: false, diagnostics: [e.diagnostic] });
    return this.refuseText(e, exit);
  }

  private refuseText(e: RestoreError, exit: number): never {
    process.stderr.write(`${formatDiagnostic(e.diagnostic, process.stderr.isTTY === true)}\n`);
    return this.exit(exit);
  }
}

function describe(o: RestoreOutcome): string {
  const lines: string[] = [];
  const verb = o.dryRun ? 'would copy' : 'copied';
  if (o.replica) lines.push(`${o.relation}: ${verb} ${o.replica.copied} file(s) back from the replica ${o.replica.location} (${o.replica.unchanged} already there)`);
  if (o.toVersion !== undefined && o.fromVersion === o.toVersion && !o.statements.length) lines.push(`${o.relation} is at version ${o.toVersion}: nothing to time-travel`);
  for (const s of o.statements) lines.push(`${o.dryRun ? 'would run' : 'ran'}: ${s}`);
  if (o.newVersion !== undefined) lines.push(`${o.relation}: restored to version ${o.toVersion} as version ${o.newVersion} (was ${o.fromVersion})`);
  if (o.rows !== undefined) lines.push(`${o.relation}: ${o.rows} row(s)`);
  return lines.join('\n');
}
