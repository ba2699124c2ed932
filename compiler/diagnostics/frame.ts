/**
 * Renders a code frame: the lines around `line`, numbered, with a caret under `column`. The one
 * place a user's text is printed back: long lines are cut to a window around the column (with `…`
 * where text was cut, the caret still under its character) and non-printable characters are
 * escaped (`\t` stays a tab's width of one escape, control bytes become `\xNN`), so a minified file
 * or binary garbage prints a few hundred characters, never the whole line.
 */

/** Characters of one line shown at most (before escaping). */
export const FRAME_WIDTH = 120;

// eslint-disable-next-line no-control-regex
const NON_PRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\ufffd\ufeff]/;

/** One character as printed in a frame: itself, or an escape for what a terminal would not show. */
function shown(ch: string): string {
  if (ch === '\t') return ' ';
  if (!NON_PRINTABLE.test(ch)) return ch;
  const code = ch.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Code point index of a 1-based UTF-16 column of `chars`. */
function indexOf(chars: string[], column: number): number {
  let index = 0;
  for (let units = 0; index < chars.length && units < column - 1; index++) units += chars[index]!.length;
  return index + Math.max(0, column - 1 - chars.join('').length);
}

/** First code point shown of a line `length` long, so that `index` is inside the window. */
function windowStart(length: number, index: number, width: number): number {
  return length <= width ? 0 : Math.max(0, Math.min(index - Math.floor(width / 2), length - width));
}

/** `text` with every non-printable character escaped (messages quoting the user's bytes). */
export function printableText(text: string): string {
  return Array.from(text, shown).join('');
}

/** The visible part of one line from code point `from`, and where `index` is in it (in printed characters). */
export function frameLine(text: string, from: number, index: number, width = FRAME_WIDTH): { text: string; caret: number } {
  const chars = Array.from(text);
  const start = Math.min(from, chars.length);
  const to = Math.min(chars.length, start + width);
  let out = start > 0 && chars.length > 0 ? '…' : '';
  let caret = -1;
  for (let i = start; i < to; i++) {
    if (i === index) caret = out.length;
    out += shown(chars[i]!);
  }
  if (caret < 0) caret = index < start ? 0 : out.length + (index - to);
  if (to < chars.length) out += '…';
  return { text: out, caret };
}

export function codeFrame(text: string, line: number, column: number, context = 2): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - context);
  const last = Math.min(lines.length, line + context);
  const width = String(Math.max(last, line)).length;
  const target = Array.from(lines[line - 1] ?? '');
  const index = indexOf(target, column);
  // One window for every line of the frame, so the context lines stay aligned with the caret line.
  const from = windowStart(target.length, index, FRAME_WIDTH);
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? '>' : ' ';
    const { text: visible, caret } = frameLine(lines[n - 1] ?? '', from, n === line ? index : -1);
    out.push(`${marker} ${String(n).padStart(width)} | ${visible}`);
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(caret)}^`);
  }
  return out.join('\n');
}
