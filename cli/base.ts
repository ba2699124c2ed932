/** Shared flags and the compile-then-report step every command starts with. */
import { Command, Errors, Flags } from '@oclif/core';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
// Not the compiler/index.ts barrel: a nothing-changed compile loads none of the pipeline (compiler/compile.ts).
import type { CompileResult } from '../compiler/compile-types.js';
import type { Diagnostic } from '../compiler/diagnostics/diagnostic.js';
import type { Manifest } from '../compiler/manifest/types.js';
import { SelectorError } from '../compiler/plan/select.js';
import type { CompileFlagValues } from './compile-for-flags.js';
import { diagnosticFlags, type DiagnosticFlagValues, type DiagnosticFormat } from './output/flags.js';
import { reportDiagnostics } from './output/report-diagnostics.js';

export const projectFlags = {
  project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.', helpGroup: 'PROJECT' }),
  target: Flags.string({ char: 't', description: 'Target from project.yaml (default: default_target)', helpGroup: 'PROJECT' }),
  vars: Flags.string({ description: 'Override vars, as JSON or YAML: --vars \'{"max_order_date": "2031-01-01"}\'', helpGroup: 'PROJECT' }),
  'no-cache': Flags.boolean({ description: 'Analyse every model afresh instead of reusing .etl/cache', helpGroup: 'PROJECT' }),
  env: Flags.string({ description: 'Build into an isolated environment (silver__NAME, gold__NAME, under envs/NAME/), never production: e.g. --env pr_42', helpGroup: 'PROJECT' }),
  ...diagnosticFlags,
};

export const selectionFlags = {
  select: Flags.string({ char: 's', description: 'Models to include (name, +name, name+, N+name, tag:, path:, layer:, source:x+)', multiple: true }),
  exclude: Flags.string({ description: 'Models to leave out (same syntax as --select)', multiple: true }),
  state: Flags.string({ description: 'Reference manifest.json (or a target/ folder holding one) for state:modified and state:new' }),
  defer: Flags.boolean({ description: 'Read models that are not selected from the --state deployment (production) instead of building them', dependsOn: ['state'] }),
};

/** Exit codes: 0 ok, 1 project errors, 2 usage. */
export const EXIT = { ok: 0, project: 1, usage: 2 } as const;

/**
 * Exits with the code an error carries (1 project, 2 usage), with or without --json: oclif's own
 * --json path exits 1 for every error. An `exit()` after the command printed its JSON prints nothing more.
 */
export abstract class ExitCodeCommand extends Command {
  override async catch(err: Error & { oclif?: { exit?: number } }): Promise<unknown> {
    const exit = err.oclif?.exit;
    if (typeof exit === 'number') process.exitCode = exit;
    if (this.jsonEnabled() && err instanceof Errors.ExitError) return undefined;
    return super.catch(err);
  }

  /** `{error: {code, message, exit, suggestions}}`: not oclif's dump of the parser's whole context. */
  override toErrorJson(err: unknown): unknown {
    if (!(err instanceof Error)) return { error: err };
    const e = err as Error & { code?: string; oclif?: { exit?: number }; suggestions?: string[] };
    return { error: { name: e.name, message: e.message, ...(e.code ? { code: e.code } : {}), exit: e.oclif?.exit ?? 1, ...(e.suggestions ? { suggestions: e.suggestions } : {}) } };
  }

  /** Ends with `code`, printing `json` first when --json is on (so stdout is never empty). */
  protected exitWithJson(code: number, json: unknown): never {
    if (this.jsonEnabled()) this.logJson(json);
    this.exit(code);
    throw new Error('unreachable');
  }
}

/** `json`: build and test's own --json flag (JSON lines on stdout), which oclif's jsonEnabled() does not see. */
/** What a compile reads from a command's flags: where, how, into which environment, and deferral. */
type CompileFlags = { project: string; target?: string; vars?: string; 'no-cache'?: boolean; json?: boolean; state?: string; stateManifest?: Manifest } & DiagnosticFlagValues & CompileFlagValues;

export abstract class EtlCommand extends ExitCodeCommand {
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

  /** Compiles for the flags' target and environment, deferring unselected models with --defer. */
  private async compileWithPlacement(projectDir: string, vars: Record<string, unknown> | undefined, flags: CompileFlags): Promise<CompileResult> {
    const { compileForFlags, DeferWithoutStateError } = await import('./compile-for-flags.js');
    const state = flags.stateManifest ?? (flags.defer ? await this.loadStateManifest(flags.state) : undefined);
    try {
      return await compileForFlags(projectDir, vars, flags, state);
    } catch (err) {
      if (err instanceof DeferWithoutStateError) this.error(err.message, { exit: EXIT.usage, code: 'ETL008' });
      if (err instanceof SelectorError) this.error(err.message, { exit: EXIT.usage, code: 'ETL003' });
      throw err;
    }
  }

  /** Compiles for a run: only errors are printed. */
  compileForRun(flags: CompileFlags): Promise<CompileResult & { projectDir: string }> {
    return this.compileAndReport(flags, true);
  }

  /** Compiles and prints diagnostics (to stderr, so --json stdout stays clean). */
  protected async compileAndReport(flags: CompileFlags, quiet = false): Promise<CompileResult & { projectDir: string }> {
    const projectDir = path.resolve(flags.project);
    const vars = await this.parseVars(flags.vars);
    const result = await this.compileWithPlacement(projectDir, vars, flags);
    reportDiagnostics(result.diagnostics, {
      projectDir,
      format: (flags.format ?? 'text') as DiagnosticFormat,
      errorsOnly: quiet,
      json: this.jsonEnabled() || flags.json === true,
      color: process.stderr.isTTY === true,
      ...(flags.sarif ? { sarif: flags.sarif } : {}),
      tool: { name: this.config.name, version: this.config.version },
    });
    // Not spread: a reused result reads its manifest and plan from target/ only when they are used.
    return Object.assign(result, { projectDir });
  }

  /** A compile with errors ends the command with exit 1; with --json, `{ok: false, diagnostics}` on stdout. */
  protected failCompile(diagnostics: Diagnostic[]): never {
    return this.exitWithJson(EXIT.project, { ok: false, diagnostics });
  }
}
