/**
 * A run of consecutive records of one partition that land together: one Parquet file per ingest
 * date, named after the first offset of that date in the group, plus one quarantine file. Where a
 * group ends depends only on the records (count, bytes, event-time span) or on reaching the end of
 * the data, so after a crash the same group is rebuilt from the committed offset with the same
 * file names (or a superset of its records), overwriting rather than duplicating.
 */
import type { QuarantineRecord } from '../../runtime/bronze/bronze-table.js';
import { ParquetFileBuilder } from '../../runtime/bronze/parquet-writer.js';
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import type { Compressors } from './snappy.js';

export interface GroupLimits {
  maxRecords: number;
  maxBytes: number;
  maxRecordTimeSpanSeconds: number;
}

interface DateSlot {
  firstOffset: bigint;
  rows: number;
  builder: ParquetFileBuilder;
  columns: unknown[][];
  minEventMicros?: bigint;
  maxEventMicros?: bigint;
}

export class FileGroup {
  readonly firstOffset: bigint;
  lastOffset: bigint;
  records = 0;
  bytes = 0;
  /**
   * ingest date -> first offset of that date in the group, its file (full row groups already
   * encoded) and the values of the row group being filled, column by column.
   */
  readonly dates = new Map<string, DateSlot>();
  readonly quarantine: QuarantineRecord[] = [];

  /** `file`: the Parquet columns (in order) and the settings every file of the group is written with. */
  constructor(
    firstOffset: bigint,
    private readonly file: { columns: ManifestColumn[]; statisticsColumns: string[]; rowGroupRows: number; compressors?: Compressors },
  ) {
    this.firstOffset = firstOffset;
    this.lastOffset = firstOffset - 1n;
  }

  /**
   * True when a record at this event time would stretch its date's file past the time span. Checked
   * per date: records of other dates go to other files anyway, so interleaved dates do not split groups.
   */
  wouldExceedSpan(date: string | undefined, eventMicros: bigint | undefined, limits: GroupLimits): boolean {
    if (date === undefined || eventMicros === undefined) return false;
    const slot = this.dates.get(date);
    if (!slot || slot.minEventMicros === undefined || slot.maxEventMicros === undefined) return false;
    const lo = eventMicros < slot.minEventMicros ? eventMicros : slot.minEventMicros;
    const hi = eventMicros > slot.maxEventMicros ? eventMicros : slot.maxEventMicros;
    return hi - lo > BigInt(limits.maxRecordTimeSpanSeconds) * 1_000_000n;
  }

  /** Adds a record that lands: `values` holds one value per file column, in order (copied here). */
  addRow(offset: bigint, bytes: number, eventMicros: bigint | undefined, date: string, values: readonly unknown[]): void {
    this.lastOffset = offset;
    this.records++;
    this.bytes += bytes;
    let slot = this.dates.get(date);
    if (!slot) {
      const { columns, statisticsColumns, compressors } = this.file;
      const builder = new ParquetFileBuilder(columns, { statisticsColumns, ...(compressors ? { compressors } : {}) });
      this.dates.set(date, (slot = { firstOffset: offset, rows: 0, builder, columns: this.file.columns.map(() => []) }));
    }
    const columns = slot.columns;
    for (let i = 0; i < columns.length; i++) columns[i]!.push(values[i] ?? null);
    slot.rows++;
    if (columns[0]!.length >= this.file.rowGroupRows) {
      slot.builder.writeRowGroup(columns);
      slot.columns = this.file.columns.map(() => []);
    }
    if (eventMicros !== undefined) {
      if (slot.minEventMicros === undefined || eventMicros < slot.minEventMicros) slot.minEventMicros = eventMicros;
      if (slot.maxEventMicros === undefined || eventMicros > slot.maxEventMicros) slot.maxEventMicros = eventMicros;
    }
  }

  /** Adds a record that goes to quarantine; it still belongs to the group's offsets. */
  addQuarantine(offset: bigint, bytes: number, record: QuarantineRecord): void {
    this.lastOffset = offset;
    this.records++;
    this.bytes += bytes;
    this.quarantine.push(record);
  }

  /** The Parquet bytes of one date's file, with the rows not yet in a row group. */
  finishFile(slot: DateSlot): Uint8Array {
    slot.builder.writeRowGroup(slot.columns);
    slot.columns = [];
    return slot.builder.finish();
  }

  isFull(limits: GroupLimits): boolean {
    return this.records >= limits.maxRecords || this.bytes >= limits.maxBytes;
  }
}

/** Offsets zero-padded so file names sort in offset order, as Confluent's S3 sink does. */
export function padOffset(offset: bigint): string {
  return offset.toString().padStart(20, '0');
}
