import { Flags } from '@oclif/core';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatDiagnostic, type Diagnostic } from '../../compiler/index.js';
import { CompileSession } from '../../compiler/session/session.js';
import { watchProject } from '../../compiler/session/watch.js';
import { EtlCommand, projectFlags } from '../base.js';

export default class Dev extends EtlCommand {
  static override summary = 'Watch the project and print its diagnostics after every change (the edit loop).';
  static override description =
    'Compiles the project once and keeps it in memory; on each save re-renders and re-analyses only the changed model, re-checks the models reading it, and prints the diagnostics with the time from save to diagnostics. Changes to sources, project.yaml, macros or tests/ compile the project again. Does not write target/ (run etl compile for that). With --json, one JSON object per line: {event: "ready" | "update", ...}.';
  static override examples = ['<%= config.bin %> dev', '<%= config.bin %> dev --project ../analytics --json'];
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
    'no-cache': projectFlags['no-cache'],
    env: projectFlags.env,
    once: Flags.boolean({ description: 'Compile once, print, and exit (no watching)', hidden: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev);
    const projectDir = path.resolve(flags.project);
    const vars = await this.parseVars(flags.vars);
    const json = this.jsonEnabled();
    const started = performance.now();
    const session = await CompileSession.open({
      projectDir,
      ...(flags.target ? { target: flags.target } : {}),
      ...(vars ? { vars } : {}),
      ...(flags['no-cache'] ? { cache: false } : {}),
      ...(flags.env ? { environment: flags.env } : {}),
    });
    const watcher = watchProject(projectDir, async ({ files, seenAt }) => {
      const u = await session.update(files);
      if (u.kind === 'unchanged') return;
      const ms = Math.round((performance.now() - seenAt) * 10) / 10;
      const what = u.kind === 'incremental' ? `${u.reanalysed.length} model(s) re-analysed` : 'full compile';
      this.print(json, { event: 'update', files, kind: u.kind, reanalysed: u.reanalysed, ms, timings: u.timings, ...counts(u.diagnostics) }, u.diagnostics, `${files.join(', ')}: ${what}, ${ms} ms from save to diagnostics`);
    });
    // Ready once the watcher is: a change saved after this line is seen.
    const models = session.compiled?.resolved.rendered.size ?? 0;
    this.print(json, { event: 'ready', models, ms: Math.round(performance.now() - started), ...counts(session.diagnostics) }, session.diagnostics, `Compiled ${models} models in ${Math.round(performance.now() - started)} ms; watching ${projectDir} (Ctrl-C to stop)`);
    if (flags.once) {
      watcher.close();
      return;
    }
    await new Promise<void>((resolve) => {
      const stop = () => {
        watcher.close();
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  }

  /** One update: a JSON line, or the diagnostics as text then a summary line. */
  private print(json: boolean, event: Record<string, unknown>, diagnostics: Diagnostic[], summary: string): void {
    if (json) {
      process.stdout.write(`${JSON.stringify({ ...event, diagnostics })}\n`);
      return;
    }
    const color = process.stdout.isTTY === true;
    const text = diagnostics.map((d) => `${formatDiagnostic(d, color)}\n\n`).join('');
    const { errors, warnings } = counts(diagnostics);
    process.stdout.write(`${text}${errors} error(s), ${warnings} warning(s). ${summary}\n`);
  }
}

function counts(diagnostics: Diagnostic[]): { errors: number; warnings: number } {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return { errors, warnings: diagnostics.length - errors };
}
