/**
 * Reading a template into Handlebars' AST: the fast reader for plain templates
 * (template-fast-parser.ts), else the public Handlebars parser (`@handlebars/parser`). Parse errors
 * become TemplateSyntaxError at the construct at fault: a mismatched `{{/close}}` at that tag, an
 * unclosed block at its `{{#open}}`, anything else where the parser stopped.
 */
import { parse } from '@handlebars/parser';
import { parseSimpleTemplate } from './template-fast-parser.js';

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

interface BlockTag {
  kind: 'open' | 'close';
  name: string;
  line: number;
  column: number;
}

/** 1-based line and column of `offset` in `source`. */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const TAG = /\{\{!--[\s\S]*?--\}\}|\{\{![\s\S]*?\}\}|\\\{\{|\{\{~?\s*([#^/])\s*\*?>?\s*([^\s}~()]+)/g;

/** The block tags of a template in order (`{{#x}}`, `{{^x}}`, `{{/x}}`), comments skipped. */
function blockTags(source: string): BlockTag[] {
  const out: BlockTag[] = [];
  for (const m of source.matchAll(TAG)) {
    if (!m[1] || !m[2]) continue;
    out.push({ kind: m[1] === '/' ? 'close' : 'open', name: m[2], ...positionAt(source, m.index) });
  }
  return out;
}

/** The first closing tag that does not close the innermost open block, or the innermost block never closed. */
function unbalancedTag(source: string): { tag: BlockTag; open?: BlockTag } | undefined {
  const stack: BlockTag[] = [];
  for (const tag of blockTags(source)) {
    if (tag.kind === 'open') stack.push(tag);
    else {
      const open = stack.pop();
      if (!open || open.name !== tag.name) return { tag, ...(open ? { open } : {}) };
    }
  }
  const open = stack.pop();
  return open ? { tag: open } : undefined;
}

interface ParserError {
  message: string;
  lineNumber?: number;
  column?: number;
  hash?: { token?: string; loc?: { last_line: number; last_column: number } };
}

const FOUND: Record<string, string> = { INVALID: 'an unexpected character', EOF: 'the end of the file', CLOSE: '}}', OPEN: '{{', OPEN_ENDBLOCK: '{{/', OPEN_BLOCK: '{{#' };

/** A Handlebars parse error as a TemplateSyntaxError at the construct at fault. */
export function syntaxError(err: ParserError, source: string): TemplateSyntaxError {
  const mismatch = /^(\S+) doesn't match (\S+)/.exec(err.message);
  const unbalanced = unbalancedTag(source);
  if (mismatch) {
    const at = unbalanced?.tag.kind === 'close' ? unbalanced.tag : { line: err.lineNumber ?? 1, column: (err.column ?? 0) + 1 };
    return new TemplateSyntaxError(`Template syntax error: {{/${mismatch[2]}}} closes {{#${mismatch[1]}}}, which needs {{/${mismatch[1]}}}`, at.line, at.column);
  }
  const token = err.hash?.token;
  if (token === 'EOF' && unbalanced?.tag.kind === 'open') {
    const { tag } = unbalanced;
    return new TemplateSyntaxError(`Template syntax error: {{#${tag.name}}} is never closed (no {{/${tag.name}}} before the end of the file)`, tag.line, tag.column);
  }
  const lines = source.split('\n');
  const line = Math.min(Math.max(1, err.hash?.loc?.last_line ?? err.lineNumber ?? 1), lines.length);
  const sourceLine = lines[line - 1] ?? '';
  const column = Math.min(Math.max(1, (err.hash?.loc?.last_column ?? 0) + 1), sourceLine.length + 1);
  const near = sourceLine.slice(Math.max(0, column - 12), column + 12).trim();
  const found = token ? (FOUND[token] ?? token.toLowerCase().replace(/_/g, ' ')) : 'something unexpected';
  return new TemplateSyntaxError(`Template syntax error: found ${found}${near ? ` near \`${near}\`` : ''}`, line, column);
}

/** Parses a template (throws TemplateSyntaxError). */
export function parseTemplate(source: string): hbs.AST.Program {
  const fast = parseSimpleTemplate(source);
  if (fast) return fast;
  try {
    return parse(source) as unknown as hbs.AST.Program;
  } catch (err) {
    throw syntaxError(err as ParserError, source);
  }
}
