/**
 * Where each key of a `defineSource({...})` object literal is in its file, so a schema problem
 * (`drift: 'quarantin'`, an unknown key) points at the key or value the user wrote. A small scanner
 * rather than a TypeScript parse: the compiler ships without `typescript`, and declarations are
 * object literals. Strings, comments and template literals are skipped; spreads and computed keys
 * simply have no position, and the nearest enclosing key is used instead.
 */

export interface Position {
  line: number;
  column: number;
}

interface KeyEntry {
  key: Position;
  /** First character of the value. */
  value: Position;
  /** The value when it is a plain string literal (used to tell declarations apart by `name`). */
  literal?: string;
}

/** The keys of one `defineSource(...)` call, by path (`tables.orders.drift`). */
export class DeclarationKeys {
  readonly entries = new Map<string, KeyEntry>();
  /** Keys written twice in one object literal (JavaScript keeps the last value): the path and both keys. */
  readonly duplicates: Array<{ path: string[]; first: Position; second: Position }> = [];
  constructor(readonly start: Position) {}

  get name(): string | undefined {
    return this.entries.get('name')?.literal;
  }

  /**
   * Position of the key (or its value) at `path`; for a path with no entry of its own (a missing
   * key, a spread) the nearest enclosing key that has one, else the call.
   */
  positionOf(path: ReadonlyArray<string | number>, at: 'key' | 'value' = 'key'): Position {
    for (let n = path.length; n > 0; n--) {
      const entry = this.entries.get(path.slice(0, n).join('.'));
      if (entry) return n === path.length && at === 'value' ? entry.value : entry.key;
    }
    return this.start;
  }
}

interface Frame {
  kind: '{' | '[' | '(';
  path: Array<string | number>;
  /** Object frames: the key whose value is being read; array frames: the element index. */
  key?: string | number;
  expectKey: boolean;
  keys?: DeclarationKeys;
}

const IDENT_START = /[A-Za-z_$]/;
const IDENT_PART = /[\w$]/;

/** Every `defineSource(...)` call (or `callee(...)`: `defineExposure`) of a file with the positions of its keys, in file order. */
export function declarationKeys(text: string, callee = 'defineSource'): DeclarationKeys[] {
  const out: DeclarationKeys[] = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const positionAt = (offset: number): Position => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const stack: Frame[] = [];
  let rootPending: DeclarationKeys | undefined;
  let i = 0;
  const skipSpace = (from: number) => {
    let at = from;
    for (;;) {
      while (at < text.length && /\s/.test(text[at]!)) at++;
      if (text.startsWith('//', at)) at = lineEnd(text, at);
      else if (text.startsWith('/*', at)) at = blockEnd(text, at);
      else return at;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (text.startsWith('//', i)) i = lineEnd(text, i);
    else if (text.startsWith('/*', i)) i = blockEnd(text, i);
    else if (ch === '`') i = templateEnd(text, i);
    else if (ch === '"' || ch === "'" || IDENT_START.test(ch)) {
      const token = ch === '"' || ch === "'" ? readString(text, i) : readIdentifier(text, i);
      const after = skipSpace(token.end);
      if (top?.kind === '{' && top.expectKey && text[after] === ':') {
        const valueAt = skipSpace(after + 1);
        const path = [...top.path, token.value];
        const value = text[valueAt] === '"' || text[valueAt] === "'" ? readString(text, valueAt) : undefined;
        const plain = value !== undefined && /^[,}]$/.test(text[skipSpace(value.end)] ?? '');
        const keys = keysOf(stack);
        const earlier = keys?.entries.get(path.join('.'));
        if (earlier) keys!.duplicates.push({ path: path.map(String), first: earlier.key, second: positionAt(i) });
        keys?.entries.set(path.join('.'), { key: positionAt(i), value: positionAt(valueAt), ...(plain ? { literal: value.value } : {}) });
        top.key = token.value;
        top.expectKey = false;
        i = after + 1;
        continue;
      }
      if (token.value === callee && text[after] === '(') rootPending = new DeclarationKeys(positionAt(i));
      i = token.end;
    } else if (ch === '{' || ch === '[' || ch === '(') {
      const path = top ? (top.key === undefined ? top.path : [...top.path, top.key]) : [];
      const frame: Frame = { kind: ch, path, expectKey: ch === '{', ...(ch === '[' ? { key: 0 } : {}) };
      if (ch === '{' && rootPending && top?.kind === '(' && !keysOf(stack)) {
        frame.path = [];
        frame.keys = rootPending;
        out.push(rootPending);
        rootPending = undefined;
      }
      stack.push(frame);
      i++;
    } else if (ch === '}' || ch === ']' || ch === ')') {
      stack.pop();
      i++;
    } else if (ch === ',' && top) {
      if (top.kind === '{') {
        top.expectKey = true;
        delete top.key;
      } else if (top.kind === '[') top.key = Number(top.key ?? 0) + 1;
      i++;
    } else i++;
  }
  return out;
}

function keysOf(stack: Frame[]): DeclarationKeys | undefined {
  for (let n = stack.length - 1; n >= 0; n--) if (stack[n]!.keys) return stack[n]!.keys;
  return undefined;
}

function lineEnd(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}

function blockEnd(text: string, from: number): number {
  const at = text.indexOf('*/', from + 2);
  return at < 0 ? text.length : at + 2;
}

/** Past the closing backtick; `${...}` parts are skipped by brace depth. */
function templateEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') i++;
    else if (depth === 0 && ch === '`') return i + 1;
    else if (ch === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (depth > 0 && ch === '{') depth++;
    else if (depth > 0 && ch === '}') depth--;
  }
  return text.length;
}

function readString(text: string, from: number): { value: string; end: number } {
  const quote = text[from]!;
  let value = '';
  for (let i = from + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      const escape = unescape(text, i);
      value += escape.value;
      i = escape.end - 1;
    } else if (ch === quote || ch === '\n') return { value, end: i + 1 };
    else value += ch;
  }
  return { value, end: text.length };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** One escape sequence at `from` (the backslash): its value and where it ends, so keys such as 'a\nb' match. */
function unescape(text: string, from: number): { value: string; end: number } {
  const ch = text[from + 1] ?? '';
  const hex = ch === 'x' ? /^[0-9a-fA-F]{2}/.exec(text.slice(from + 2)) : ch === 'u' ? /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]{1,6}\})/.exec(text.slice(from + 2)) : null;
  if (hex) return { value: String.fromCodePoint(parseInt(hex[0].replace(/[{}]/g, ''), 16)), end: from + 2 + hex[0].length };
  return { value: SIMPLE_ESCAPES[ch] ?? ch, end: from + 2 };
}

function readIdentifier(text: string, from: number): { value: string; end: number } {
  let i = from + 1;
  while (i < text.length && IDENT_PART.test(text[i]!)) i++;
  return { value: text.slice(from, i), end: i };
}
