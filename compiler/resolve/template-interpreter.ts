/**
 * Evaluates a Handlebars AST with Handlebars' semantics (template-scope.ts, template-builtins.ts),
 * recording as it writes where every piece of output came from: verbatim text maps 1:1 back to the
 * file, helper or partial output to its call. Inside a partial, helpers are told which macro file
 * they run in (`options.macro`), so problems there are reported in that file.
 */
import type Handlebars from 'handlebars';
import { blockOverValue, BUILTIN_HELPERS, runBuiltin, type BlockOptions } from './template-builtins.js';
import { childScope, lookupPath, NULL_CONTEXT, ownProperty, rootScope, type DataFrame, type Scope } from './template-scope.js';
import { parseTemplate, TemplateSyntaxError } from './template-syntax.js';
import { enterMacro, macroRegistry, type MacroSite } from './macro-site.js';

type Env = typeof Handlebars;
export type Node = hbs.AST.Node & { loc: hbs.AST.SourceLocation };

export interface Segment {
  /** Offset in the output where this piece starts. */
  at: number;
  kind: 'content' | 'expr';
  /** 1-based line, 0-based column (Handlebars' convention). */
  line: number;
  column: number;
  /** For content: characters of `original` that whitespace control removed in front. */
  skip: number;
  original: string;
  /** Order of recording: of two pieces starting at one offset, the later one is what is there. */
  seq: number;
}

/** Thrown for template mistakes found while rendering (a missing helper or partial); `macro` when inside one. */
export class TemplateRenderError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    readonly macro?: MacroSite,
  ) {
    super(message);
  }
}

const partialCache = new WeakMap<object, Map<string, hbs.AST.Program>>();
const NOT_CALLED_AS_VALUE = new Set([...BUILTIN_HELPERS, 'helperMissing', 'blockHelperMissing']);
const start = (node: { loc?: hbs.AST.SourceLocation }) => (node.loc ? { line: node.loc.start.line, column: node.loc.start.column + 1 } : undefined);

export class Interpreter {
  private out: string[] = [];
  private length = 0;
  readonly segments: Segment[] = [];
  /** Output from partials is attributed to the partial call, not recorded piece by piece. */
  private recording = 0;
  /** The text being read (a partial's while inside it): helpers see where they are written (`var` in quotes). */
  private readonly sources: string[];
  /** The partials being rendered, innermost last. */
  private readonly macros: MacroSite[] = [];
  /** Where output inside partials came from, in their own files (not inside indented partials, whose lines shift). */
  readonly macroSegments: Array<Segment & { site: MacroSite }> = [];
  private indented = 0;
  private seq = 0;

  constructor(
    private readonly env: Env,
    private readonly data: Record<string, unknown>,
    source: string,
  ) {
    this.sources = [source];
  }

  text(): string {
    return this.out.join('');
  }

  run(ast: hbs.AST.Program, context: unknown): void {
    this.program(ast, rootScope(context, this.data));
  }

  private emit(s: string): void {
    if (!s) return;
    this.out.push(s);
    this.length += s.length;
  }

  private mark(kind: Segment['kind'], node: Node, original = '', skip = 0): void {
    const segment = { at: this.length, kind, line: node.loc.start.line, column: node.loc.start.column, skip, original, seq: this.seq++ };
    if (this.recording === 0) this.segments.push(segment);
    else if (this.indented === 0 && this.macros.length) this.macroSegments.push({ ...segment, site: this.macros[this.macros.length - 1]! });
  }

  private fault(message: string, node: { loc?: hbs.AST.SourceLocation }): TemplateRenderError {
    const at = start(node) ?? { line: 1, column: 1 };
    return new TemplateRenderError(message, at.line, at.column, this.macros[this.macros.length - 1]);
  }

  private program(p: hbs.AST.Program | undefined, scope: Scope): void {
    if (p) for (const s of p.body as Node[]) this.statement(s, scope);
  }

  /** Renders a nested program into a string (what a block helper's `options.fn` returns). */
  private capture(p: hbs.AST.Program | undefined, scope: Scope): string {
    const from = this.out.length;
    this.program(p, scope);
    const text = this.out.splice(from).join('');
    this.length -= text.length;
    // Segments recorded inside stay valid: the helper's return value is emitted right back here
    // unchanged in the common case (is_incremental, if); if a helper alters it, positions inside
    // fall back to the block's own position.
    return text;
  }

  private statement(s: Node, scope: Scope): void {
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
        const value = this.call(m.path, m.params, m.hash, scope, s, undefined, true);
        this.emit(value === undefined || value === null ? '' : String(value));
        return;
      }
      case 'BlockStatement': {
        const b = s as unknown as hbs.AST.BlockStatement & Node;
        const before = this.segments.length;
        const beforeMacro = this.macroSegments.length;
        const at = this.length;
        this.mark('expr', s);
        const value = this.call(b.path, b.params, b.hash, scope, s, b);
        this.emit(value === undefined || value === null ? '' : String(value));
        // The block's own segments were recorded during capture at offsets relative to `at`.
        for (const seg of this.segments.slice(before + 1)) if (seg.at < at) seg.at = at;
        for (const seg of this.macroSegments.slice(beforeMacro)) if (seg.at < at) seg.at = at;
        return;
      }
      case 'PartialStatement':
        this.partialStatement(s as unknown as hbs.AST.PartialStatement & Node, scope);
        return;
      default:
        throw this.fault(`Unsupported template construct ${s.type}`, s);
    }
  }

  private partialStatement(p: hbs.AST.PartialStatement & Node, scope: Scope): void {
    this.mark('expr', p);
    const name = p.name.type === 'PathExpression' ? (p.name as hbs.AST.PathExpression).original : String((p.name as unknown as { value: unknown }).value);
    const ast = this.partial(name, p);
    // Handlebars refuses more than one (its compiler throws); the interpreter would ignore the rest.
    const extra = p.params[1] as (hbs.AST.Expression & { loc?: hbs.AST.SourceLocation }) | undefined;
    if (extra) throw this.fault(`Partial '${name}' takes one context argument (and key=value pairs); this one is extra`, extra.loc ? extra : p);
    // Arguments of a partial are printed by it: a `(var "x")` there renders as SQL, as {{var}} does.
    let ctx: unknown = p.params.length ? this.eval(p.params[0]!, scope, true) : scope.context;
    if (p.hash?.pairs.length) ctx = { ...(typeof ctx === 'object' && ctx !== null ? ctx : {}), ...this.hash(p.hash, scope, true) };
    const partialSource = String(this.env.partials[name] ?? '');
    const file = macroRegistry(this.env).partialFiles.get(name);
    // A partial starts with fresh depths and block parameters, and the caller's data (Handlebars' default).
    const inner: Scope = { context: ctx, depths: [ctx], data: scope.data, blockParams: [] };
    // A standalone partial is indented like its call, line by line, as Handlebars does.
    const indent = (p as unknown as { indent?: string }).indent ?? '';
    this.recording++;
    this.sources.push(partialSource);
    if (file) this.macros.push(enterMacro(this.macros[this.macros.length - 1], start(p)!, file, partialSource));
    try {
      if (!indent) this.program(ast, inner);
      else {
        this.indented++;
        try {
          this.emit(this.capture(ast, inner).replace(/^(?=.)/gm, indent));
        } finally {
          this.indented--;
        }
      }
    } finally {
      if (file) this.macros.pop();
      this.sources.pop();
      this.recording--;
    }
  }

  private partial(name: string, at: Node): hbs.AST.Program {
    const broken = macroRegistry(this.env).brokenPartials.get(name);
    const file = macroRegistry(this.env).partialFiles.get(name);
    if (broken && file) {
      const site = enterMacro(this.macros[this.macros.length - 1], start(at)!, file, String(this.env.partials[name] ?? ''));
      throw new TemplateRenderError(broken.message, broken.line, broken.column, site);
    }
    let cache = partialCache.get(this.env);
    if (!cache) partialCache.set(this.env, (cache = new Map()));
    let ast = cache.get(name);
    if (!ast) {
      const source = ownProperty(this.env.partials, name);
      if (typeof source !== 'string') throw this.fault(`Unknown partial '${name}'`, at);
      try {
        ast = parseTemplate(source);
      } catch (err) {
        if (!(err instanceof TemplateSyntaxError)) throw err;
        const site = file ? enterMacro(this.macros[this.macros.length - 1], start(at)!, file, source) : undefined;
        throw site ? new TemplateRenderError(err.message, err.line, err.column, site) : this.fault(`Partial '${name}': ${err.message}`, at);
      }
      cache.set(name, ast);
    }
    return ast;
  }

  /** A registered helper (own entries only: `{{__proto__}}` is not one). */
  private helper(name: string): unknown {
    return ownProperty(this.env.helpers, name);
  }

  private hash(h: hbs.AST.Hash | undefined, scope: Scope, output = false): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of h?.pairs ?? []) out[pair.key] = this.eval(pair.value, scope, output);
    return out;
  }

  /** `output`: the value is printed as it is (a partial's argument), not handed to a helper. */
  private eval(e: hbs.AST.Expression, scope: Scope, output = false): unknown {
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
        return this.call(sub.path, sub.params, sub.hash, scope, sub, undefined, output);
      }
      case 'PathExpression': {
        const path = e as hbs.AST.PathExpression;
        const name = path.parts.length === 1 && !path.data && path.depth === 0 ? path.parts[0]! : undefined;
        if (name && this.helper(name) && !NOT_CALLED_AS_VALUE.has(name)) return this.call(path, [], undefined, scope, e as Node);
        return lookupPath(path, scope);
      }
      default:
        return undefined;
    }
  }

  private call(
    pathExpr: hbs.AST.Expression,
    params: hbs.AST.Expression[],
    hashNode: hbs.AST.Hash | undefined,
    scope: Scope,
    node: Node,
    block?: hbs.AST.BlockStatement,
    output = false,
  ): unknown {
    // `{{"x"}}` or `{{1}}`: Handlebars reads a literal in path position as a lookup of that name.
    const path =
      pathExpr.type === 'PathExpression'
        ? (pathExpr as hbs.AST.PathExpression)
        : ({ type: 'PathExpression', data: false, depth: 0, parts: [String((pathExpr as unknown as { value: unknown }).value)], original: String((pathExpr as unknown as { value: unknown }).value) } as unknown as hbs.AST.PathExpression);
    const name = path.parts.length === 1 && !path.data && path.depth === 0 && !scope.blockParams.some((b) => b.names.includes(path.parts[0]!)) ? path.parts[0]! : undefined;
    const args = params.map((p) => this.eval(p, scope));
    const hash = this.hash(hashNode, scope);
    const options: BlockOptions = {
      self: scope.context ?? NULL_CONTEXT,
      data: scope.data,
      hash,
      fn: (ctx, o) => this.capture(block?.program, childScope(scope, ctx, block?.program, o)),
      inverse: (ctx) => this.capture(block?.inverse, childScope(scope, ctx, block?.inverse)),
    };
    const builtin = name && BUILTIN_HELPERS.has(name) ? runBuiltin(name, args, options) : undefined;
    if (builtin) return builtin.value;
    const helper = name ? this.helper(name) : undefined;
    if (helper) {
      // `output`: the result is printed into the SQL (not an argument of another helper); `source`: the
      // text `loc` is in. The var helper uses both to render a literal that fits where it is written.
      const argLocs = params.map((p) => start(p as { loc?: hbs.AST.SourceLocation }));
      const helperOptions = {
        name,
        hash,
        data: scope.data,
        loc: node.loc,
        fn: options.fn,
        inverse: options.inverse,
        output,
        source: this.sources[this.sources.length - 1]!,
        macro: this.macros[this.macros.length - 1],
        argLocs,
      };
      return (helper as (...a: unknown[]) => unknown).call(scope.context ?? NULL_CONTEXT, ...args, helperOptions);
    }
    if (args.length || Object.keys(hash).length) throw this.fault(`Unknown helper '${path.original ?? '?'}'`, node);
    const value = lookupPath(path, scope);
    const called = typeof value === 'function' ? (value as (this: unknown) => unknown).call(scope.context) : value;
    return block ? blockOverValue(called, options) : called;
  }
}

export type { DataFrame };
