/**
 * Handlebars rendering with a position map back to the template. Handlebars has no source
 * maps, so markers are woven into the parsed template: each verbatim text run maps 1:1 back to
 * its place in the file, and whatever a helper or partial printed maps to the call that printed it.
 */
import Handlebars from 'handlebars';
import { codeFrame } from '../diagnostics/frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

type HbNode = hbs.AST.Statement & { loc: hbs.AST.SourceLocation };
interface Segment {
  kind: 'content' | 'expr';
  /** 1-based line, 0-based column (Handlebars' convention). */
  line: number;
  column: number;
  /** For content: how many characters of `original` whitespace control removed in front. */
  skip: number;
  original: string;
}

const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = /\uE000(\d+)\uE001/g;

export interface CompiledTemplate {
  /** Literal arguments of every `{{config ...}}` call, read from the template without rendering it. */
  configCalls: Array<{ hash: Record<string, unknown>; line: number; column: number }>;
  render(context: unknown, data?: Record<string, unknown>): RenderedText;
}

export interface RenderedText {
  text: string;
  /** Maps a 1-based line/column of `text` to the 1-based line/column in the template file. */
  toTemplate(line: number, column: number): { line: number; column: number };
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Handlebars' parse errors carry the position only in their message. */
function syntaxError(err: Error, source: string): TemplateSyntaxError {
  const lines = err.message.split('\n');
  const lineMatch = /on line (\d+)/.exec(lines[0] ?? '');
  const line = lineMatch ? Number(lineMatch[1]) : 1;
  let column = 1;
  const excerpt = lines[1] ?? '';
  const caret = (lines[2] ?? '').indexOf('^');
  if (caret >= 0) {
    const truncated = excerpt.startsWith('...');
    const shown = truncated ? excerpt.slice(3) : excerpt;
    const sourceLine = source.split('\n')[line - 1] ?? '';
    const start = sourceLine.lastIndexOf(shown.slice(0, Math.min(shown.length, caret - (truncated ? 3 : 0)) || 1));
    column = (start >= 0 ? start : 0) + caret - (truncated ? 3 : 0) + 1;
    if (column > sourceLine.length + 1 || column < 1) column = Math.max(1, sourceLine.length);
  }
  const expected = lines.slice(3).join(' ').replace(/\s+/g, ' ').trim();
  const message = `Template syntax error${expected ? `: ${expected.replace(/^Expecting /, 'expected ')}` : ''}`;
  return new TemplateSyntaxError(message, line, column);
}

function weave(program: hbs.AST.Program, segments: Segment[]): void {
  const body: hbs.AST.Statement[] = [];
  for (const statement of program.body as HbNode[]) {
    if (statement.type === 'ContentStatement') {
      // Handlebars' typings call `original` StripFlags; at run time it is the untrimmed text.
      const content = statement as unknown as { value: string; original: string };
      const skip = content.original.startsWith(content.value) ? 0 : Math.max(0, content.original.indexOf(content.value));
      segments.push({ kind: 'content', line: statement.loc.start.line, column: statement.loc.start.column, skip, original: content.original });
      content.value = `${OPEN}${segments.length - 1}${CLOSE}${content.value}`;
      body.push(statement);
      continue;
    }
    if (statement.type !== 'CommentStatement') {
      segments.push({ kind: 'expr', line: statement.loc.start.line, column: statement.loc.start.column, skip: 0, original: '' });
      body.push({
        type: 'ContentStatement',
        value: `${OPEN}${segments.length - 1}${CLOSE}`,
        original: '',
        loc: statement.loc,
      } as unknown as hbs.AST.ContentStatement);
    }
    if (statement.type === 'BlockStatement') {
      const block = statement as hbs.AST.BlockStatement;
      if (block.program) weave(block.program, segments);
      if (block.inverse) weave(block.inverse, segments);
    }
    body.push(statement);
  }
  program.body = body;
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

export function compileTemplate(env: typeof Handlebars, source: string): CompiledTemplate {
  let ast: hbs.AST.Program;
  try {
    ast = env.parse(source);
  } catch (err) {
    throw syntaxError(err as Error, source);
  }
  const configCalls = findConfigCalls(ast);
  const segments: Segment[] = [];
  weave(ast, segments);
  const template = env.compile(ast, { noEscape: true, strict: false, knownHelpersOnly: false });
  return {
    configCalls,
    render(context, data) {
      const raw = template(context, data ? { data } : undefined);
      // Strip markers, remembering where each segment starts in the clean text.
      const starts: Array<{ at: number; segment: Segment }> = [];
      let text = '';
      let last = 0;
      for (const m of raw.matchAll(MARKER)) {
        text += raw.slice(last, m.index);
        starts.push({ at: text.length, segment: segments[Number(m[1])]! });
        last = m.index! + m[0].length;
      }
      text += raw.slice(last);
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
          const { at, segment } = starts[found]!;
          if (segment.kind === 'expr') return { line: segment.line, column: segment.column + 1 };
          const pos = advance(segment.line, segment.column, segment.original.slice(0, segment.skip + offset - at));
          return { line: pos.line, column: pos.column + 1 };
        },
      };
    },
  };
}

/** A diagnostic for a template syntax error, positioned in the template file. */
export function templateSyntaxDiagnostic(err: TemplateSyntaxError, file: string, text: string): Diagnostic {
  return {
    code: 'ETL130',
    severity: 'error',
    message: err.message,
    file,
    line: err.line,
    column: err.column,
    frame: codeFrame(text, err.line, err.column),
    hint: 'Check that every {{ has a matching }} and every {{#block}} its {{/block}}.',
  };
}
