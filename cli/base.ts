/** Shared flags and the compile-then-report step every command starts with. */
import { Command, Flags } from '@oclif/core';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { compileProject, formatDiagnostic, type CompileResult, type Manifest } from '../compiler/index.js';

export const projectFlags = {
  project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.', helpGroup: 'PROJECT' }),
  target: Flags.string({ char: 't', description: 'Target from project.yaml (default: default_target)', helpGroup: 'PROJECT' }),
  vars: Flags.string({ description: 'Override vars, as JSON or YAML: --vars \'{"max_order_date": "2031-01-01"}\'', helpGroup: 'PROJECT' }),
  'no-cache': Flags.boolean({ description: 'Analyse every model afresh instead of reusing .etl/cache', helpGroup: 'PROJECT' }),
};

export const selectionFlags = {
  select: Flags.string({ char: 's', description: 'Models to include (name, +name, name+, N+name, tag:, path:, layer:, source:x+)', multiple: true }),
  exclude: Flags.string({ description: 'Models to leave out (same syntax as --select)', multiple: true }),
  state: Flags.string({ description: 'Reference manifest.json (or a target/ folder holding one) for state:modified and state:new' }),
};

/** Exit codes: 0 ok, 1 project errors, 2 usage. */
export const EXIT = { ok: 0, project: 1, usage: 2 } as const;

export abstract class EtlCommand extends Command {
  static override enableJsonFlag = true;

  protected async parseVars(raw: string | undefined): Promise<Record<string, unknown> | undefined> {
    if (!raw) return undefined;
    const { parse } = await import('yaml');
    try {
      const v = parse(raw) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      /* reported below */
    }
    this.error(`--vars must be a JSON or YAML mapping, got: ${raw}`, { exit: EXIT.usage, code: 'ETL002' });
  }

  /** Reads the `--state` reference manifest for slim CI selection (validated by the manifest schema). */
  protected async loadStateManifest(ref: string | undefined): Promise<Manifest | undefined> {
    if (!ref) return undefined;
    const file = existsSync(ref) && statSync(ref).isDirectory() ? path.join(ref, 'manifest.json') : ref;
    const { readManifest, CompiledTargetError } = await import('../runtime/plan/read-compiled.js');
    try {
      return readManifest(file);
    } catch (err) {
      if (err instanceof CompiledTargetError) this.error(`--state: ${err.message}`, { exit: EXIT.usage, code: 'ETL005' });
      throw err;
    }
  }

  /** Compiles for a run: only errors are printed. */
  compileForRun(flags: { project: string; target?: string; vars?: string; 'no-cache'?: boolean }): Promise<CompileResult & { projectDir: string }> {
    return this.compileAndReport(flags, true);
  }

  /** Compiles and prints diagnostics (to stderr, so --json stdout stays clean). */
  protected async compileAndReport(flags: { project: string; target?: string; vars?: string; 'no-cache'?: boolean }, quiet = false): Promise<CompileResult & { projectDir: string }> {
    const projectDir = path.resolve(flags.project);
    const vars = await this.parseVars(flags.vars);
    const result = await compileProject({ projectDir, ...(flags.target ? { target: flags.target } : {}), ...(vars ? { vars } : {}), ...(flags['no-cache'] ? { cache: false } : {}) });
    const color = process.stderr.isTTY === true;
    const shown = quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
    for (const d of sortDiagnostics(shown)) process.stderr.write(`${formatDiagnostic(d, color)}\n\n`);
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = result.diagnostics.length - errors;
    if (errors || (warnings && !quiet)) process.stderr.write(`${errors} error(s), ${warnings} warning(s)\n`);
    return { ...result, projectDir };
  }
}

function sortDiagnostics<T extends { file?: string; line?: number; column?: number; code: string }>(ds: T[]): T[] {
  return [...ds].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code));
}
