/**
 * A folder of JSON-lines files -> bronze, through the same window loop, Parquet writer, state,
 * lock and quarantine as Snowflake and Salesforce. Every run reads the folder's files, orders the
 * records by cursor and lands the windows after the saved cursor, so lines appended since the last
 * run (with later cursors) land and earlier ones do not land again.
 *
 * A line that cannot be read as a record (not JSON, not an object, no usable cursor) has no
 * window: it is quarantined in its own batch, once. Which lines were quarantined is kept in those
 * batches' manifests, so a later run does not quarantine them again.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { BronzeBatch, BronzeTable } from '../../runtime/bronze/bronze-table.js';
import { IngestError } from '../../runtime/bronze/errors.js';
import { microsToIso, toMicros } from '../../runtime/ingest/cursor-time.js';
import type { JobContext, JobResult } from '../../runtime/ingest/job-context.js';
import { runWindowedJob, type WindowSource } from '../../runtime/ingest/window-loop.js';
import type { FilesExtract } from './definition.js';

interface FileRecord {
  record: Record<string, unknown>;
  file: string;
  line: number;
  /** Cursor in microseconds (0 when the table has no cursor). */
  at: bigint;
}

interface UnreadableLine {
  /** `file:line:hash`: the same line is recognised on every run. */
  key: string;
  file: string;
  line: number;
  reason: string;
  /** The line as text, or its exact bytes when they are not UTF-8. */
  text: string | { base64: string };
}

const UNREADABLE_BATCH = 'unreadable-';

export async function runFilesJob(ctx: JobContext): Promise<JobResult> {
  const extract = ctx.job.extract as FilesExtract; // the registry dispatched this job here by its system
  const folder = isAbsolute(extract.folder) ? extract.folder : resolve(ctx.projectDir ?? process.cwd(), extract.folder);
  const { records, unreadable } = await readFolder(folder, extract, ctx);
  const table = new BronzeTable(ctx.store, ctx.job);
  const recovered = await table.recover();
  const rejected = await quarantineUnreadable(table, unreadable, ctx);
  const result = await runWindowedJob(ctx, filesWindowSource(records, ctx.job.columns.map((c) => c.sourceName)), extract.windowSeconds);
  if (recovered.recovered) result.recovered = `${recovered.recovered} batch ${recovered.batchId}`;
  if (rejected) {
    result.quarantined += rejected;
    result.batches++;
    result.files++;
  }
  return result;
}

async function readFolder(folder: string, extract: FilesExtract, ctx: JobContext): Promise<{ records: FileRecord[]; unreadable: UnreadableLine[] }> {
  let names: string[];
  try {
    names = (await readdir(folder)).filter((n) => extract.extensions.some((e) => n.endsWith(e))).sort();
  } catch (err) {
    throw new IngestError(`${ctx.job.id}: cannot read the folder ${folder} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      code: 'INGEST_FILES_FOLDER',
      where: ctx.job.id,
      hint: 'check connection.directory and the table folder in the source declaration; a relative directory is taken from the project directory',
    });
  }
  const cursor = ctx.job.cursor;
  const records: FileRecord[] = [];
  const unreadable: UnreadableLine[] = [];
  for (const file of names) {
    const bytes = await readFile(join(folder, file));
    forEachLine(bytes, (lineBytes, line) => {
      const text = strictUtf8(lineBytes);
      const reject = (reason: string) =>
        unreadable.push({
          key: `${file}:${line}:${createHash('sha1').update(lineBytes).digest('hex').slice(0, 12)}`,
          file,
          line,
          reason,
          // Bytes that are not UTF-8 are kept exactly, as base64, never with U+FFFD in them.
          text: text ?? { base64: Buffer.from(lineBytes).toString('base64') },
        });
      if (text === undefined) return reject('not valid UTF-8');
      if (!text.trim()) return;
      const record = readRecord(text, cursor);
      if (typeof record === 'string') return reject(record);
      records.push({ ...record, file, line });
    });
  }
  records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return { records, unreadable };
}

/** Calls `each` with every line's bytes (without its '\n') and its 1-based number. */
function forEachLine(bytes: Uint8Array, each: (line: Uint8Array, number: number) => void): void {
  let start = 0;
  for (let number = 1; start <= bytes.length; number++) {
    const end = bytes.indexOf(0x0a, start);
    const stop = end < 0 ? bytes.length : end;
    if (stop > start) each(bytes.subarray(start, stop), number);
    start = stop + 1;
  }
}

/** Invalid bytes are an error, not U+FFFD; a BOM stays (JSON.parse then refuses the line, as before). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** One line's record and cursor, or why it cannot be read. */
function readRecord(text: string, cursor: JobContext['job']['cursor']): Omit<FileRecord, 'file' | 'line'> | string {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return 'not a JSON object';
  const fields = record as Record<string, unknown>;
  let at = 0n;
  if (cursor) {
    try {
      at = toMicros(fields[cursor.sourceName]);
    } catch {
      return `cursor ${cursor.sourceName} is missing or not a ${cursor.type}`;
    }
  }
  return { record: fields, at };
}

/** Quarantines lines no earlier run quarantined, in one committed batch; returns how many. */
async function quarantineUnreadable(table: BronzeTable, lines: UnreadableLine[], ctx: JobContext): Promise<number> {
  if (lines.length === 0) return 0;
  const done = new Set<string>();
  for (const manifest of await table.manifests()) {
    if (!manifest.batchId.startsWith(UNREADABLE_BATCH)) continue;
    for (const key of (manifest.details.lines as string[] | undefined) ?? []) done.add(key);
  }
  const fresh = lines.filter((l) => !done.has(l.key));
  if (fresh.length === 0) return 0;
  const keys = fresh.map((l) => l.key);
  const state = await table.readState();
  const batchId = `${UNREADABLE_BATCH}${createHash('sha1').update(keys.join('\n')).digest('hex').slice(0, 16)}`;
  const batch = new BronzeBatch(table, state, batchId, ctx.runId);
  for (const l of fresh) batch.addQuarantine({ reason: `unreadable line: ${l.reason}`, origin: { file: l.file, line: l.line }, record: l.text });
  // The cursor does not move: these lines belong to no window.
  await batch.commit(state.cursor ?? '', { lines: keys });
  ctx.progress({ jobId: ctx.job.id, phase: 'warning', message: `${fresh.length} unreadable line(s) quarantined`, quarantined: fresh.length });
  return fresh.length;
}

function filesWindowSource(records: FileRecord[], declared: string[]): WindowSource {
  const origin = new WeakMap<Record<string, unknown>, FileRecord>();
  for (const r of records) origin.set(r.record, r);
  const inWindow = (startIso: string, endIso: string) => {
    const start = toMicros(startIso);
    const end = toMicros(endIso);
    return records.filter((r) => r.at >= start && r.at < end);
  };
  return {
    caseInsensitiveNames: false,
    // JSON has no column types to compare, and a null value is often left out of a line: a key no
    // column declares is the only drift there is.
    async observedColumns() {
      const keys = new Set<string>(declared);
      for (const r of records) for (const key of Object.keys(r.record)) keys.add(key);
      return [...keys].map((name) => ({ name, type: 'json', family: 'any' as const }));
    },
    async nextCursor(startIso, endIso) {
      const first = inWindow(startIso, endIso)[0];
      return first ? microsToIso(first.at) : undefined;
    },
    async *rows(startIso, endIso) {
      for (const r of inWindow(startIso, endIso)) yield r.record;
    },
    async *allRows() {
      for (const r of records) yield r.record;
    },
    metadata(record) {
      const r = origin.get(record);
      return r ? { _file: r.file, _line: BigInt(r.line) } : {};
    },
    close: async () => {},
  };
}
