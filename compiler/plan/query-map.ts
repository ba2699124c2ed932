/**
 * Queries with their position maps: built from rendered templates, sliced and joined when ephemeral
 * models are inlined, and read back when Spark reports an error at a line of the statement it ran.
 */
import type { Query, Segment } from './operations.js';

interface RenderedLike {
  text: string;
  toTemplate(line: number, column: number): { line: number; column: number };
  segments?(): Array<{ at: number; line: number; column: number; verbatim: boolean }>;
}

/** The query of a rendered template or TypeScript model, mapped back to `file`. */
export function queryFromRendered(rendered: RenderedLike, file: string): Query {
  const { text } = rendered;
  if (rendered.segments) {
    const segments = rendered.segments().map<Segment>((s) => [s.at, 0, s.line, s.column, s.verbatim ? 1 : 0]);
    return { sql: text, files: [file], segments: segments.length ? segments : [[0, 0, 1, 1, 0]] };
  }
  // Only a line/column mapper is known (TypeScript models): one anchor per line.
  const segments: Segment[] = [];
  let at = 0;
  text.split('\n').forEach((line, i) => {
    const pos = rendered.toTemplate(i + 1, 1);
    segments.push([at, 0, pos.line, pos.column, 1]);
    at += line.length + 1;
  });
  return { sql: text, files: [file], segments };
}

/** Generated text with no place in any file (e.g. `WITH`), attributed to what follows it. */
export const generated = (sql: string): Query => ({ sql, files: [], segments: [] });

/** Positions of `q` from `start` to `end`, as a query of its own. */
export function sliceQuery(q: Query, start: number, end = q.sql.length): Query {
  const segments: Segment[] = [];
  const first = segmentAt(q, start);
  if (first) segments.push(shiftTo(q, first, start));
  for (const s of q.segments) if (s[0] > start && s[0] < end) segments.push([s[0] - start, s[1], s[2], s[3], s[4]]);
  return { sql: q.sql.slice(start, end), files: q.files, segments };
}

export function trimQuery(q: Query): Query {
  const start = q.sql.length - q.sql.trimStart().length;
  const end = q.sql.trimEnd().length;
  return start === 0 && end === q.sql.length ? q : sliceQuery(q, start, Math.max(start, end));
}

/** One query made of parts; generated parts map to the start of the next mapped part. */
export function joinQueries(parts: Query[]): Query {
  const files: string[] = [];
  const segments: Segment[] = [];
  let sql = '';
  let pendingGenerated: number[] = [];
  for (const part of parts) {
    if (part.segments.length === 0) {
      if (part.sql) pendingGenerated.push(sql.length);
      sql += part.sql;
      continue;
    }
    const fileIndex = part.files.map((f) => {
      let i = files.indexOf(f);
      if (i < 0) i = files.push(f) - 1;
      return i;
    });
    const firstPos = part.segments[0]!;
    for (const at of pendingGenerated) segments.push([at, fileIndex[firstPos[1]]!, firstPos[2], firstPos[3], 0]);
    pendingGenerated = [];
    for (const s of part.segments) segments.push([s[0] + sql.length, fileIndex[s[1]]!, s[2], s[3], s[4]]);
    sql += part.sql;
  }
  const last = segments[segments.length - 1];
  if (last) for (const at of pendingGenerated) segments.push([at, last[1], last[2], last[3], 0]);
  return { sql, files, segments };
}

export interface QueryOrigin {
  file: string;
  line: number;
  column: number;
}

/** The place in the user's files of a 1-based line and column of `q.sql`. */
export function originOf(q: Query, line: number, column: number): QueryOrigin | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = q.sql.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  offset = Math.min(q.sql.length, offset + Math.max(0, column - 1));
  const seg = segmentAt(q, offset);
  if (!seg) return undefined;
  const [, file, l, c] = shiftTo(q, seg, offset);
  const name = q.files[file];
  return name === undefined ? undefined : { file: name, line: l, column: c };
}

function segmentAt(q: Query, offset: number): Segment | undefined {
  let found: Segment | undefined;
  for (const s of q.segments) {
    if (s[0] <= offset) found = s;
    else break;
  }
  return found;
}

/** The segment's position moved forward to `offset`, through its verbatim text. */
function shiftTo(q: Query, s: Segment, offset: number): Segment {
  if (!s[4] || s[0] === offset) return [0, s[1], s[2], s[3], s[4]];
  let line = s[2];
  let column = s[3];
  for (let i = s[0]; i < offset; i++) {
    if (q.sql.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return [0, s[1], line, column, 1];
}
