/**
 * A seed's CSV parsed by csv-parse, each field with its 1-based line and column in the file, so a
 * bad value is reported where it is written (quoted and multi-line fields included).
 */
import { parse } from 'csv-parse/sync';

export interface CsvField {
  text: string;
  line: number;
  column: number;
}

export interface CsvRecord {
  /** Where the record starts. */
  line: number;
  fields: CsvField[];
}

export type CsvRead = { ok: true; records: CsvRecord[] } | { ok: false; message: string; line: number; column: number };

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** Start positions of each field in a record's raw text (which starts at `line`, column 1). */
function fieldStarts(raw: string, line: number, delimiter: string, count: number): Array<{ line: number; column: number }> {
  const out = [{ line, column: 1 }];
  let quoted = false;
  let l = line;
  let c = 1;
  for (let i = 0; i < raw.length && out.length < count; i++) {
    const ch = raw[i]!;
    if (ch === '"') quoted = !quoted;
    if (!quoted && raw.startsWith(delimiter, i)) {
      out.push({ line: l, column: c + delimiter.length });
      i += delimiter.length - 1;
      c += delimiter.length;
      continue;
    }
    if (ch === '\n') {
      l++;
      c = 1;
    } else c++;
  }
  return out;
}

export function readCsv(text: string, delimiter = ','): CsvRead {
  let parsed: ParsedRecord[];
  try {
    parsed = parse(text, { info: true, raw: true, relax_column_count: true, skip_empty_lines: true, delimiter, bom: true }) as unknown as ParsedRecord[];
  } catch (err) {
    const e = err as { message: string; lines?: number; column?: number };
    return { ok: false, message: e.message, line: Math.max(1, e.lines ?? 1), column: 1 };
  }
  const records = parsed.map((p) => {
    // The raw text starts with the empty lines skipped before the record; `lines` is where it ends.
    const body = p.raw.replace(/^(\r?\n)+/, '').replace(/\r?\n$/, '');
    const start = p.info.lines - (body.match(/\n/g)?.length ?? 0);
    const starts = fieldStarts(body, start, delimiter, p.record.length);
    return { line: start, fields: p.record.map((t, i) => ({ text: t, ...(starts[i] ?? starts[0]!) })) };
  });
  return { ok: true, records };
}
