import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { formatDiagnostic } from '../../compiler/diagnostics/format.js';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { ErasurePlan, MatchRule } from '../../compiler/governance/erasure-plan.js';
import type { ErasureOutcome } from '../../runtime/governance/erasure/erase-local.js';

export default class Erase extends EtlCommand {
  static override summary = "Erase a data subject (GDPR/CCPA): every bronze, silver and gold table holding the subject's rows, derived from lineage.";
  static override description =
    "The subject key (declared on source columns with .subject(...)) is followed through column lineage: bronze files are rewritten without the subject's rows, silver and gold tables carrying the key (as it is or as a salted SHA-256 hash) or a parent's row key get a Delta DELETE, aggregates the subject only reaches through are rebuilt, and every changed Delta table is vacuumed with no retention so no earlier version keeps the subject. An erasure log (.etl/erasure/log.jsonl) records what was done, with the subject only as a salted hash. --dry-run prints the plan and changes nothing.";
  static override examples = ['<%= config.bin %> erase --subject customer_id=C123 --dry-run', '<%= config.bin %> erase --subject email=jane@example.com'];
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
    env: projectFlags.env,
    subject: Flags.string({ required: true, description: 'KEY=VALUE: a subject key declared on source columns, and the subject\'s value' }),
    'dry-run': Flags.boolean({ description: 'Print the erasure plan (tables, match columns, delete or rebuild); change nothing' }),
  };

  async run(): Promise<{ plan: ErasurePlan; outcome?: ErasureOutcome }> {
    const { flags } = await this.parse(Erase);
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const { ErasureRequestError, parseSubject, keyColumnsOf } = await import('../../compiler/governance/erasure-subject.js');
    const { erasurePlan } = await import('../../compiler/governance/erasure-plan.js');
    try {
      const subject = parseSubject(flags.subject);
      const plan = erasurePlan(compiled.manifest, compiled.plan, keyColumnsOf(compiled.manifest, subject, compiled.projectDir));
      if (flags['dry-run']) {
        if (!this.jsonEnabled()) this.log(describePlan(plan));
        return { plan };
      }
      if (compiled.manifest.target.kind !== 'local') {
        throw new ErasureRequestError({ code: 'ETL334', severity: 'error', message: `etl erase runs on local Spark targets; '${compiled.manifest.target.name}' is an ${compiled.manifest.target.kind} target`, hint: 'run --dry-run for the plan; erasure on EMR is not built yet.' });
      }
      const { eraseLocal } = await import('../../runtime/governance/erasure/erase-local.js');
      const outcome = await eraseLocal({ projectDir: compiled.projectDir, manifest: compiled.manifest, plan: compiled.plan, erasure: plan, subject });
      if (!this.jsonEnabled()) this.log(describeOutcome(outcome));
      return { plan, outcome };
    } catch (e) {
      if (e instanceof ErasureRequestError) return this.refuse(e.diagnostic, e.diagnostic.code === 'ETL334' ? EXIT.project : EXIT.usage);
      if (e instanceof Error && /^(SparkNotInstalledError|SparkStartError|StatementFailed|SparkSqlError)$/.test(e.name)) {
        const text = 'format' in e && typeof e.format === 'function' ? String(e.format()) : e.message.split('\n')[0]!;
        this.error(`erase: ${text}`, { exit: EXIT.project, code: 'ETL335' });
      }
      throw e;
    }
  }

  private refuse(d: Diagnostic, exit: number): never {
    if (this.jsonEnabled()) return this.exitWithJson(exit, { ok: false, diagnostics: [d] });
    process.stderr.write(`${formatDiagnostic(d, process.stderr.isTTY === true)}\n`);
    return this.exit(exit);
  }
}

const form = (r: Extract<MatchRule, { via: 'key' }>) =>
  r.forms.map((f) => (f.kind === 'value' ? 'value' : f.salt ? `sha2(${f.salt.position === 'after' ? `value‖${f.salt.var}` : `${f.salt.var}‖value`})` : 'sha2(value)')).join(' | ');

function describeRule(r: MatchRule): string {
  return r.via === 'key' ? `${r.column} = ${form(r)}  (from ${r.key.node.replace(/^source\./, '')}.${r.key.column})` : `${r.column} in ${r.parent.replace(/^(model|source)\./, '')}.${r.parentColumn} of the subject's rows`;
}

function describePlan(plan: ErasurePlan): string {
  const lines = [`subject key '${plan.subject.key}' (${plan.subject.kinds.join(', ')}): ${plan.targets.length} table(s)`];
  for (const t of plan.targets) {
    lines.push(`  ${t.action.padEnd(13)} ${t.layer.padEnd(6)} ${t.relation.database}.${t.relation.table}  — ${t.reason}`);
    for (const r of t.match) lines.push(`                match ${describeRule(r)}`);
  }
  if (plan.passThrough.length) lines.push(`  no rows of their own: ${plan.passThrough.map((p) => `${p.name} (${p.materialized})`).join(', ')}`);
  return lines.join('\n');
}

function describeOutcome(o: ErasureOutcome): string {
  const lines = o.tables.map((t) => `${t.action.padEnd(13)} ${t.relation}: ${t.rowsRemoved} row(s) removed${t.filesRewritten !== undefined ? `, ${t.filesRewritten} file(s) rewritten` : ''}${t.versionsVacuumed !== undefined ? `, ${t.versionsVacuumed} earlier version(s) vacuumed` : ''}`);
  lines.push(`erasure ${o.requestId} logged in ${o.log} (subject ${o.subjectHash.slice(0, 12)}…)`);
  return lines.join('\n');
}
