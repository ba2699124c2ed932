/**
 * The shared loop of batch sources (Snowflake, Salesforce): recover any crashed batch, then walk
 * cursor windows `[start, end)` from the saved cursor up to the run's start time, skipping empty
 * stretches, landing each window as one committed batch. Drift is checked once before the first
 * window and handled by the table's policy.
 */
import { BronzeBatch, BronzeTable } from '../bronze/bronze-table.js';
import { encodeMetadata, RecordValidator } from '../bronze/record-validation.js';
import { IngestError } from '../bronze/errors.js';
import type { DriftFinding, JobContext, JobResult } from './job-context.js';
import { describeDrift, detectDrift, type ObservedColumn } from './drift.js';
import { microsToDate, microsToIso, toMicros, windowBatchId } from './cursor-time.js';
import { timedWindowSource, type SourceLatency } from './source-latency.js';

/** The source refused more work (API quota): stop cleanly, keep the last committed cursor. */
export class SourceLimitReached extends Error {}

export interface WindowSource {
  /** Columns the source has now, for drift detection. */
  observedColumns(): Promise<ObservedColumn[]>;
  /** Smallest cursor value in [start, end), if any. */
  nextCursor(startIso: string, endIso: string): Promise<unknown>;
  /** Rows (keyed by source field names) with cursor in [start, end), in cursor order. */
  rows(startIso: string, endIso: string, fields: string[]): AsyncIterable<Record<string, unknown>>;
  /** Every row, for tables without a cursor. */
  allRows(fields: string[]): AsyncIterable<Record<string, unknown>>;
  caseInsensitiveNames: boolean;
  /** Source field holding a deleted flag (`_is_deleted`), if the source has one. */
  deletedField?: string;
  /** Values of the system's own metadata columns for a record (e.g. the file and line it came from). */
  metadata?(record: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export async function runWindowedJob(ctx: JobContext, untimed: WindowSource, windowSeconds: number, rowsPerFile = Number(ctx.env.ETL_BRONZE_ROWS_PER_FILE ?? 50_000)): Promise<JobResult> {
  const started = Date.now();
  const latency: SourceLatency = { calls: 0, totalMs: 0 };
  const source = timedWindowSource(untimed, latency);
  const { job } = ctx;
  const table = new BronzeTable(ctx.store, job);
  const result: JobResult = { jobId: job.id, status: 'success', rows: 0, quarantined: 0, batches: 0, files: 0, position: undefined, drift: [], warnings: [], seconds: 0 };
  const recovered = await table.recover();
  let state = recovered.state;
  if (recovered.recovered) {
    result.recovered = `${recovered.recovered} batch ${recovered.batchId}`;
    ctx.progress({ jobId: job.id, phase: 'recovered', message: result.recovered });
  }

  const drift = detectDrift(job.columns, await source.observedColumns(), source.caseInsensitiveNames);
  result.drift = drift;
  if (drift.length) {
    const text = describeDrift(drift);
    if (job.drift === 'fail') {
      throw new IngestError(`${job.id}: the source schema no longer matches the declaration: ${text}`, {
        code: 'INGEST_SCHEMA_DRIFT',
        where: job.id,
        hint: "update the column declarations in the source file, or set drift: 'evolve' or 'quarantine'",
      });
    }
    result.warnings.push(`schema drift (${job.drift}): ${text}`);
    ctx.progress({ jobId: job.id, phase: 'warning', message: `schema drift (${job.drift}): ${text}` });
  }
  const removed = new Set(drift.filter((d) => d.kind === 'removed').map((d) => d.column));
  const quarantineAll = job.drift === 'quarantine' && drift.length > 0;
  // Removed columns cannot be selected; they land as null (evolve) or the rows go to quarantine.
  const fields = job.columns.filter((c) => !removed.has(c.name)).map((c) => c.sourceName);
  const added = drift.filter((d) => d.kind === 'added').map((d) => d.column);
  const extraction = quarantineAll ? [...fields, ...added] : fields;
  const validator = new RecordValidator(job.columns);
  const metadataColumns = job.bronze.fileColumns.slice(job.columns.length);
  const cursor = job.cursor;
  const deletedField = source.deletedField;

  const land = async (batch: BronzeBatch, record: Record<string, unknown>, fallbackDate: string, position: Record<string, unknown>) => {
    if (quarantineAll) {
      batch.addQuarantine({ reason: `schema drift: ${describeDrift(drift)}`, origin: position, record });
      return;
    }
    const check = validator.check(record, { collectUnknown: false });
    if (check.problems.length) {
      if (job.drift === 'fail') {
        throw new IngestError(`${job.id}: a row does not match the declared schema: ${check.problems.join('; ')}`, { code: 'INGEST_BAD_ROW', where: JSON.stringify(position) });
      }
      batch.addQuarantine({ reason: `schema: ${check.problems.join('; ')}`, origin: position, record });
      return;
    }
    const cursorValue = cursor ? check.row[cursor.column] : undefined;
    const date = typeof cursorValue === 'bigint' ? microsToDate(cursorValue) : typeof cursorValue === 'number' ? new Date(cursorValue * 86_400_000).toISOString().slice(0, 10) : fallbackDate;
    encodeMetadata(
      metadataColumns,
      {
        _run_id: ctx.runId,
        _extracted_at: ctx.startedAt,
        _source: job.id,
        _cursor_value: typeof cursorValue === 'bigint' ? microsToIso(cursorValue) : cursorValue === undefined || cursorValue === null ? null : String(record[cursor!.sourceName]),
        _is_deleted: deletedField ? record[deletedField] === true || record[deletedField] === 'true' : false,
        ...source.metadata?.(record),
      },
      check.row,
    );
    await batch.add(date, check.row);
  };

  const commitBatch = async (batch: BronzeBatch, position: string, details: Record<string, unknown>) => {
    const manifest = await batch.commit(position, details);
    result.rows += manifest.rows;
    result.quarantined += manifest.quarantined;
    result.batches++;
    result.files += manifest.files.length + manifest.quarantine.length;
    ctx.progress({ jobId: job.id, phase: 'batch', message: String(details.window ?? 'full extract'), rows: manifest.rows, quarantined: manifest.quarantined });
    state = await table.readState();
  };

  try {
    const runDate = microsToDate(toMicros(ctx.startedAt));
    if (!cursor) {
      // No cursor: the whole table each run, one batch named after the run.
      const batch = new BronzeBatch(table, state, `full-${ctx.runId}`, ctx.runId, rowsPerFile);
      let n = 0;
      for await (const record of source.allRows(extraction)) await land(batch, record, runDate, { row: n++ });
      await commitBatch(batch, microsToIso(toMicros(ctx.startedAt)), { mode: 'full' });
    } else {
      if (cursor.type !== 'timestamp' && cursor.type !== 'date') {
        throw new IngestError(`${job.id}: cursor ${cursor.column} is ${cursor.type}; only timestamp and date cursors are supported`, { code: 'INGEST_CONFIG' });
      }
      const upper = toMicros(ctx.startedAt);
      const upperIso = microsToIso(upper);
      let start = state.cursor ? toMicros(state.cursor) : undefined;
      for (;;) {
        if (ctx.signal?.aborted) throw new IngestError('interrupted: the cursor stays at the last committed window', { code: 'INGEST_INTERRUPTED' });
        const next = await source.nextCursor(microsToIso(start ?? 0n), upperIso);
        if (next === null || next === undefined || next === '') break;
        const windowStart = start === undefined ? toMicros(next) : maxBig(start, toMicros(next));
        if (windowStart >= upper) break;
        const end = minBig(windowStart + BigInt(Math.round(windowSeconds * 1e6)), upper);
        const startIso = microsToIso(windowStart);
        const endIso = microsToIso(end);
        const batch = new BronzeBatch(table, state, windowBatchId(windowStart), ctx.runId, rowsPerFile);
        let n = 0;
        for await (const record of source.rows(startIso, endIso, extraction)) {
          await land(batch, record, runDate, { window: [startIso, endIso], row: n++, cursor: record[cursor.sourceName] ?? null });
        }
        await commitBatch(batch, endIso, { window: `${startIso} .. ${endIso}` });
        start = end;
      }
    }
  } catch (err) {
    if (!(err instanceof SourceLimitReached)) throw err;
    result.status = 'partial';
    result.error = { code: 'INGEST_SOURCE_LIMIT', message: err.message, hint: 'the cursor stays at the last committed window; the next run continues from there' };
    ctx.progress({ jobId: job.id, phase: 'warning', message: `stopped: ${err.message}` });
  } finally {
    await source.close();
  }
  result.position = state.cursor ?? null;
  result.seconds = (Date.now() - started) / 1000;
  result.sourceLatency = latency;
  ctx.progress({ jobId: job.id, phase: 'done', message: `${result.rows} rows, ${result.quarantined} quarantined`, rows: result.rows, quarantined: result.quarantined });
  return result;
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);
export type { DriftFinding };
