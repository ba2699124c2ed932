/**
 * Prints a compile's diagnostics in the format asked for (text with code frames, or GitHub
 * annotations) and writes the SARIF file when asked. What `EtlCommand.compileAndReport` calls.
 */
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import { formatDiagnostic } from '../../compiler/diagnostics/format.js';
import { diagnosticRegion, fileLines } from './extent.js';
import type { DiagnosticFormat } from './flags.js';
import { githubAnnotation } from './github-annotations.js';
import { repoPath, repoRoot } from './repo-path.js';
import { writeSarif } from './sarif.js';

export interface ReportOptions {
  projectDir: string;
  format: DiagnosticFormat;
  /** Diagnostics printed: all, or (before a run) only errors. The SARIF file always has all. */
  errorsOnly: boolean;
  /** --json: stdout carries the JSON document, so annotations go to stderr. */
  json: boolean;
  color: boolean;
  sarif?: string;
  tool: { name: string; version: string };
  stdout?: (s: string) => void;
  stderr?: (s: string) => void;
}

export function sortDiagnostics<T extends { file?: string; line?: number; column?: number; code: string }>(ds: T[]): T[] {
  return [...ds].sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code));
}

/** GitHub workflow commands, one line each, paths relative to the repository root. */
export function githubAnnotations(diagnostics: Diagnostic[], projectDir: string): string[] {
  const { prefix } = repoRoot(projectDir);
  const lines = fileLines(projectDir);
  const rel = (file: string) => repoPath(prefix, file);
  return sortDiagnostics(diagnostics).map((d) => {
    const region = diagnosticRegion(d, lines);
    return githubAnnotation(d, { ...(d.file ? { file: rel(d.file) } : {}), ...(region ? { region } : {}) }, rel);
  });
}

export function reportDiagnostics(diagnostics: Diagnostic[], opts: ReportOptions): void {
  const out = opts.stdout ?? ((s: string) => process.stdout.write(s));
  const err = opts.stderr ?? ((s: string) => process.stderr.write(s));
  const shown = opts.errorsOnly ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  if (opts.format === 'github') {
    const write = opts.json ? err : out;
    for (const line of githubAnnotations(shown, opts.projectDir)) write(`${line}\n`);
  } else {
    // In the compile's order: root causes first (compiler/compile.ts causesFirst).
    for (const d of shown) err(`${formatDiagnostic(d, opts.color)}\n\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors || (warnings && !opts.errorsOnly)) err(`${errors} error(s), ${warnings} warning(s)\n`);
  if (opts.sarif) writeSarif(opts.sarif, diagnostics, { projectDir: opts.projectDir, toolName: opts.tool.name, toolVersion: opts.tool.version });
}
