/**
 * A run of consecutive records of one partition that land together: one Parquet file per ingest
 * date, named after the first offset of that date in the group, plus one quarantine file. Where a
 * group ends depends only on the records (count, bytes, event-time span) or on reaching the end of
 * the data, so after a crash the same group is rebuilt from the committed offset with the same
 * file names (or a superset of its records), overwriting rather than duplicating.
 */
import type { QuarantineRecord } from '../../bronze/bronze-table.js';

export interface GroupLimits {
  maxRecords: number;
  maxBytes: number;
  maxRecordTimeSpanSeconds: number;
}

export class FileGroup {
  readonly firstOffset: bigint;
  lastOffset: bigint;
  records = 0;
  bytes = 0;
  /** ingest date -> first offset of that date in the group, and its values column by column. */
  readonly dates = new Map<string, { firstOffset: bigint; rows: number; columns: unknown[][]; minEventMicros?: bigint; maxEventMicros?: bigint }>();
  readonly quarantine: QuarantineRecord[] = [];

  /** `columnNames`: the file's columns, in order; rows are stored as one array per column. */
  constructor(firstOffset: bigint, private readonly columnNames: string[]) {
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

  add(offset: bigint, bytes: number, eventMicros: bigint | undefined, landing: { date: string; row: Record<string, unknown> } | { quarantine: QuarantineRecord }): void {
    this.lastOffset = offset;
    this.records++;
    this.bytes += bytes;
    if ('quarantine' in landing) {
      this.quarantine.push(landing.quarantine);
      return;
    }
    let slot = this.dates.get(landing.date);
    if (!slot) this.dates.set(landing.date, (slot = { firstOffset: offset, rows: 0, columns: this.columnNames.map(() => []) }));
    const row = landing.row;
    for (let i = 0; i < this.columnNames.length; i++) slot.columns[i]!.push(row[this.columnNames[i]!] ?? null);
    slot.rows++;
    if (eventMicros !== undefined) {
      if (slot.minEventMicros === undefined || eventMicros < slot.minEventMicros) slot.minEventMicros = eventMicros;
      if (slot.maxEventMicros === undefined || eventMicros > slot.maxEventMicros) slot.maxEventMicros = eventMicros;
    }
  }

  isFull(limits: GroupLimits): boolean {
    return this.records >= limits.maxRecords || this.bytes >= limits.maxBytes;
  }
}

/** Offsets zero-padded so file names sort in offset order, as Confluent's S3 sink does. */
export function padOffset(offset: bigint): string {
  return offset.toString().padStart(20, '0');
}
