import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { formatDiagnostic } from '../../compiler/diagnostics/format.js';
import type { ReplicateOutcome } from '../../runtime/restore/replicate.js';

export default class Replicate extends EtlCommand {
  static override summary = 'Copy the local warehouse into the replica directory (the local stand-in for S3 cross-region replication).';
  static override description =
    "Mirrors warehouse_dir (data/warehouse) into its sibling replica directory (data/replica), as the replica bucket's replication rule mirrors the lakehouse bucket on AWS: same relative paths, new and changed files copied with their modification times, nothing ever deleted from the replica (deletes are not replicated). What it copied last is what `etl restore --from-replica` brings back. On an EMR target S3 replicates continuously; this command refuses.";
  static override examples = ['<%= config.bin %> replicate', '<%= config.bin %> replicate --dry-run --json'];
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
    env: projectFlags.env,
    replica: Flags.string({ description: 'Replica directory instead of the warehouse directory\'s sibling `replica`' }),
    'dry-run': Flags.boolean({ description: 'Count what would be copied; copy nothing' }),
  };

  async run(): Promise<ReplicateOutcome> {
    const { flags } = await this.parse(Replicate);
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const [{ replicateLocal }, { RestoreError }] = await Promise.all([import('../../runtime/restore/replicate.js'), import('../../runtime/restore/errors.js')]);
    try {
      const outcome = replicateLocal(compiled.projectDir, compiled.manifest, { ...(flags.replica ? { replica: flags.replica } : {}), dryRun: flags['dry-run'] });
      if (!this.jsonEnabled()) this.log(`${outcome.dryRun ? 'Would copy' : 'Copied'} ${outcome.copied} file(s) from ${outcome.from} to ${outcome.to} (${outcome.unchanged} unchanged)`);
      return outcome;
    } catch (e) {
      if (!(e instanceof RestoreError)) throw e;
      if (this.jsonEnabled()) return this.exitWithJson(EXIT.usage, { ok: false, diagnostics: [e.diagnostic] });
      process.stderr.write(`${formatDiagnostic(e.diagnostic, process.stderr.isTTY === true)}\n`);
      return this.exit(EXIT.usage);
    }
  }
}
