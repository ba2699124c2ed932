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
            hash[pair.key] = 'value' in v ? v.value : undefined;
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

export function compileTemplate(env: Env, source: string): CompiledTemplate {
  const ast = parseTemplate(source);
  return {
    configCalls: findConfigCalls(ast),
    render(context, data) {
      const interpreter = new Interpreter(env, data ?? {}, source);
      interpreter.run(ast, context);
      const text = interpreter.text();
      const starts = interpreter.segments;
      let lineStarts: number[] | undefined;
      return {
        text,
        toTemplate(line, column) {
          lineStarts ??= [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)];
          const offset = (lineStarts[line - 1] ?? 0) + column - 1;
          let lo = 0;
          let hi = starts.length - 1;
          let found = -1;
          while (lo <= hi) {
            const mid = (lo + hi) >> 1;
            if (starts[mid]!.at <= offset) {
              found = mid;
              lo = mid + 1;
            } else hi = mid - 1;
          }
          if (found < 0) return { line: 1, column: 1 };
          const segment = starts[found]!;
          if (segment.kind === 'expr') return { line: segment.line, column: segment.column + 1 };
          const pos = advance(segment.line, segment.column, segment.original.slice(0, segment.skip + offset - segment.at));
          return { line: pos.line, column: pos.column + 1 };
        },
        segments() {
          return starts.map((segment) => {
            if (segment.kind === 'expr') return { at: segment.at, line: segment.line, column: segment.column + 1, verbatim: false };
            const pos = advance(segment.line, segment.column, segment.original.slice(0, segment.skip));
            return { at: segment.at, line: pos.line, column: pos.column + 1, verbatim: true };
          });
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
