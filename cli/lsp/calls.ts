/**
 * The `ref`/`source` call or the identifier at a position of a model's text: Handlebars
 * (`{{ ref 'x' }}`, `{{source "a" "b"}}`) and TypeScript (`ref('x')`, `source('a', 'b')`).
 */

export type CallAt =
  | { kind: 'ref'; name: string; start: number; end: number }
  | { kind: 'source'; source: string; table: string; start: number; end: number };

const q = `(['"\`])([^'"\`]*)\\`;
/** `{{ ref 'x' }}` / `ref('x')`; `{{ source 'a' 'b' }}` / `source('a', 'b')`. Group 2 (and 4) hold the names. */
const REF = new RegExp(`\\bref\\s*\\(?\\s*${q}1`, 'g');
const SOURCE = new RegExp(`\\bsource\\s*\\(?\\s*${q}1\\s*,?\\s*${q}3`, 'g');

/** The call whose text covers `column` (0-based) of `line`. */
export function callAt(line: string, column: number): CallAt | undefined {
  for (const m of line.matchAll(REF)) {
    const start = m.index;
    const end = start + m[0].length;
    if (column >= start && column <= end) return { kind: 'ref', name: m[2]!, start, end };
  }
  for (const m of line.matchAll(SOURCE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (column >= start && column <= end) return { kind: 'source', source: m[2]!, table: m[4]!, start, end };
  }
  return undefined;
}

/** Inside the quotes of an unfinished or complete `ref(` argument: the text typed so far. */
export function refArgumentAt(line: string, column: number): string | undefined {
  const before = line.slice(0, column);
  const m = /\bref\s*\(?\s*(['"`])([\w]*)$/.exec(before);
  return m ? m[2] : undefined;
}

/** The identifier (letters, digits, underscore) at `column`, with its start and end. */
export function wordAt(line: string, column: number): { word: string; start: number; end: number } | undefined {
  let start = column;
  let end = column;
  while (start > 0 && /\w/.test(line[start - 1]!)) start--;
  while (end < line.length && /\w/.test(line[end]!)) end++;
  return start === end ? undefined : { word: line.slice(start, end), start, end };
}
