/**
 * Maps a position in the SQL a TypeScript model's `sql()` returned back to the model file: finds
 * the template literal (after `sql`) that, with each `${...}` standing for any text (newlines
 * included: a column list built with `.join(',\n  ')`), produces the rendered SQL, then maps the
 * position part by part. A position in static text maps to its character in the file. A position
 * inside an interpolated value maps to the name there when the file spells that name exactly once
 * as a string literal (`'custmer_id'` in a column array), else to the interpolation's `${`. When no
 * literal matches (SQL assembled in pieces) the caller keeps pointing at `sql:`.
 */

type Position = { line: number; column: number };

type LiteralPart = { kind: 'static'; text: string; offsets: number[] } | { kind: 'expr'; offset: number };

/** Every template literal of `text` from `from` on, as parts; stops at one it cannot read. */
function* templateLiterals(text: string, from: number): Generator<LiteralPart[]> {
  let at = text.indexOf('`', from);
  while (at >= 0) {
    const literal = readLiteral(text, at);
    if (!literal) return;
    yield literal.parts;
    at = text.indexOf('`', literal.end + 1);
  }
}

/**
 * The literal opened at `open`: static text (escapes decoded) with the file offset of each of its
 * characters, and interpolations with the offset of their `${`.
 */
function readLiteral(text: string, open: number): { parts: LiteralPart[]; end: number } | undefined {
  const parts: LiteralPart[] = [];
  let current: { kind: 'static'; text: string; offsets: number[] } | undefined;
  const push = (ch: string, offset: number) => {
    if (!current) parts.push((current = { kind: 'static', text: '', offsets: [] }));
    current.text += ch;
    current.offsets.push(offset);
  };
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '`') return { parts, end: i };
    if (ch === '\\') {
      const next = text[i + 1] ?? '';
      const decoded = Object.hasOwn(ESCAPES, next) ? ESCAPES[next]! : next;
      if (decoded) push(decoded, i);
      i++;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      current = undefined;
      parts.push({ kind: 'expr', offset: i });
      // Skip the expression, counting braces; one holding a nested template literal is not mapped.
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        else if (text[j] === '`') return undefined;
      }
      i = j - 1;
      continue;
    }
    push(ch, i);
  }
  return undefined;
}

/** Escapes as the literal's value has them; a backslash before a line break continues the line. */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\n': '' };

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The regular expression of a whole literal: static text verbatim, interpolations as any text. The
 * renderer drops a trailing `;` (and what follows it) from the SQL, so the literal's may be absent.
 */
function literalRegExp(parts: LiteralPart[]): RegExp {
  const last = parts.length - 1;
  const body = parts.map((p, k) => {
    if (p.kind === 'expr') return '([\\s\\S]*?)';
    const tail = k === last ? /;\s*$/.exec(p.text) : null;
    return tail ? `(${escapeRegExp(p.text.slice(0, tail.index))})(?:${escapeRegExp(tail[0])})?` : `(${escapeRegExp(p.text)})`;
  });
  return new RegExp(`^${body.join('')}$`, 'd');
}

/** 1-based line and column of a file offset. */
function positionAt(text: string, offset: number): Position {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - text.lastIndexOf('\n', offset - 1) };
}

/**
 * Inside an interpolated value: the name at `offset` of the rendered SQL, located where the file
 * spells it as a string literal, when it does so exactly once.
 */
function quotedName(fileText: string, rendered: string, offset: number): number | undefined {
  const word = /[A-Za-z_][\w$]*/y;
  let start = offset;
  while (start > 0 && /[\w$]/.test(rendered[start - 1]!)) start--;
  word.lastIndex = start;
  const name = word.exec(rendered)?.[0];
  if (!name) return undefined;
  const quoted = new RegExp(`(['"\`])${escapeRegExp(name)}\\1`, 'g');
  const found = [...fileText.matchAll(quoted)];
  return found.length === 1 ? found[0]!.index + 1 : undefined;
}

/** Builds the mapper for one rendered SQL text; undefined when no literal produced it. */
export function typeScriptSqlMapper(fileText: string, sqlOffset: number, rendered: string): ((line: number, column: number) => Position) | undefined {
  for (const parts of templateLiterals(fileText, sqlOffset)) {
    if (parts.length === 0) continue;
    const match = literalRegExp(parts).exec(rendered);
    if (!match) continue;
    const lineStarts = [0];
    for (let i = rendered.indexOf('\n'); i >= 0; i = rendered.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const fileOffset = (offset: number): number => {
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k]!;
        const [from, to] = match.indices![k + 1] ?? [0, 0];
        if (offset < from || offset >= to) continue;
        return part.kind === 'static' ? part.offsets[offset - from]! : (quotedName(fileText, rendered, offset) ?? part.offset);
      }
      // Past the end: the end of the last part.
      const last = parts[parts.length - 1]!;
      return last.kind === 'static' ? last.offsets[last.offsets.length - 1]! + 1 : last.offset;
    };
    return (line, column) => positionAt(fileText, fileOffset((lineStarts[line - 1] ?? rendered.length) + column - 1));
  }
  return undefined;
}
