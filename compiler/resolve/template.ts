/**
 * Handlebars templates: parsed by Handlebars itself, then evaluated by a small interpreter over
 * its AST. Two reasons not to use Handlebars' own compiler: it generates and compiles a JS function
 * per template (about 2.5 ms each: 25 s for 10,000 models, against 0.15 ms to parse), and it keeps
 * no source positions. The interpreter records, as it writes, where every piece of output came
 * from: verbatim text maps 1:1 back to the file, and helper or partial output maps to its call.
 *
 * Supported: content, comments, {{path}}, {{helper args key=value}}, sub-expressions, block helpers
 * with {{else}}, partials with hash arguments, and the built-ins if, unless, each, with, lookup.
 */
import type Handlebars from 'handlebars';
import { createRequire } from 'node:module';
import { codeFrame } from '../diagnostics/frame.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

type Env = typeof Handlebars;
type Node = hbs.AST.Node & { loc: hbs.AST.SourceLocation };

interface Segment {
  /** Offset in the output where this piece starts. */
  at: number;
  kind: 'content' | 'expr';
  /** 1-based line, 0-based column (Handlebars' convention). */
  line: number;
  column: number;
  /** For content: characters of `original` that whitespace control removed in front. */
  skip: number;
  original: string;
}

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

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Thrown for template mistakes found while rendering (a missing helper or partial). */
export class TemplateRenderError extends Error {
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
    const start = sourceLine.lastIndexOf(shown.slice(0, Math.max(1, caret - (truncated ? 3 : 0))));
    column = (start >= 0 ? start : 0) + caret - (truncated ? 3 : 0) + 1;
    if (column > sourceLine.length + 1 || column < 1) column = Math.max(1, sourceLine.length);
  }
  // Handlebars lists the grammar's token names ('CLOSE', 'OPEN_SEXPR', ...); the useful part is
  // what it found, and where.
  const got = /got '([A-Z_]+)'/.exec(lines.slice(3).join(' '))?.[1];
  const found: Record<string, string> = { INVALID: 'an unexpected character', EOF: 'the end of the file', CLOSE: '}}', OPEN: '{{', OPEN_ENDBLOCK: '{{/', OPEN_BLOCK: '{{#' };
  const sourceLine = source.split('\n')[line - 1] ?? '';
  const near = sourceLine.slice(Math.max(0, column - 12), column + 12).trim();
  const unclosedBlock = got === 'EOF' && /OPEN_ENDBLOCK/.test(lines.slice(3).join(' '));
  const message = unclosedBlock
    ? 'Template syntax error: a {{#block}} is never closed (reached the end of the file)'
    : `Template syntax error: found ${got ? (found[got] ?? got.toLowerCase().replace(/_/g, ' ')) : 'something unexpected'}${near ? ` near \`${near}\`` : ''}`;
  return new TemplateSyntaxError(message, line, column);
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

const partialCache = new WeakMap<object, Map<string, hbs.AST.Program>>();

class Interpreter {
  private out: string[] = [];
  private length = 0;
  readonly segments: Segment[] = [];
  /** Output from partials is attributed to the partial call, not recorded piece by piece. */
  private recording = 0;

  /** The text of the template being read (a partial's while inside it): helpers see where they are written (`var` in quotes). */
  private readonly sources: string[];

  constructor(
    private readonly env: Env,
    private readonly data: Record<string, unknown>,
    source: string,
  ) {
    this.sources = [source];
  }

  private withSource<T>(source: string, run: () => T): T {
    this.sources.push(source);
    try {
      return run();
    } finally {
      this.sources.pop();
    }
  }

  text(): string {
    return this.out.join('');
  }

  private emit(s: string): void {
    if (!s) return;
    this.out.push(s);
    this.length += s.length;
  }

  private mark(kind: Segment['kind'], node: Node, original = '', skip = 0): void {
    if (this.recording === 0) this.segments.push({ at: this.length, kind, line: node.loc.start.line, column: node.loc.start.column, skip, original });
  }

  program(p: hbs.AST.Program | undefined, context: unknown, parents: unknown[], record = true): void {
    if (!p) return;
    if (!record) this.recording++;
    try {
      for (const s of p.body as Node[]) this.statement(s, context, parents);
    } finally {
      if (!record) this.recording--;
    }
  }

  /** Renders a nested program into a string (what a block helper's `options.fn` returns). */
  private capture(p: hbs.AST.Program | undefined, context: unknown, parents: unknown[]): string {
    const start = this.out.length;
    this.program(p, context, parents);
    const text = this.out.splice(start).join('');
    this.length -= text.length;
    // Segments recorded inside stay valid: the helper's return value is emitted right back here
    // unchanged in the common case (is_incremental, if); if a helper alters it, positions inside
    // fall back to the block's own position.
    return text;
  }

  private statement(s: Node, context: unknown, parents: unknown[]): void {
    switch (s.type) {
      case 'ContentStatement': {
        // Handlebars' typings call `original` StripFlags; at run time it is the untrimmed text.
        const c = s as unknown as { value: string; original: string };
        const skip = c.original.startsWith(c.value) ? 0 : Math.max(0, c.original.indexOf(c.value));
        this.mark('content', s, c.original, skip);
        this.emit(c.value);
        return;
      }
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = s as unknown as hbs.AST.MustacheStatement & Node;
        this.mark('expr', s);
        const value = this.call(m.path, m.params, m.hash, context, parents, s, undefined, true);
        this.emit(value === undefined || value === null ? '' : String(value));
        return;
      }
      case 'BlockStatement': {
        const b = s as unknown as hbs.AST.BlockStatement & Node;
        const before = this.segments.length;
        const at = this.length;
        this.mark('expr', s);
        const value = this.call(b.path, b.params, b.hash, context, parents, s, b);
        const text = value === undefined || value === null ? '' : String(value);
        this.emit(text);
        // The block's own segments were recorded during capture at offsets relative to `at`.
        for (const seg of this.segments.slice(before + 1)) if (seg.at < at) seg.at = at;
        return;
      }
      case 'PartialStatement': {
        const p = s as unknown as hbs.AST.PartialStatement & Node;
        this.mark('expr', s);
        const name = p.name.type === 'PathExpression' ? (p.name as hbs.AST.PathExpression).original : String((p.name as unknown as { value: unknown }).value);
        const ast = this.partial(name, s);
        // Arguments of a partial are printed by it: a `(var "x")` there renders as SQL, as {{var}} does.
        let ctx: unknown = p.params.length ? this.eval(p.params[0]!, context, parents, true) : context;
        if (p.hash?.pairs.length) ctx = { ...(typeof ctx === 'object' && ctx !== null ? ctx : {}), ...this.hash(p.hash, context, parents, true) };
        const partialSource = String(this.env.partials[name] ?? '');
        // A standalone partial is indented like its call, line by line, as Handlebars does.
        const indent = (p as unknown as { indent?: string }).indent ?? '';
        if (!indent) {
          this.withSource(partialSource, () => this.program(ast, ctx, [context, ...parents], false));
          return;
        }
        this.recording++;
        const text = this.withSource(partialSource, () => this.capture(ast, ctx, [context, ...parents]));
        this.recording--;
        this.emit(text.replace(/^(?=.)/gm, indent));
        return;
      }
      default:
        throw new TemplateRenderError(`Unsupported template construct ${s.type}`, s.loc.start.line, s.loc.start.column + 1);
    }
  }

  private partial(name: string, at: Node): hbs.AST.Program {
    let cache = partialCache.get(this.env);
    if (!cache) partialCache.set(this.env, (cache = new Map()));
    let ast = cache.get(name);
    if (!ast) {
      const source = this.env.partials[name] as unknown;
      if (typeof source !== 'string') throw new TemplateRenderError(`Unknown partial '${name}'`, at.loc.start.line, at.loc.start.column + 1);
      ast = this.env.parse(source);
      cache.set(name, ast);
    }
    return ast;
  }

  private hash(h: hbs.AST.Hash | undefined, context: unknown, parents: unknown[], output = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of h?.pairs ?? []) out[pair.key] = this.eval(pair.value, context, parents, output);
    return out;
  }

  private lookup(path: hbs.AST.PathExpression, context: unknown, parents: unknown[]): unknown {
    if (path.data) {
      let v: unknown = this.data;
      for (const part of path.parts) v = (v as Record<string, unknown> | undefined)?.[part];
      return v;
    }
    let v: unknown = path.depth ? parents[path.depth - 1] : context;
    for (const part of path.parts) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[part];
    return v;
  }

  /** `output`: the value is printed as it is (a partial's argument), not handed to a helper. */
  private eval(e: hbs.AST.Expression, context: unknown, parents: unknown[], output = false): unknown {
    switch (e.type) {
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (e as hbs.AST.Literal & { value: unknown }).value;
      case 'UndefinedLiteral':
        return undefined;
      case 'NullLiteral':
        return null;
      case 'SubExpression': {
        const sub = e as hbs.AST.SubExpression & Node;
        return this.call(sub.path, sub.params, sub.hash, context, parents, sub, undefined, output);
      }
      case 'PathExpression': {
        const path = e as hbs.AST.PathExpression;
        const helper = path.parts.length === 1 && !path.data && path.depth === 0 ? this.env.helpers[path.parts[0]!] : undefined;
        if (helper && !['if', 'unless', 'each', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing'].includes(path.parts[0]!)) {
          return this.call(path, [], undefined, context, parents, e as Node);
        }
        return this.lookup(path, context, parents);
      }
      default:
        return undefined;
    }
  }

  private call(
    pathExpr: hbs.AST.Expression,
    params: hbs.AST.Expression[],
    hashNode: hbs.AST.Hash | undefined,
    context: unknown,
    parents: unknown[],
    node: Node,
    block?: hbs.AST.BlockStatement,
    output = false,
  ): unknown {
    // `{{"x"}}` or `{{1}}`: Handlebars reads a literal in path position as a lookup of that name.
    const path =
      pathExpr.type === 'PathExpression'
        ? (pathExpr as hbs.AST.PathExpression)
        : ({ type: 'PathExpression', data: false, depth: 0, parts: [String((pathExpr as unknown as { value: unknown }).value)], original: String((pathExpr as unknown as { value: unknown }).value) } as unknown as hbs.AST.PathExpression);
    const name = path.type === 'PathExpression' && path.parts.length === 1 && !path.data && path.depth === 0 ? path.parts[0]! : undefined;
    const args = params.map((p) => this.eval(p, context, parents));
    const hash = this.hash(hashNode, context, parents);
    const fn = (ctx: unknown) => this.capture(block?.program, ctx, [context, ...parents]);
    const inverse = (ctx: unknown) => this.capture(block?.inverse, ctx, [context, ...parents]);
    const truthy = (v: unknown) => (Array.isArray(v) ? v.length > 0 : Boolean(v));
    switch (name) {
      case 'if':
        return truthy(args[0]) ? fn(context) : inverse(context);
      case 'unless':
        return truthy(args[0]) ? inverse(context) : fn(context);
      case 'with':
        return args[0] !== undefined && args[0] !== null ? fn(args[0]) : inverse(context);
      case 'each': {
        const items = args[0];
        const list = Array.isArray(items) ? items : items && typeof items === 'object' ? Object.values(items) : [];
        return list.length ? list.map((item) => fn(item)).join('') : inverse(context);
      }
      case 'lookup':
        return (args[0] as Record<string, unknown> | undefined)?.[String(args[1])];
    }
    const helper = name ? this.env.helpers[name] : undefined;
    if (helper) {
      // `output`: the result is printed into the SQL (not an argument of another helper); `source`: the
      // text `loc` is in. The var helper uses both to render a literal that fits where it is written.
      const options = { name, hash, data: this.data, loc: node.loc, fn, inverse, output, source: this.sources[this.sources.length - 1]! };
      return (helper as (...a: unknown[]) => unknown).call(context, ...args, options);
    }
    if (args.length || Object.keys(hash).length) {
      throw new TemplateRenderError(`Unknown helper '${path.original ?? '?'}'`, node.loc.start.line, node.loc.start.column + 1);
    }
    const value = this.lookup(path, context, parents);
    if (block) {
      if (Array.isArray(value)) return value.length ? value.map((v) => fn(v)).join('') : inverse(context);
      return truthy(value) ? fn(value === true ? context : value) : inverse(context);
    }
    return typeof value === 'function' ? (value as () => unknown).call(context) : value;
  }
}

const SIMPLE_MUSTACHE = /\{\{\s*([A-Za-z_][\w.-]*)((?:\s+(?:"[^"\\{}]*"|'[^'\\{}]*'|[A-Za-z_][\w-]*=(?:"[^"\\{}]*"|'[^'\\{}]*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*))*)\s*\}\}/y;
const ARGUMENT = /\s+(?:([A-Za-z_][\w-]*)=)?("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)/y;

function literalOrPath(token: string): hbs.AST.Expression {
  if (token.startsWith('"') || token.startsWith("'")) return { type: 'StringLiteral', value: token.slice(1, -1), original: token.slice(1, -1) } as unknown as hbs.AST.Expression;
  if (/^-?\d/.test(token)) return { type: 'NumberLiteral', value: Number(token), original: Number(token) } as unknown as hbs.AST.Expression;
  if (token === 'true' || token === 'false') return { type: 'BooleanLiteral', value: token === 'true', original: token === 'true' } as unknown as hbs.AST.Expression;
  return pathExpression(token);
}

function pathExpression(token: string): hbs.AST.Expression {
  const parts = token === 'this' ? [] : token.replace(/^this\./, '').split('.');
  return { type: 'PathExpression', data: false, depth: 0, parts, original: token } as unknown as hbs.AST.Expression;
}

const BLOCK_OPEN = /\{\{#\s*([A-Za-z_][\w.-]*)((?:\s+(?:"[^"\\{}]*"|'[^'\\{}]*'|[A-Za-z_][\w-]*=(?:"[^"\\{}]*"|'[^'\\{}]*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*))*)\s*\}\}/y;
const PARTIAL = /\{\{>\s*([A-Za-z_][\w.\/-]*)((?:\s+(?:"[^"\\{}]*"|'[^'\\{}]*'|[A-Za-z_][\w-]*=(?:"[^"\\{}]*"|'[^'\\{}]*'|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*)|-?\d+(?:\.\d+)?|[A-Za-z_][\w.]*))*)\s*\}\}/y;
const COMMENT = /\{\{!--([\s\S]*?)--\}\}|\{\{!([^}]*)\}\}/y;
const BLOCK_ELSE = /\{\{\s*else\s*\}\}/y;
const BLOCK_CLOSE = /\{\{\/\s*([A-Za-z_][\w.-]*)\s*\}\}/y;
const NO_STRIP = { open: false, close: false };

// Handlebars' own whitespace pass (standalone lines), applied to the AST read here so blocks
// behave exactly as in Handlebars.
const require = createRequire(import.meta.url);
const WhitespaceControl = require('handlebars/dist/cjs/handlebars/compiler/whitespace-control.js') as new () => { accept(node: unknown): unknown };

/**
 * Most model files use only plain mustaches (`{{ref "x"}}`, `{{config a="b"}}`, `{{this}}`) and
 * simple blocks (`{{#is_incremental}}...{{else}}...{{/is_incremental}}`), and Handlebars' generated
 * parser takes about 0.4 ms a file: 4 s for 10,000 models. Such templates are read here into the
 * AST Handlebars would build (partials and comments too), then run through Handlebars' whitespace
 * pass; anything else (
 * sub-expressions, `~`, escapes, else-if chains, null/undefined literals) goes to Handlebars.
 */
export function parseSimpleTemplate(source: string): hbs.AST.Program | undefined {
  if (source.includes('\\{{')) return undefined;
  let line = 1;
  let column = 0;
  let at = 0;
  const advanceTo = (end: number) => {
    for (let i = at; i < end; i++) {
      if (source.charCodeAt(i) === 10) {
        line++;
        column = 0;
      } else column++;
    }
    at = end;
  };
  const loc = (start: { line: number; column: number }) => ({ source: undefined, start, end: { line, column } }) as unknown as hbs.AST.SourceLocation;
  const readArgs = (args: string): { params: hbs.AST.Expression[]; hash: hbs.AST.Hash | undefined } | undefined => {
    const params: hbs.AST.Expression[] = [];
    const pairs: hbs.AST.HashPair[] = [];
    ARGUMENT.lastIndex = 0;
    for (let a = ARGUMENT.exec(args); a; a = ARGUMENT.exec(args)) {
      if (['null', 'undefined'].includes(a[2]!)) return undefined;
      if (a[1]) pairs.push({ type: 'HashPair', key: a[1], value: literalOrPath(a[2]!) } as unknown as hbs.AST.HashPair);
      else if (pairs.length) return undefined; // positional after named: let Handlebars report it
      else params.push(literalOrPath(a[2]!));
    }
    return { params, hash: pairs.length ? ({ type: 'Hash', pairs } as unknown as hbs.AST.Hash) : undefined };
  };
  interface OpenBlock {
    name: string;
    node: Record<string, unknown>;
    program: hbs.AST.Program;
    inverse?: hbs.AST.Program;
  }
  const program = (): hbs.AST.Program => ({ type: 'Program', body: [], blockParams: [], strip: {}, loc: undefined }) as unknown as hbs.AST.Program;
  const root = program();
  const stack: OpenBlock[] = [];
  const body = () => {
    const top = stack[stack.length - 1];
    return (top ? (top.inverse ?? top.program) : root).body;
  };
  while (at < source.length) {
    const open = source.indexOf('{{', at);
    const textEnd = open < 0 ? source.length : open;
    if (textEnd > at) {
      const start = { line, column };
      const value = source.slice(at, textEnd);
      advanceTo(textEnd);
      body().push({ type: 'ContentStatement', value, original: value, loc: loc(start) } as unknown as hbs.AST.Statement);
    }
    if (open < 0) break;
    const start = { line, column };
    const next = source.charAt(open + 2);
    if (next === '#') {
      BLOCK_OPEN.lastIndex = open;
      const m = BLOCK_OPEN.exec(source);
      const args = m && readArgs(m[2] ?? '');
      if (!m || !args || m[1] === 'else' || m[1] === '*') return undefined;
      advanceTo(open + m[0].length);
      const node: Record<string, unknown> = { type: 'BlockStatement', path: pathExpression(m[1]!), ...args, openStrip: NO_STRIP, inverseStrip: NO_STRIP, closeStrip: NO_STRIP, loc: loc(start) };
      const block: OpenBlock = { name: m[1]!, node, program: program() };
      body().push(node as unknown as hbs.AST.Statement);
      stack.push(block);
      continue;
    }
    if (next === '/') {
      BLOCK_CLOSE.lastIndex = open;
      const m = BLOCK_CLOSE.exec(source);
      const top = stack.pop();
      if (!m || !top || top.name !== m[1]) return undefined; // mismatched: Handlebars reports it
      advanceTo(open + m[0].length);
      (top.node.loc as { end: unknown }).end = { line, column };
      top.node.program = top.program;
      top.node.inverse = top.inverse;
      continue;
    }
    if (next === '>') {
      PARTIAL.lastIndex = open;
      const m = PARTIAL.exec(source);
      const args = m && readArgs(m[2] ?? '');
      if (!m || !args) return undefined;
      advanceTo(open + m[0].length);
      body().push({ type: 'PartialStatement', name: pathExpression(m[1]!), ...args, indent: '', strip: NO_STRIP, loc: loc(start) } as unknown as hbs.AST.Statement);
      continue;
    }
    if (next === '!') {
      COMMENT.lastIndex = open;
      const m = COMMENT.exec(source);
      if (!m || /^~|~$/.test(m[1] ?? m[2] ?? '')) return undefined;
      advanceTo(open + m[0].length);
      body().push({ type: 'CommentStatement', value: m[1] ?? m[2] ?? '', strip: NO_STRIP, loc: loc(start) } as unknown as hbs.AST.Statement);
      continue;
    }
    BLOCK_ELSE.lastIndex = open;
    const elseMatch = BLOCK_ELSE.exec(source);
    if (elseMatch) {
      const top = stack[stack.length - 1];
      if (!top || top.inverse) return undefined;
      advanceTo(open + elseMatch[0].length);
      top.inverse = program();
      continue;
    }
    SIMPLE_MUSTACHE.lastIndex = open;
    const m = SIMPLE_MUSTACHE.exec(source);
    const args = m && readArgs(m[2] ?? '');
    if (!m || !args || ['null', 'undefined', 'else'].includes(m[1]!)) return undefined;
    advanceTo(open + m[0].length);
    body().push({ type: 'MustacheStatement', path: pathExpression(m[1]!), ...args, escaped: true, strip: NO_STRIP, loc: loc(start) } as unknown as hbs.AST.Statement);
  }
  if (stack.length) return undefined; // unclosed block: Handlebars reports it
  new WhitespaceControl().accept(root);
  return root;
}

export function compileTemplate(env: Env, source: string): CompiledTemplate {
  let ast: hbs.AST.Program;
  try {
    ast = parseSimpleTemplate(source) ?? env.parse(source);
  } catch (err) {
    throw syntaxError(err as Error, source);
  }
  return {
    configCalls: findConfigCalls(ast),
    render(context, data) {
      const interpreter = new Interpreter(env, data ?? {}, source);
      interpreter.program(ast, context, []);
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
