/**
 * Checks one source record against the declared columns and encodes it for Parquet in the same
 * pass, so a record that passes is guaranteed to land and one that fails is quarantined with the
 * reason, never dropped and never written half-valid. Nothing thrown while checking one record
 * escapes: any exception (a ValueError or a bug) becomes that record's problem, so one poison
 * record cannot stop a table's ingestion.
 */
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import { encoderFor, encodeValue, ValueError, type ValueEncoder } from './value-encoding.js';
import { describeThrown } from './errors.js';
import { typeOf } from './parquet-writer.js';

export interface RecordCheck {
  /** Declared column name -> encoded value. */
  row: Record<string, unknown>;
  problems: string[];
  /** Keys of the record that no declared column reads. */
  unknownKeys: readonly string[];
}

export class RecordValidator {
  private readonly encoders: ValueEncoder[];
  private readonly known: Set<string>;

  constructor(private readonly columns: JobColumn[]) {
    this.encoders = columns.map((c) => encoderFor(typeOf(c)));
    this.known = new Set(columns.map((c) => c.sourceName));
  }

  check(record: Record<string, unknown>, options: { collectUnknown?: boolean } = {}): RecordCheck {
    const values = new Array<unknown>(this.columns.length);
    const problems = this.encodeInto(record, values) ?? [];
    const row: Record<string, unknown> = {};
    this.columns.forEach((c, i) => (row[c.name] = values[i]));
    let unknownKeys: readonly string[] = NONE;
    if (options.collectUnknown !== false) {
      try {
        unknownKeys = this.undeclaredKeys(record);
      } catch (err) {
        problems.push(`record: ${describeThrown(err)}`);
      }
    }
    return { row, problems, unknownKeys };
  }

  /**
   * Encodes the record's declared columns into `out[0..columns)`, in declaration order; returns
   * the problems, or undefined when the record is valid. Writers that keep columns call this per
   * record, with no row object in between.
   */
  encodeInto(record: Record<string, unknown>, out: unknown[]): string[] | undefined {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      out.fill(null, 0, this.columns.length);
      return [`record: expected an object, got ${record === null ? 'null' : Array.isArray(record) ? 'an array' : typeof record}`];
    }
    let problems: string[] | undefined;
    const { columns, encoders } = this;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      try {
        // Own keys only: a column named `constructor` must not read Object.prototype's.
        const value = encoders[i]!(Object.hasOwn(record, c.sourceName) ? record[c.sourceName] : undefined);
        if (value === null && !c.nullable) (problems ??= []).push(`${c.name}: missing or null, but declared NOT NULL`);
        out[i] = value;
      } catch (err) {
        const reason = err instanceof ValueError ? `${c.name}${err.path} (${c.type}): ${err.message}` : `${c.name} (${c.type}): could not be checked (${describeThrown(err)})`;
        (problems ??= []).push(reason);
        out[i] = null;
      }
    }
    return problems;
  }

  /** Keys of the record that no declared column reads (schema drift). */
  undeclaredKeys(record: Record<string, unknown>): readonly string[] {
    let keys: string[] | undefined;
    for (const key in record) if (!this.known.has(key)) (keys ??= []).push(key);
    return keys ?? NONE;
  }
}

const NONE: readonly string[] = Object.freeze([]);

/** Encodes metadata column values (declared by the manifest) for a pre-encoded row. */
export function encodeMetadata(columns: ManifestColumn[], values: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const c of columns) into[c.name] = encodeValue(typeOf(c), values[c.name]);
}
