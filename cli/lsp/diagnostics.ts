/** Compile diagnostics as LSP diagnostics, grouped by file, with ranges from line/column (and end). */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import type { Diagnostic } from '../../compiler/index.js';
import { diagnosticRegion } from '../output/extent.js';

export const fileUri = (projectDir: string, file: string) => pathToFileURL(path.join(projectDir, file)).href;

/** Lines of a project file (an open editor's text first, else the disk). */
export type LinesOf = (file: string) => string[] | undefined;

function toLsp(d: Diagnostic, lines: LinesOf, projectDir: string): LspDiagnostic {
  const region = diagnosticRegion(d, lines) ?? { startLine: d.line ?? 1, startColumn: d.column ?? 1, endLine: d.line ?? 1, endColumn: (d.column ?? 1) + 1 };
  const range = { start: { line: region.startLine - 1, character: region.startColumn - 1 }, end: { line: region.endLine - 1, character: region.endColumn - 1 } };
  return {
    range,
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'etl',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    ...(d.related?.length
      ? {
          relatedInformation: d.related.map((r) => ({
            location: { uri: fileUri(projectDir, r.file), range: { start: { line: r.line - 1, character: r.column - 1 }, end: { line: r.line - 1, character: r.column - 1 } } },
            message: r.message,
          })),
        }
      : {}),
  };
}

/** Diagnostics by file URI; every file that had some before and has none now maps to []. */
export function diagnosticsByUri(diagnostics: Diagnostic[], previous: Iterable<string>, lines: LinesOf, projectDir: string): Map<string, LspDiagnostic[]> {
  const out = new Map<string, LspDiagnostic[]>();
  for (const uri of previous) out.set(uri, []);
  for (const d of diagnostics) {
    const uri = fileUri(projectDir, d.file ?? 'project.yaml');
    const list = out.get(uri) ?? [];
    list.push(toLsp(d.file ? d : { ...d, file: 'project.yaml', line: 1, column: 1 }, lines, projectDir));
    out.set(uri, list);
  }
  return out;
}
