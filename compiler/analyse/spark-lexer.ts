/**
 * A small lexer of Spark SQL: enough to rewrite the few Spark forms the parser does not read
 * (see normalise.ts). Tokens keep their offsets in the text they were read from.
 */
export type TokenKind = 'ws' | 'comment' | 'string' | 'quoted' | 'word' | 'punct';

export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  text: string;
  /** For strings: the quote character. */
  quote?: string;
}

const WORD = /[A-Za-z0-9_$.]/;

/** Splits SQL into tokens; never throws (an unterminated string or comment runs to the end). */
export function lex(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, quote?: string) => out.push({ kind, start, end, text: sql.slice(start, end), ...(quote ? { quote } : {}) });
  while (i < sql.length) {
    const c = sql[i]!;
    const start = i;
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      push('ws', start, i);
    } else if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
      push('comment', start, i);
    } else if (c === "'" || c === '"') {
      i++;
      while (i < sql.length && sql[i] !== c) i += sql[i] === '\\' ? 2 : 1;
      i = Math.min(sql.length, i + 1);
      push('string', start, i, c);
    } else if (c === '`') {
      i++;
      while (i < sql.length && !(sql[i] === '`' && sql[i + 1] !== '`')) i += sql[i] === '`' ? 2 : 1;
      i = Math.min(sql.length, i + 1);
      push('quoted', start, i);
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      // Numbers such as 1.2D or 1e-3 are one word; a dot between names (t.a) is punctuation.
      if (/[0-9]/.test(c)) {
        while (i < sql.length && (WORD.test(sql[i]!) || (/[eE]/.test(sql[i - 1]!) && /[+-]/.test(sql[i]!)))) i++;
      } else {
        while (i < sql.length && /[A-Za-z0-9_$]/.test(sql[i]!)) i++;
      }
      push('word', start, i);
    } else {
      i++;
      push('punct', start, i);
    }
  }
  return out;
}

export const significant = (t: Token) => t.kind !== 'ws' && t.kind !== 'comment';

/** The body of a string token without its quotes, and whether it was closed. */
export function stringBody(t: Token): string {
  const closed = t.text.length > 1 && t.text.endsWith(t.quote!);
  return t.text.slice(1, closed ? -1 : undefined);
}
