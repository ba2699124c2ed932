/**
 * A fast reader for plain templates. Most model files use only plain mustaches (`{{ref "x"}}`,
 * `{{config a="b"}}`, `{{this}}`) and simple blocks (`{{#is_incremental}}...{{else}}...{{/is_incremental}}`),
 * and Handlebars' generated parser takes about 0.4 ms a file: 4 s for 10,000 models. Such templates
 * are read here into the AST Handlebars would build (partials and comments too, with the positions
 * of statements and arguments), then run through Handlebars' own whitespace pass; anything else
 * (sub-expressions, `~`, escapes, else-if chains, data variables, null/undefined literals, any
 * mistake) is left to `@handlebars/parser` (returns undefined).
 */
import * as handlebarsParser from '@handlebars/parser';

// Handlebars' whitespace pass (standalone lines), public in @handlebars/parser though not in its typings.
const { WhitespaceControl } = handlebarsParser as unknown as { WhitespaceControl: new () => { accept(node: unknown): unknown } };

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

type Loc = { line: number; column: number };
type Args = { params: hbs.AST.Expression[]; hash: hbs.AST.Hash | undefined };

interface OpenBlock {
  name: string;
  node: Record<string, unknown>;
  program: hbs.AST.Program;
  inverse?: hbs.AST.Program;
}

const newProgram = (): hbs.AST.Program => ({ type: 'Program', body: [], blockParams: [], strip: {}, loc: undefined }) as unknown as hbs.AST.Program;

/** One pass over a template; each tag reader returns false when the template needs the real parser. */
class FastReader {
  private line = 1;
  private column = 0;
  private at = 0;
  readonly root = newProgram();
  readonly stack: OpenBlock[] = [];

  constructor(private readonly source: string) {}

  /** Reads the whole template; false when it needs Handlebars' parser. */
  read(): boolean {
    const { source } = this;
    while (this.at < source.length) {
      const open = source.indexOf('{{', this.at);
      const textEnd = open < 0 ? source.length : open;
      if (textEnd > this.at) {
        const start = this.position();
        const value = source.slice(this.at, textEnd);
        this.advanceTo(textEnd);
        this.body().push({ type: 'ContentStatement', value, original: value, loc: this.loc(start) } as unknown as hbs.AST.Statement);
      }
      if (open < 0) break;
      if (!this.tag(open)) return false;
    }
    return this.stack.length === 0; // an unclosed block: Handlebars reports it
  }

  private tag(open: number): boolean {
    switch (this.source.charAt(open + 2)) {
      case '#':
        return this.blockOpen(open);
      case '/':
        return this.blockClose(open);
      case '>':
        return this.partial(open);
      case '!':
        return this.comment(open);
      default:
        return this.elseTag(open) ?? this.mustache(open);
    }
  }

  private position(): Loc {
    return { line: this.line, column: this.column };
  }

  private advanceTo(end: number): void {
    const next = this.locAt(end).start;
    this.line = next.line;
    this.column = next.column;
    this.at = end;
  }

  private loc(start: Loc): hbs.AST.SourceLocation {
    return { source: undefined, start, end: this.position() } as unknown as hbs.AST.SourceLocation;
  }

  /** Where `offset` (at or after the current position) is, in Handlebars' convention. */
  private locAt(offset: number) {
    let { line, column } = this;
    for (let i = this.at; i < offset; i++) {
      if (this.source.charCodeAt(i) === 10) {
        line++;
        column = 0;
      } else column++;
    }
    return { source: undefined, start: { line, column }, end: { line, column } };
  }

  private body(): hbs.AST.Statement[] {
    const top = this.stack[this.stack.length - 1];
    return (top ? (top.inverse ?? top.program) : this.root).body;
  }

  private exec(pattern: RegExp, open: number): RegExpExecArray | null {
    pattern.lastIndex = open;
    return pattern.exec(this.source);
  }

  /** Reads the arguments of a tag: `tag[2]`, found right after the name `tag[1]`. */
  private readArgs(tag: RegExpExecArray): Args | undefined {
    const args = tag[2] ?? '';
    const argsAt = tag.index + tag[0].indexOf(tag[1]!) + tag[1]!.length;
    const params: hbs.AST.Expression[] = [];
    const pairs: hbs.AST.HashPair[] = [];
    ARGUMENT.lastIndex = 0;
    for (let a = ARGUMENT.exec(args); a; a = ARGUMENT.exec(args)) {
      if (['null', 'undefined'].includes(a[2]!)) return undefined;
      const valueAt = argsAt + a.index + a[0].length - a[2]!.length;
      const argLoc = this.locAt(valueAt - (a[1] ? a[1].length + 1 : 0));
      if (a[1]) pairs.push({ type: 'HashPair', key: a[1], value: { ...literalOrPath(a[2]!), loc: this.locAt(valueAt) }, loc: argLoc } as unknown as hbs.AST.HashPair);
      else if (pairs.length) return undefined; // positional after named: let Handlebars report it
      else params.push({ ...literalOrPath(a[2]!), loc: argLoc } as unknown as hbs.AST.Expression);
    }
    return { params, hash: pairs.length ? ({ type: 'Hash', pairs } as unknown as hbs.AST.Hash) : undefined };
  }

  private blockOpen(open: number): boolean {
    const start = this.position();
    const m = this.exec(BLOCK_OPEN, open);
    const args = m && this.readArgs(m);
    if (!m || !args || m[1] === 'else' || m[1] === '*') return false;
    this.advanceTo(open + m[0].length);
    const node: Record<string, unknown> = { type: 'BlockStatement', path: pathExpression(m[1]!), ...args, openStrip: NO_STRIP, inverseStrip: NO_STRIP, closeStrip: NO_STRIP, loc: this.loc(start) };
    this.body().push(node as unknown as hbs.AST.Statement);
    this.stack.push({ name: m[1]!, node, program: newProgram() });
    return true;
  }

  private blockClose(open: number): boolean {
    const m = this.exec(BLOCK_CLOSE, open);
    const top = this.stack.pop();
    if (!m || !top || top.name !== m[1]) return false; // mismatched: Handlebars reports it
    this.advanceTo(open + m[0].length);
    (top.node.loc as { end: unknown }).end = this.position();
    top.node.program = top.program;
    top.node.inverse = top.inverse;
    return true;
  }

  private partial(open: number): boolean {
    const start = this.position();
    const m = this.exec(PARTIAL, open);
    const args = m && this.readArgs(m);
    if (!m || !args) return false;
    this.advanceTo(open + m[0].length);
    this.body().push({ type: 'PartialStatement', name: pathExpression(m[1]!), ...args, indent: '', strip: NO_STRIP, loc: this.loc(start) } as unknown as hbs.AST.Statement);
    return true;
  }

  private comment(open: number): boolean {
    const start = this.position();
    const m = this.exec(COMMENT, open);
    if (!m || /^~|~$/.test(m[1] ?? m[2] ?? '')) return false;
    this.advanceTo(open + m[0].length);
    this.body().push({ type: 'CommentStatement', value: m[1] ?? m[2] ?? '', strip: NO_STRIP, loc: this.loc(start) } as unknown as hbs.AST.Statement);
    return true;
  }

  /** `{{else}}`: true or false when it is one, undefined when the tag is something else. */
  private elseTag(open: number): boolean | undefined {
    const m = this.exec(BLOCK_ELSE, open);
    if (!m) return undefined;
    const top = this.stack[this.stack.length - 1];
    if (!top || top.inverse) return false;
    this.advanceTo(open + m[0].length);
    top.inverse = newProgram();
    return true;
  }

  private mustache(open: number): boolean {
    const start = this.position();
    const m = this.exec(SIMPLE_MUSTACHE, open);
    const args = m && this.readArgs(m);
    if (!m || !args || ['null', 'undefined', 'else'].includes(m[1]!)) return false;
    this.advanceTo(open + m[0].length);
    this.body().push({ type: 'MustacheStatement', path: pathExpression(m[1]!), ...args, escaped: true, strip: NO_STRIP, loc: this.loc(start) } as unknown as hbs.AST.Statement);
    return true;
  }
}

/** The template's AST, or undefined when it needs Handlebars' own parser. */
export function parseSimpleTemplate(source: string): hbs.AST.Program | undefined {
  if (source.includes('\\{{')) return undefined;
  const reader = new FastReader(source);
  if (!reader.read()) return undefined;
  new WhitespaceControl().accept(reader.root);
  return reader.root;
}
