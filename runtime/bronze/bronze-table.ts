/**
 * The commit protocol that makes bronze exactly-once for batch sources:
 *   1. before a data file is written, its key is recorded in the table state as in flight;
 *   2. data and quarantine files are written (each atomically);
 *   3. the batch manifest is written, last;
 *   4. only then the state advances (new cursor, nothing in flight).
 * On start, an in-flight batch whose manifest exists is rolled forward; otherwise its files are
 * deleted and the batch is extracted again from the unchanged cursor. Kafka uses steps 2-3 with
 * deterministic file names and commits offsets to the broker instead of step 4 (see kafka connector).
 */
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import type { ObjectStore } from './object-store.js';
import { encodeParquet } from './parquet-writer.js';

export interface LandedFile {
  key: string;
  rows: number;
  ingestDate: string;
}

export interface BatchManifest {
  manifestVersion: 1;
  jobId: string;
  runId: string;
  batchId: string;
  committedAt: string;
  files: LandedFile[];
  quarantine: Array<{ key: string; records: number }>;
  rows: number;
  quarantined: number;
  /** Where the next batch starts: cursor (batch sources) or next offset (Kafka). */
  position: string;
  /** Free-form details: window bounds, offsets, drift found. */
  details: Record<string, unknown>;
}

export interface TableState {
  stateVersion: 1;
  jobId: string;
  /** Batch sources: the next window starts here (inclusive). */
  cursor?: string;
  lastBatchId?: string;
  lastRunId?: string;
  committedAt?: string;
  inflight?: { batchId: string; files: string[] };
}

export interface QuarantineRecord {
  reason: string;
  /** Where the record came from: offset, cursor value, row number... */
  origin: Record<string, unknown>;
  record: unknown;
}

export class BronzeTable {
  constructor(
    readonly store: ObjectStore,
    readonly job: IngestionJobSpec,
  ) {}

  manifestKey(batchId: string): string {
    return `${this.job.bronze.manifestsPrefix}${batchId}.json`;
  }

  async readState(): Promise<TableState> {
    const body = await this.store.get(this.job.bronze.stateKey);
    if (!body) return { stateVersion: 1, jobId: this.job.id };
    return JSON.parse(body.toString('utf8')) as TableState;
  }

  async writeState(state: TableState): Promise<void> {
    await this.store.put(this.job.bronze.stateKey, JSON.stringify(state, null, 2));
  }

  /** Finishes or undoes a batch a crashed run left in flight; returns the state to continue from. */
  async recover(): Promise<{ state: TableState; recovered?: 'rolled-forward' | 'rolled-back'; batchId?: string }> {
    const state = await this.readState();
    const inflight = state.inflight;
    if (!inflight) return { state };
    const manifestBody = await this.store.get(this.manifestKey(inflight.batchId));
    if (manifestBody) {
      const manifest = JSON.parse(manifestBody.toString('utf8')) as BatchManifest;
      const next: TableState = {
        stateVersion: 1,
        jobId: this.job.id,
        cursor: manifest.position,
        lastBatchId: manifest.batchId,
        lastRunId: manifest.runId,
        committedAt: manifest.committedAt,
      };
      await this.writeState(next);
      return { state: next, recovered: 'rolled-forward', batchId: inflight.batchId };
    }
    for (const key of inflight.files) await this.store.delete(key);
    const { inflight: _dropped, ...rest } = state;
    void _dropped;
    await this.writeState(rest);
    return { state: rest, recovered: 'rolled-back', batchId: inflight.batchId };
  }

  /** Lists every committed manifest (for audits and tests). */
  async manifests(): Promise<BatchManifest[]> {
    const keys = await this.store.list(this.job.bronze.manifestsPrefix);
    const out: BatchManifest[] = [];
    for (const key of keys) {
      if (!key.endsWith('.json')) continue;
      const body = await this.store.get(key);
      if (body) out.push(JSON.parse(body.toString('utf8')) as BatchManifest);
    }
    return out;
  }
}

export function partitionDir(job: IngestionJobSpec, ingestDate: string): string {
  return `${job.bronze.partitionBy[0] ?? 'ingest_date'}=${ingestDate}`;
}

/**
 * One batch of a batch source (a cursor window). Rows are buffered per ingest date and written in
 * files of at most `rowsPerFile` rows, so memory stays bounded however large the window.
 */
export class BronzeBatch {
  private readonly buffers = new Map<string, Record<string, unknown>[]>();
  private readonly files: LandedFile[] = [];
  private readonly quarantine: Array<{ key: string; records: number }> = [];
  private readonly quarantineBuffer: QuarantineRecord[] = [];
  private readonly inflightKeys: string[] = [];
  private fileCount = 0;
  private rowCount = 0;

  constructor(
    private readonly table: BronzeTable,
    private readonly state: TableState,
    readonly batchId: string,
    readonly runId: string,
    private readonly rowsPerFile = 50_000,
  ) {}

  get rows(): number {
    return this.rowCount;
  }

  async add(ingestDate: string, row: Record<string, unknown>): Promise<void> {
    let buffer = this.buffers.get(ingestDate);
    if (!buffer) this.buffers.set(ingestDate, (buffer = []));
    buffer.push(row);
    this.rowCount++;
    if (buffer.length >= this.rowsPerFile) await this.flushDate(ingestDate);
  }

  addQuarantine(record: QuarantineRecord): void {
    this.quarantineBuffer.push(record);
  }

  private async recordIntent(key: string): Promise<void> {
    this.inflightKeys.push(key);
    await this.table.writeState({ ...this.state, inflight: { batchId: this.batchId, files: [...this.inflightKeys] } });
  }

  private async flushDate(ingestDate: string): Promise<void> {
    const rows = this.buffers.get(ingestDate);
    if (!rows?.length) return;
    this.buffers.delete(ingestDate);
    const key = `${partitionDir(this.table.job, ingestDate)}/${this.batchId}-${String(this.fileCount++).padStart(5, '0')}.parquet`;
    // Encode first: a bad value fails the batch before anything is recorded or written.
    const job = this.table.job;
    const bytes = encodeParquet(job.bronze.fileColumns, rows, { preEncoded: true, statisticsColumns: job.cursor ? [job.cursor.column] : [] });
    await this.recordIntent(key);
    await this.table.store.put(key, bytes);
    this.files.push({ key, rows: rows.length, ingestDate });
  }

  /** Writes what is buffered, then the manifest, then advances the cursor. */
  async commit(position: string, details: Record<string, unknown> = {}): Promise<BatchManifest> {
    for (const date of [...this.buffers.keys()].sort()) await this.flushDate(date);
    if (this.quarantineBuffer.length) {
      const key = `${this.table.job.bronze.quarantinePrefix}${this.batchId}.jsonl`;
      await this.recordIntent(key);
      await this.table.store.put(key, this.quarantineBuffer.map((r) => JSON.stringify(r, jsonSafe)).join('\n') + '\n');
      this.quarantine.push({ key, records: this.quarantineBuffer.length });
    }
    const manifest: BatchManifest = {
      manifestVersion: 1,
      jobId: this.table.job.id,
      runId: this.runId,
      batchId: this.batchId,
      committedAt: new Date().toISOString(),
      files: this.files,
      quarantine: this.quarantine,
      rows: this.files.reduce((n, f) => n + f.rows, 0),
      quarantined: this.quarantineBuffer.length,
      position,
      details,
    };
    if (this.inflightKeys.length === 0) {
      // Nothing landed: no manifest needed, just move the cursor.
      await this.table.writeState({ ...this.state, inflight: undefined, cursor: position, lastRunId: this.runId, committedAt: manifest.committedAt });
      return manifest;
    }
    await this.table.store.put(this.table.manifestKey(this.batchId), JSON.stringify(manifest, null, 2));
    await this.table.writeState({
      stateVersion: 1,
      jobId: this.table.job.id,
      cursor: position,
      lastBatchId: this.batchId,
      lastRunId: this.runId,
      committedAt: manifest.committedAt,
    });
    return manifest;
  }
}

/** JSON.stringify replacer that keeps bigints and dates readable. */
export function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}
