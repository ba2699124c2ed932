/**
 * Problems found while rendering a template, as diagnostics. A problem inside a macro (a partial or
 * a TypeScript helper) is one diagnostic in the macro's file, however many models call it: each
 * further call adds its location to `related` (the calling model's file, line and column, then any
 * partial it went through).
 */
import type { Diagnostic, SourcePosition } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { MacroSite } from './macro-site.js';

export interface RenderProblem {
  code: string;
  message: string;
  hint: string;
  /** 1-based position: in the rendered template, or in `macro.file` when inside a macro. */
  line: number;
  column: number;
  macro?: MacroSite;
}

/** The template a problem was found in: a model or a singular test. */
export interface RenderedFile {
  name: string;
  file: string;
  text: string;
}

type Related = SourcePosition & { message: string };

// One index per compile (its diagnostics list): macro faults already reported, by place.
const reported = new WeakMap<Diagnostic[], Map<string, Diagnostic>>();

/** Reports a fault in a macro file once; a further report of the same place adds its related locations. */
export function reportMacroFault(
  diagnostics: Diagnostic[],
  fault: { code: string; message: string; hint: string; file: string; text: string; line: number; column: number; severity?: Diagnostic['severity'] },
  related: Related[],
): Diagnostic {
  let index = reported.get(diagnostics);
  if (!index) reported.set(diagnostics, (index = new Map()));
  const key = `${fault.code}:${fault.file}:${fault.line}:${fault.column}`;
  let diagnostic = index.get(key);
  if (!diagnostic) {
    const { text, severity, ...rest } = fault;
    diagnostic = { ...rest, severity: severity ?? 'error', frame: codeFrame(text, fault.line, fault.column), related: [] };
    index.set(key, diagnostic);
    diagnostics.push(diagnostic);
  }
  const seen = new Set(diagnostic.related!.map((r) => `${r.file}:${r.line}:${r.column}`));
  for (const r of related) {
    const at = `${r.file}:${r.line}:${r.column}`;
    if (!seen.has(at)) diagnostic.related!.push(r);
    seen.add(at);
  }
  return diagnostic;
}

/** The calls that led into a macro, as related locations. */
export function callsInto(macro: MacroSite, from: RenderedFile): Related[] {
  return macro.via.map((call) => ({
    file: call.file ?? from.file,
    line: call.line,
    column: call.column,
    message: call.file ? `through ${call.file}` : `called from ${from.name}`,
  }));
}

/** Adds the diagnostics of one render's problems (the full and incremental forms, deduplicated). */
export function reportRenderProblems(problems: RenderProblem[], from: RenderedFile, diagnostics: Diagnostic[]): number {
  const unique = new Map<string, RenderProblem>();
  for (const p of problems) unique.set(`${p.code}:${p.macro?.file ?? ''}:${p.line}:${p.column}:${p.macro ? '' : p.message}`, p);
  for (const p of unique.values()) {
    if (p.macro) {
      const fault = { code: p.code, message: p.message, hint: p.hint, file: p.macro.file, text: p.macro.text, line: p.line, column: p.column };
      reportMacroFault(diagnostics, fault, callsInto(p.macro, from));
      continue;
    }
    diagnostics.push({
      code: p.code,
      severity: 'error',
      message: p.message,
      file: from.file,
      line: p.line,
      column: p.column,
      frame: codeFrame(from.text, p.line, p.column),
      hint: p.hint,
    });
  }
  return unique.size;
}
