/**
 * Handlebars templates: parsed into Handlebars' AST (template-syntax.ts), then evaluated by a small
 * interpreter over it (template-interpreter.ts). Two reasons not to use Handlebars' own compiler: it
 * generates and compiles a JS function per template (about 2.5 ms each: 25 s for 10,000 models,
 * against 0.15 ms to parse), and it keeps no source positions. The interpreter records, as it
 * writes, where every piece of output came from; this module maps rendered text back to the file.
 *
 * Supported, with Handlebars' semantics: content, comments, {{path}} (own properties only),
 * {{helper args key=value}}, sub-expressions, block helpers with {{else}} and {{else if}} chains,
 * whitespace control, partials with hash arguments, data variables (@index, @key, @first, @last,
 * @root), block parameters, and the built-ins if, unless, each, with, lookup.
 */
import type Handlebars from 'handlebars';
import { codeFrame } from '../diagnostics/frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { Interpreter, TemplateRenderError } from './template-interpreter.js';
import { parseTemplate, TemplateSyntaxError } from './template-syntax.js';
import type { MacroSite } from './macro-site.js';
import type { Segment } from './template-interpreter.js';

export { TemplateRenderError, TemplateSyntaxError };
export { parseSimpleTemplate } from './template-fast-parser.js';

type Env = typeof Handlebars;

export interface CompiledTemplate {
  /** Literal arguments of every `{{config ...}}` call, read from the template without rendering it. */
  configCalls: Array<{ hash: Record<string, unknown>; line: number; column: number }>;
  render(context: unknown, data?: Record<string, unknown>): RenderedText;
}

export interface RenderedText {
  text: string;
  /** Maps a 1-based line/column of `text` to the 1-based line/column in the template file. */
  toTemplate(line: number, column: number): { line: number; column: number };
  /**
   * Where each piece of `text` starts in the template (1-based), in output order; a verbatim piece
   * is the template's own text from there on. Absent when only `toTemplate` is known.
   */
  segments?(): Array<{ at: number; line: number; column: number; verbatim: boolean }>;
  /**
   * When the text at a 1-based line/column of `text` was written by a partial: where in the partial's
   * file (1-based), and the calls that led there. Undefined for the template's own text.
   */
  inMacro?(line: number, column: number): { line: number; column: number; site: MacroSite } | undefined;
}

/** `(hash key="value" ...)` as a config value: an object of its literal pairs (`exposes=(hash pii="reason")`). */
function configObject(e: hbs.AST.Expression): Record<string, unknown> | undefined {
  if (e.type !== 'SubExpression') return undefined;
  const sub = e as hbs.AST.SubExpression;
  if (sub.path.type !== 'PathExpression' || (sub.path as hbs.AST.PathExpression).original !== 'hash') return undefined;
  const out: Record<string, unknown> = {};
  for (const pair of sub.hash?.pairs ?? []) out[pair.key] = 'value' in pair.value ? (pair.value as hbs.AST.Literal & { value: unknown }).value : undefined;
  return out;
}

function findConfigCalls(program: hbs.AST.Program): CompiledTemplate['configCalls'] {
  const out: CompiledTemplate['configCalls'] = [];
  const visit = (p: hbs.AST.Program) => {
    for (const s of p.body) {
      if (s.type === 'MustacheStatement') {
        const m = s as hbs.AST.MustacheStatement;
        if (m.path.type === 'PathExpression' && (m.path as hbs.AST.PathExpression).original === 'config') {
          const hash: Record<string, unknown> = {};
          for (const pair of m.hash?.pairs ?? []) {
            const v = pair.value as hbs.AST.Literal & { value?: unknown };
            hash[pair.key] = 'value' in v ? v.value : configObject(pair.value);
          }
          out.push({ hash, line: m.loc.start.line, column: m.loc.start.column + 1 });
        }
      } else if (s.type === 'BlockStatement') {
        const b = s as hbs.AST.BlockStatement;
        if (b.program) visit(b.program);
        if (b.inverse) visit(b.inverse);
      }
    }
  };
  visit(program);
  return out;
}

/** Advances a (line, 0-based column) position over `text`. */
function advance(line: number, column: number, text: string): { line: number; column: number } {
  for (const ch of text) {
    if (ch === '\n') {
      line++;
      column = 0;
    } else column++;
  }
  return { line, column };
}

/** The last segment starting at or before `offset` (index), -1 when none. */
function segmentAt(segments: Segment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (segments[mid]!.at <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** 1-based position in the segment's own text of `offset` in the output. */
function positionIn(segment: Segment, offset: number): { line: number; column: number } {
  if (segment.kind === 'expr') return { line: segment.line, column: segment.column + 1 };
  const pos = advance(segment.line, segment.column, segment.original.slice(0, segment.skip + offset - segment.at));
  return { line: pos.line, column: pos.column + 1 };
}

export function compileTemplate(env: Env, source: string): CompiledTemplate {
  const ast = parseTemplate(source);
  return {
    configCalls: findConfigCalls(ast),
    render(context, data) {
      const interpreter = new Interpreter(env, data ?? {}, source);
      interpreter.run(ast, context);
      const text = interpreter.text();
      const starts = interpreter.segments;
      const inPartials = interpreter.macroSegments;
      let lineStarts: number[] | undefined;
      const offsetOf = (line: number, column: number) => {
        lineStarts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
        return (lineStarts[line - 1] ?? 0) + column - 1;
      };
      return {
        text,
        toTemplate(line, column) {
          const offset = offsetOf(line, column);
          const found = segmentAt(starts, offset);
          return found < 0 ? { line: 1, column: 1 } : positionIn(starts[found]!, offset);
        },
        segments() {
          return starts.map((segment) => {
            if (segment.kind === 'expr') return { at: segment.at, line: segment.line, column: segment.column + 1, verbatim: false };
            const pos = advance(segment.line, segment.column, segment.original.slice(0, segment.skip));
            return { at: segment.at, line: pos.line, column: pos.column + 1, verbatim: true };
          });
        },
        inMacro(line, column) {
          const offset = offsetOf(line, column);
          const inPartial = segmentAt(inPartials, offset);
          const own = segmentAt(starts, offset);
          // Output after a partial call belongs to the template again once its next piece starts.
          const segment = inPartials[inPartial];
          const template = starts[own];
          if (!segment || (template && (template.at > segment.at || (template.at === segment.at && template.seq > segment.seq)))) return undefined;
          return { ...positionIn(segment, offset), site: segment.site };
        },
      };
    },
  };
}

/** A diagnostic for a template syntax error, positioned in the template file. */
export function templateSyntaxDiagnostic(err: TemplateSyntaxError | TemplateRenderError, file: string, text: string): Diagnostic {
  return {
    code: 'ETL130',
    severity: 'error',
    message: err.message,
    file,
    line: err.line,
    column: err.column,
    frame: codeFrame(text, err.line, err.column),
    hint: err instanceof TemplateSyntaxError ? 'Check that every {{ has a matching }} and every {{#block}} its {{/block}}.' : 'Check the helper or partial name: macros/ defines partials (.hbs) and helpers (.ts).',
  };
}
