/**
 * The CPU side of Kafka -> bronze, with no I/O: decodes each record's JSON value, checks it against
 * the declared columns, groups records into file groups (file-group.ts) and encodes every finished
 * group into Parquet bytes and a quarantine text. It runs on a worker thread (landing-worker.ts)
 * while the main thread fetches, writes and commits, so the two overlap.
 */
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import type { KafkaExtract } from './definition.js';
import { jsonSafe, partitionDir, type QuarantineRecord } from '../../runtime/bronze/bronze-table.js';
import { encodeMetadata, RecordValidator } from '../../runtime/bronze/record-validation.js';
import { describeThrown, IngestError } from '../../runtime/bronze/errors.js';
import { FileGroup, padOffset } from './file-group.js';
import { nativeSnappy } from './snappy.js';
import { asciiText, binaryRecord, decodeKafkaValue, encodeAsciiKafkaKey, encodeKafkaKey } from './landing-keys.js';

/** Records of one partition in consecutive offsets, packed for a cheap hand-over between threads. */
export interface RecordBatch {
  partition: number;
  offsets: BigInt64Array;
  /** Kafka timestamps, epoch milliseconds. */
  timestamps: Float64Array;
  /** Byte length of each value; -1 for a tombstone (no value). */
  valueLengths: Int32Array;
  values: Uint8Array;
  /** Byte length of each key; -1 for no key. */
  keyLengths: Int32Array;
  keys: Uint8Array;
}

/** A finished group, ready to be written: file bodies in the order they must land. */
export interface EncodedGroup {
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  batchId: string;
  files: Array<{ key: string; rows: number; ingestDate: string; body: Uint8Array }>;
  quarantine?: { key: string; records: number; body: string };
  /** Fields seen for the first time that no column declares (drift). */
  newUndeclaredFields: string[];
}

export interface LandingSettings {
  job: IngestionJobSpec;
  runId: string;
  /** ISO instant: the run's extracted-at value. */
  startedAt: string;
}

/**
 * Rows per Parquet row group. Each full row group is encoded as soon as it fills, while later
 * records are still arriving; smaller groups would cost compression and footer size.
 */
const ROW_GROUP_ROWS = 10_000;

/** Per-partition grouping state over the records of one run. */
export class RecordLanding {
  private readonly extract: KafkaExtract;
  private readonly validator: RecordValidator;
  private readonly fileSettings: ConstructorParameters<typeof FileGroup>[1];
  /**
   * One record's values, one per file column: declared columns first, then metadata. Run-wide
   * metadata is set once; per-record values are overwritten by every record.
   */
  private readonly values: unknown[];
  private readonly at: Record<'cursor' | 'partition' | 'offset' | 'kafkaTimestamp' | 'key' | 'eventTime', number>;
  private readonly open = new Map<number, FileGroup>();
  private readonly undeclaredSeen = new Set<string>();
  private newUndeclared: string[] = [];

  constructor(private readonly settings: LandingSettings) {
    const { job } = settings;
    this.extract = job.extract as KafkaExtract;
    this.validator = new RecordValidator(job.columns);
    const fileColumns = job.bronze.fileColumns;
    const metadataColumns = fileColumns.slice(job.columns.length);
    this.fileSettings = {
      columns: fileColumns,
      statisticsColumns: [this.extract.eventTimeColumn ?? '_kafka_timestamp', '_offset'],
      rowGroupRows: ROW_GROUP_ROWS,
      compressors: nativeSnappy(),
    };
    const constantValues: Record<string, unknown> = { _run_id: settings.runId, _extracted_at: new Date(settings.startedAt), _source: job.id, _is_deleted: false, _topic: this.extract.topic };
    const encoded: Record<string, unknown> = {};
    // Metadata this connector does not fill stays null.
    encodeMetadata(metadataColumns, constantValues, encoded);
    this.values = fileColumns.map((c) => encoded[c.name] ?? null);
    const index = (name: string | undefined) => (name === undefined ? -1 : fileColumns.findIndex((c) => c.name === name));
    this.at = {
      cursor: index('_cursor_value'),
      partition: index('_partition'),
      offset: index('_offset'),
      kafkaTimestamp: index('_kafka_timestamp'),
      key: index('_key'),
      eventTime: index(this.extract.eventTimeColumn),
    };
  }

  /** Adds consecutive records of one partition; returns the groups they completed, in order. */
  add(batch: RecordBatch): EncodedGroup[] {
    const done: EncodedGroup[] = [];
    const limits = this.extract.rotation;
    let valueAt = 0;
    let keyAt = 0;
    // Usually every byte of a batch is ASCII: one decode for the batch, then slices per record.
    const valuesText = asciiText(batch.values);
    const keysText = asciiText(batch.keys);
    for (let i = 0; i < batch.offsets.length; i++) {
      const valueLength = batch.valueLengths[i]!;
      const keyLength = batch.keyLengths[i]!;
      const value = valueLength < 0 ? undefined : batch.values.subarray(valueAt, valueAt + valueLength);
      const text = valueLength < 0 || valuesText === undefined ? undefined : valuesText.slice(valueAt, valueAt + valueLength);
      const keyBytes = keyLength < 0 ? undefined : batch.keys.subarray(keyAt, keyAt + keyLength);
      const key = keyBytes === undefined ? null : keysText === undefined ? encodeKafkaKey(keyBytes) : encodeAsciiKafkaKey(keysText.slice(keyAt, keyAt + keyLength), keyBytes);
      valueAt += Math.max(0, valueLength);
      keyAt += Math.max(0, keyLength);
      const offset = batch.offsets[i]!;
      const landed = this.landOrQuarantine(batch.partition, offset, batch.timestamps[i]!, key, value, text);
      const eventMicros = landed.quarantine ? undefined : this.eventMicros;
      let group = this.open.get(batch.partition);
      if (group && group.wouldExceedSpan(landed.date, eventMicros, limits)) {
        done.push(this.close(batch.partition, group));
        group = undefined;
      }
      if (!group) this.open.set(batch.partition, (group = new FileGroup(offset, this.fileSettings)));
      if (landed.quarantine) group.addQuarantine(offset, Math.max(0, valueLength), landed.quarantine);
      else group.addRow(offset, Math.max(0, valueLength), eventMicros, landed.date!, this.values);
      if (group.isFull(limits)) done.push(this.close(batch.partition, group));
    }
    return done;
  }

  /**
   * One record, landed (its ingest date) or quarantined. Nothing thrown while checking one record
   * escapes, except the drift policy `fail`, which is meant to stop the job.
   */
  private landOrQuarantine(partition: number, offset: bigint, timestampMs: number, key: string | null, value: Uint8Array | undefined, text: string | undefined): { quarantine?: QuarantineRecord; date?: string } {
    try {
      const quarantine = this.land(partition, offset, timestampMs, key, value, text);
      return quarantine ? { quarantine } : { date: microsToDate(this.eventMicros) };
    } catch (err) {
      if (err instanceof IngestError && err.details.code === 'INGEST_SCHEMA_DRIFT') throw err;
      const text = value === undefined ? null : decodeKafkaValue(value);
      const record = value === undefined ? null : text === undefined ? binaryRecord(value) : text;
      return { quarantine: quarantineRecord(this.extract.topic, partition, offset, timestampMs, key, `could not be checked: ${describeThrown(err)}`, record) };
    }
  }

  /** The partition reached its end for this run: closes what is open (nothing if empty). */
  end(partition: number): EncodedGroup | undefined {
    const group = this.open.get(partition);
    return group ? this.close(partition, group) : undefined;
  }

  /** Forgets the open group of a partition: its records will be delivered again from its first offset. */
  reset(partition: number): void {
    this.open.delete(partition);
  }

  private close(partition: number, group: FileGroup): EncodedGroup {
    this.open.delete(partition);
    const { job } = this.settings;
    const topic = this.extract.topic;
    const batchId = `${topic}+${partition}+${padOffset(group.firstOffset)}`;
    const files = [...group.dates]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, slot]) => ({
        key: `${partitionDir(job, date)}/${topic}+${partition}+${padOffset(slot.firstOffset)}.parquet`,
        rows: slot.rows,
        ingestDate: date,
        body: group.finishFile(slot),
      }));
    const quarantine = group.quarantine.length
      ? { key: `${job.bronze.quarantinePrefix}${batchId}.jsonl`, records: group.quarantine.length, body: group.quarantine.map((q) => JSON.stringify(q, jsonSafe)).join('\n') + '\n' }
      : undefined;
    const newUndeclaredFields = this.newUndeclared;
    this.newUndeclared = [];
    return { partition, firstOffset: group.firstOffset, lastOffset: group.lastOffset, batchId, files, ...(quarantine ? { quarantine } : {}), newUndeclaredFields };
  }

  /** Event time of the last record `land` accepted. */
  private eventMicros = 0n;

  /**
   * Decodes and checks one record. A record that lands leaves its values in `this.values` and its
   * event time in `this.eventMicros` and returns undefined; otherwise the quarantine entry.
   * `asciiText`: the value's text when the caller already has it (all bytes ASCII).
   */
  private land(partition: number, offset: bigint, timestampMs: number, key: string | null, bytes: Uint8Array | undefined, asciiText: string | undefined): QuarantineRecord | undefined {
    const { job } = this.settings;
    const topic = this.extract.topic;
    if (bytes === undefined) return quarantineRecord(topic, partition, offset, timestampMs, key, 'tombstone: the message has no value', null);
    const text = asciiText ?? decodeKafkaValue(bytes);
    // Kept as bytes: replacing invalid UTF-8 with U+FFFD would land a changed record.
    if (text === undefined) return quarantineRecord(topic, partition, offset, timestampMs, key, 'the value is not valid UTF-8', binaryRecord(bytes));
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return quarantineRecord(topic, partition, offset, timestampMs, key, `malformed JSON: ${(err as Error).message}`, text);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return quarantineRecord(topic, partition, offset, timestampMs, key, 'the value is not a JSON object', text);
    const record = value as Record<string, unknown>;
    const values = this.values;
    const problems = this.validator.encodeInto(record, values);
    const undeclared = this.validator.undeclaredKeys(record);
    for (const field of undeclared) {
      if (!this.undeclaredSeen.has(field)) {
        this.undeclaredSeen.add(field);
        this.newUndeclared.push(field);
      }
    }
    if (undeclared.length && job.drift === 'fail') {
      throw new IngestError(`${job.id}: message at ${topic}/${partition}@${offset} has undeclared fields ${undeclared.join(', ')}`, {
        code: 'INGEST_SCHEMA_DRIFT',
        hint: 'declare the new fields in the source, or set drift to evolve or quarantine',
      });
    }
    if (problems) {
      if (job.drift === 'fail') {
        throw new IngestError(`${job.id}: message at ${topic}/${partition}@${offset} does not match the declared schema: ${problems.join('; ')}`, {
          code: 'INGEST_SCHEMA_DRIFT',
          hint: 'fix the producer or the declaration, or set drift to quarantine',
        });
      }
      return quarantineRecord(topic, partition, offset, timestampMs, key, `schema: ${problems.join('; ')}`, record);
    }
    if (undeclared.length && job.drift === 'quarantine') return quarantineRecord(topic, partition, offset, timestampMs, key, `schema: undeclared fields ${undeclared.join(', ')}`, record);
    if (!Number.isSafeInteger(timestampMs)) return quarantineRecord(topic, partition, offset, timestampMs, key, `the message timestamp ${timestampMs} is not an epoch millisecond value`, record);
    const kafkaMicros = BigInt(timestampMs) * 1000n;
    const at = this.at;
    this.eventMicros = at.eventTime >= 0 ? ((values[at.eventTime] as bigint | null) ?? kafkaMicros) : kafkaMicros;
    if (at.cursor >= 0) values[at.cursor] = offset.toString();
    if (at.partition >= 0) values[at.partition] = partition;
    if (at.offset >= 0) values[at.offset] = offset;
    if (at.kafkaTimestamp >= 0) values[at.kafkaTimestamp] = kafkaMicros;
    if (at.key >= 0) values[at.key] = key;
    return undefined;
  }
}

/** Where a quarantined record came from and why; built only for the records that need it. */
function quarantineRecord(topic: string, partition: number, offset: bigint, timestampMs: number, key: string | null, reason: string, record: unknown): QuarantineRecord {
  return { reason, origin: { topic, partition, offset: offset.toString(), timestamp: String(timestampMs), key }, record };
}

const dayNames = new Map<number, string>();
/** UTC date of an instant; called per record, so day names are cached. */
function microsToDate(micros: bigint): string {
  const day = Math.floor(Number(micros / 1000n) / 86_400_000);
  let name = dayNames.get(day);
  if (name === undefined) dayNames.set(day, (name = new Date(day * 86_400_000).toISOString().slice(0, 10)));
  return name;
}
