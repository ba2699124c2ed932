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

/** The template's AST, or undefined when it needs Handlebars' own parser. */
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
  /** Where `offset` (at or after the current position) is, in Handlebars' convention. */
  const locAt = (offset: number) => {
    let l = line;
    let c = column;
    for (let i = at; i < offset; i++) {
      if (source.charCodeAt(i) === 10) {
        l++;
        c = 0;
      } else c++;
    }
    return { source: undefined, start: { line: l, column: c }, end: { line: l, column: c } };
  };
  /** Reads the arguments of a tag; `args` is `tag[2]`, found right after the name `tag[1]`. */
  const readArgs = (tag: RegExpExecArray): { params: hbs.AST.Expression[]; hash: hbs.AST.Hash | undefined } | undefined => {
    const args = tag[2] ?? '';
    const argsAt = tag.index + tag[0].indexOf(tag[1]!) + tag[1]!.length;
    const params: hbs.AST.Expression[] = [];
    const pairs: hbs.AST.HashPair[] = [];
    ARGUMENT.lastIndex = 0;
    for (let a = ARGUMENT.exec(args); a; a = ARGUMENT.exec(args)) {
      if (['null', 'undefined'].includes(a[2]!)) return undefined;
      const argLoc = locAt(argsAt + a.index + a[0].length - a[2]!.length - (a[1] ? a[1].length + 1 : 0));
      const valueLoc = locAt(argsAt + a.index + a[0].length - a[2]!.length);
      if (a[1]) pairs.push({ type: 'HashPair', key: a[1], value: { ...literalOrPath(a[2]!), loc: valueLoc }, loc: argLoc } as unknown as hbs.AST.HashPair);
      else if (pairs.length) return undefined; // positional after named: let Handlebars report it
      else params.push({ ...literalOrPath(a[2]!), loc: argLoc } as unknown as hbs.AST.Expression);
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
      const args = m && readArgs(m);
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
      const args = m && readArgs(m);
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
    const args = m && readArgs(m);
    if (!m || !args || ['null', 'undefined', 'else'].includes(m[1]!)) return undefined;
    advanceTo(open + m[0].length);
    body().push({ type: 'MustacheStatement', path: pathExpression(m[1]!), ...args, escaped: true, strip: NO_STRIP, loc: loc(start) } as unknown as hbs.AST.Statement);
  }
  if (stack.length) return undefined; // unclosed block: Handlebars reports it
  new WhitespaceControl().accept(root);
  return root;
}
