/** YAML files with positions kept, so schema errors point at the offending key or value. */
import { isMap, isScalar, LineCounter, parse, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { issueFacts } from '../config/issues.js';

export interface YamlFile {
  file: string;
  text: string;
  /** The plain data. */
  data: unknown;
  /** The parsed document with positions: built on first use, since only diagnostics need it. */
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

function withPositions(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { doc, lines };
}

export function parseYamlFile(file: string, text: string, diagnostics: Diagnostic[]): YamlFile | undefined {
  // Fast path: plain parsing is several times cheaper than a document with positions, and most
  // files are fine. Positions are computed only when a diagnostic needs one.
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false, uniqueKeys: true });
  } catch {
    const { doc, lines } = withPositions(text);
    for (const err of doc.errors) {
      const pos = lines.linePos(errorOffset(text, err));
      diagnostics.push({
        code: 'ETL101',
        severity: 'error',
        message: `YAML syntax error: ${err.message.split('\n')[0]}`,
        file,
        line: pos.line,
        column: pos.col,
        frame: codeFrame(text, pos.line, pos.col),
        hint: 'Check indentation and quoting around this position.',
      });
    }
    return undefined;
  }
  let positioned: { doc: Document.Parsed; lines: LineCounter } | undefined;
  return {
    file,
    text,
    data,
    get doc() {
      return (positioned ??= withPositions(text)).doc;
    },
    get lines() {
      return (positioned ??= withPositions(text)).lines;
    },
  };
}

/**
 * Where a syntax error is shown: an unclosed quote at its opening quote (the parser reports it at
 * the end of the file, where the string it swallowed ends), anything else at most at the last
 * character of the file.
 */
function errorOffset(text: string, err: { code: string; message: string; pos: [number, number] }): number {
  const quote = err.code === 'MISSING_CHAR' ? /closing (['"])/.exec(err.message)?.[1] : undefined;
  if (quote) {
    let at = text.lastIndexOf(quote, err.pos[0] - 1);
    // Inside the unclosed string, a quote is escaped: '' in single quotes, \" in double quotes.
    while (at > 0 && (quote === "'" ? text[at - 1] === "'" : text[at - 1] === '\\')) at = text.lastIndexOf(quote, at - (quote === "'" ? 2 : 1) - 1);
    if (at >= 0) return at;
  }
  const last = text.trimEnd().length - 1;
  return Math.max(0, Math.min(err.pos[0], last));
}

/** Line and column of the node at `path` (or of its key, for unknown keys). */
export function positionOf(y: YamlFile, path: ReadonlyArray<PropertyKey>, key?: string): { line: number; column: number } {
  const segments = path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as Array<string | number>;
  let node: unknown = y.doc.getIn(segments, true) ?? y.doc.contents;
  // Walk up until a node with a range exists (a missing key points at its parent).
  for (let i = segments.length; (node === undefined || node === null) && i > 0; i--) {
    node = y.doc.getIn(segments.slice(0, i - 1), true);
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key) && pair.key.range) {
      const lp = y.lines.linePos(pair.key.range[0]);
      return { line: lp.line, column: lp.col };
    }
  }
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  const lp = y.lines.linePos(range?.[0] ?? 0);
  return { line: lp.line, column: lp.col };
}

/**
 * Turns zod issues into diagnostics positioned in the YAML file, with a "did you mean" from the
 * schema. `code` may depend on the path (a sidecar's `config:` problems are config errors).
 */
export function schemaDiagnostics(
  y: YamlFile,
  schema: z.ZodType,
  error: z.ZodError,
  code: string | ((path: ReadonlyArray<string | number>) => string),
  what: string,
): Diagnostic[] {
  return issueFacts(schema, y.data, error).map((fact) => {
    const key = fact.unknownKey;
    const pos = positionOf(y, fact.path, key);
    const where = [...fact.path, ...(key !== undefined ? [key] : [])].join('.');
    return {
      code: typeof code === 'string' ? code : code(fact.path),
      severity: 'error' as const,
      message:
        key !== undefined
          ? `Unknown key '${key}' in ${what}${fact.path.length ? ` at ${fact.path.join('.')}` : ''}`
          : `Invalid ${what} at '${where || '(root)'}': ${fact.message}`,
      file: y.file,
      line: pos.line,
      column: pos.column,
      frame: codeFrame(y.text, pos.line, pos.column),
      hint:
        fact.suggestion ||
        (key !== undefined
          ? `Remove '${key}' or check its spelling${y.file.endsWith('project.yaml') ? '; schemas/project.schema.json lists every allowed key' : ''}.`
          : 'See the configuration reference in README.md.'),
    };
  });
}
