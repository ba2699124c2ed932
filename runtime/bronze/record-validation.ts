/**
 * Checks one source record against the declared columns and encodes it for Parquet in the same
 * pass, so a record that passes is guaranteed to land and one that fails is quarantined with the
 * reason, never dropped and never written half-valid.
 */
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import type { SqlType } from '../../compiler/api/columns.js';
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import { encodeValue, ValueError } from './value-encoding.js';
import { typeOf } from './parquet-writer.js';

export interface RecordCheck {
  /** Declared column name -> encoded value. */
  row: Record<string, unknown>;
  problems: string[];
  /** Keys of the record that no declared column reads. */
  unknownKeys: string[];
}

export class RecordValidator {
  private readonly types: SqlType[];
  private readonly known: Set<string>;

  constructor(private readonly columns: JobColumn[]) {
    this.types = columns.map((c) => typeOf(c));
    this.known = new Set(columns.map((c) => c.sourceName));
  }

  check(record: Record<string, unknown>, options: { collectUnknown?: boolean } = {}): RecordCheck {
    const row: Record<string, unknown> = {};
    const problems: string[] = [];
    this.columns.forEach((c, i) => {
      const raw = record[c.sourceName];
      try {
        const value = encodeValue(this.types[i]!, raw);
        if (value === null && !c.nullable) problems.push(`${c.name}: missing or null, but declared NOT NULL`);
        row[c.name] = value;
      } catch (err) {
        if (!(err instanceof ValueError)) throw err;
        problems.push(`${c.name}${err.path} (${c.type}): ${err.message}`);
        row[c.name] = null;
      }
    });
    const unknownKeys = options.collectUnknown === false ? [] : Object.keys(record).filter((k) => !this.known.has(k));
    return { row, problems, unknownKeys };
  }
}

/** Encodes metadata column values (declared by the manifest) for a pre-encoded row. */
export function encodeMetadata(columns: ManifestColumn[], values: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const c of columns) into[c.name] = encodeValue(typeOf(c), values[c.name]);
}
