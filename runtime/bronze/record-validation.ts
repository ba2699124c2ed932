/**
 * Checks one source record against the declared columns and encodes it for Parquet in the same
 * pass, so a record that passes is guaranteed to land and one that fails is quarantined with the
 * reason, never dropped and never written half-valid.
 */
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import { encoderFor, encodeValue, ValueError, type ValueEncoder } from './value-encoding.js';
import { typeOf } from './parquet-writer.js';

export interface RecordCheck {
  /** Declared column name -> encoded value. */
  row: Record<string, unknown>;
  problems: string[];
  /** Keys of the record that no declared column reads. */
  unknownKeys: string[];
}

export class RecordValidator {
  private readonly encoders: ValueEncoder[];
  private readonly known: Set<string>;

  constructor(private readonly columns: JobColumn[]) {
    this.encoders = columns.map((c) => encoderFor(typeOf(c)));
    this.known = new Set(columns.map((c) => c.sourceName));
  }

  check(record: Record<string, unknown>, options: { collectUnknown?: boolean } = {}): RecordCheck {
    const row: Record<string, unknown> = {};
    const problems: string[] = [];
    const { columns, encoders } = this;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      try {
        const value = encoders[i]!(record[c.sourceName]);
        if (value === null && !c.nullable) problems.push(`${c.name}: missing or null, but declared NOT NULL`);
        row[c.name] = value;
      } catch (err) {
        if (!(err instanceof ValueError)) throw err;
        problems.push(`${c.name}${err.path} (${c.type}): ${err.message}`);
        row[c.name] = null;
      }
    }
    const unknownKeys: string[] = [];
    if (options.collectUnknown !== false) {
      for (const key in record) if (!this.known.has(key)) unknownKeys.push(key);
    }
    return { row, problems, unknownKeys };
  }
}

/** Encodes metadata column values (declared by the manifest) for a pre-encoded row. */
export function encodeMetadata(columns: ManifestColumn[], values: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const c of columns) into[c.name] = encodeValue(typeOf(c), values[c.name]);
}
