import { Flags } from '@oclif/core';
import path from 'node:path';
import type { Manifest } from '../../compiler/index.js';
import { EtlCommand, EXIT, projectFlags } from '../base.js';
import type { FreshnessReport } from '../../runtime/metrics/status.js';

export default class Status extends EtlCommand {
  static override summary = 'Freshness of each gold model against the SLA, from the local metrics file.';
  static override description =
    "A gold model's freshness is the age of the data its last successful build read: minutes since its sources were last extracted into bronze (the oldest of them), recorded by `etl build` in .etl/metrics/metrics.jsonl. The SLA is infra.sla_minutes in project.yaml (default 120). As `dbt source freshness`, exits 1 when a gold model is past the SLA; a model never built since its sources landed is shown as unknown and does not fail the command.";
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json', '<%= config.bin %> status --plan ci-artifacts/target'];
  static override flags = {
    ...projectFlags,
    plan: Flags.string({ description: 'A compiled target/ folder: read its manifest instead of compiling the project', helpGroup: 'PROJECT' }),
  };

  async run(): Promise<FreshnessReport> {
    const { flags } = await this.parse(Status);
    const projectDir = path.resolve(flags.project);
    const manifest = await this.manifestFor(flags);
    const [{ readMetrics, metricsFile }, { freshnessReport, formatFreshness }, { slaMinutes }] = await Promise.all([
      import('../../runtime/metrics/jsonl-sink.js'),
      import('../../runtime/metrics/status.js'),
      import('../../runtime/metrics/sla.js'),
    ]);
    const { points, badLines } = await readMetrics(metricsFile(projectDir));
    if (badLines.length) this.logToStderr(`warning: ${metricsFile(projectDir)}: lines ${badLines.join(', ')} are not metric points and were skipped`);
    const report = freshnessReport(manifest, points, slaMinutes(projectDir), new Date());
    if (!this.jsonEnabled()) this.log(formatFreshness(report));
    // As dbt source freshness: a model past its SLA fails the command (exit 1).
    if (report.late > 0) this.exitWithJson(EXIT.project, report);
    return report;
  }

  /** The manifest of --plan, or of a compile now (compile errors end the command). */
  private async manifestFor(flags: { plan?: string; project: string; target?: string; vars?: string; 'no-cache'?: boolean; env?: string }): Promise<Pick<Manifest, 'models' | 'project'>> {
    if (flags.plan) {
      const { readCompiledTarget, CompiledTargetError } = await import('../../runtime/plan/read-compiled.js');
      try {
        return readCompiledTarget(path.resolve(flags.plan)).manifest;
      } catch (e) {
        if (e instanceof CompiledTargetError) this.error(e.message, { exit: EXIT.usage, code: 'ETL007' });
        throw e;
      }
    }
    const compiled = await this.compileAndReport(flags, true);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    return compiled.manifest;
  }
}
