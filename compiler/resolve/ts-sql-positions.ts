/**
 * Maps a position in the SQL a TypeScript model's `sql()` returned back to the model file: finds
 * the template literal (after `sql`) whose lines, with each `${...}` standing for any text, produce
 * the rendered SQL line for line, then maps within the line segment by segment. A position inside
 * an interpolation maps to its `${`. When no literal matches (SQL assembled in pieces, multi-line
 * interpolations) the caller keeps pointing at `sql:`.
 */

type Position = { line: number; column: number };

interface LiteralLine {
  /** 1-based file line and column where this line of the literal starts. */
  line: number;
  column: number;
  /** Alternating static text and interpolations, with their columns in the file. */
  parts: Array<{ kind: 'static'; text: string; column: number } | { kind: 'expr'; column: number }>;
}

/** Every template literal of `text` from `from` on, as lines of parts; undefined where unreadable. */
function* templateLiterals(text: string, from: number): Generator<LiteralLine[]> {
  let at = text.indexOf('`', from);
  while (at >= 0) {
    const literal = readLiteral(text, at);
    if (!literal) return;
    yield literal.lines;
    at = text.indexOf('`', literal.end + 1);
  }
}

function readLiteral(text: string, open: number): { lines: LiteralLine[]; end: number } | undefined {
  const positionOf = (offset: number): Position => {
    const before = text.lastIndexOf('\n', offset - 1);
    let line = 1;
    for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    return { line, column: offset - before };
  };
  const start = positionOf(open + 1);
  const lines: LiteralLine[] = [{ line: start.line, column: start.column, parts: [] }];
  let current = lines[0]!;
  let column = start.column;
  let staticText = '';
  let staticColumn = column;
  const flushStatic = () => {
    if (staticText) current.parts.push({ kind: 'static', text: staticText, column: staticColumn });
    staticText = '';
  };
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '`') {
      flushStatic();
      return { lines, end: i };
    }
    if (ch === '\\') {
      if (!staticText) staticColumn = column;
      staticText += text[i + 1] ?? '';
      i++;
      column += 2;
      continue;
    }
    if (ch === '$' && text[i + 1] === '{') {
      flushStatic();
      current.parts.push({ kind: 'expr', column });
      // Skip the expression, counting braces; an expression spanning lines is not mapped.
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === '{') depth++;
        else if (text[j] === '}') depth--;
        else if (text[j] === '\n' || text[j] === '`') return undefined;
      }
      column += j - i;
      i = j - 1;
      staticColumn = column;
      continue;
    }
    if (ch === '\n') {
      flushStatic();
      current = { line: current.line + 1, column: 1, parts: [] };
      lines.push(current);
      column = 1;
      staticColumn = 1;
      continue;
    }
    if (!staticText) staticColumn = column;
    staticText += ch;
    column++;
  }
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regular expression of one literal line: static text verbatim, interpolations as `(.*?)`. */
function lineRegExp(line: LiteralLine, last: boolean): RegExp {
  const body = line.parts.map((p) => (p.kind === 'static' ? `(${escapeRegExp(p.text)})` : '(.*?)')).join('');
  // The renderer drops a trailing `;` from the last line.
  return new RegExp(`^${body}${last ? ';?\\s*' : ''}$`, 'd');
}

/** Builds the mapper for one rendered SQL text; undefined when no literal produced it. */
export function typeScriptSqlMapper(fileText: string, sqlOffset: number, rendered: string): ((line: number, column: number) => Position) | undefined {
  const renderedLines = rendered.split('\n');
  for (const literal of templateLiterals(fileText, sqlOffset)) {
    if (literal.length < renderedLines.length) continue;
    // The rendered text may be missing trailing whitespace-only lines of the literal.
    const matches: RegExpExecArray[] = [];
    let ok = true;
    for (let i = 0; i < renderedLines.length && ok; i++) {
      const m = lineRegExp(literal[i]!, i === renderedLines.length - 1).exec(renderedLines[i]!);
      if (m) matches.push(m);
      else ok = false;
    }
    if (!ok) continue;
    return (line, column) => {
      const literalLine = literal[line - 1];
      const match = matches[line - 1];
      if (!literalLine || !match) return { line: literal[0]!.line, column: literal[0]!.column };
      const offset = column - 1;
      for (let k = 0; k < literalLine.parts.length; k++) {
        const part = literalLine.parts[k]!;
        const [from, to] = match.indices![k + 1] ?? [0, 0];
        if (offset >= from && offset < to) {
          return { line: literalLine.line, column: part.kind === 'static' ? part.column + (offset - from) : part.column };
        }
      }
      // Past the end of the line (or an empty one): its end.
      const lastPart = literalLine.parts[literalLine.parts.length - 1];
      const end = lastPart?.kind === 'static' ? lastPart.column + lastPart.text.length : (lastPart?.column ?? literalLine.column);
      return { line: literalLine.line, column: end };
    };
  }
  return undefined;
}
