/**
 * Deterministic rows for any declared source table, generated from its column types: what the
 * loopback servers serve in tests, the bench and the quickstart. Cursor / event-time columns are
 * spread over `days` days before `end`, so windows and ingest-date partitions get exercised. The
 * values of each type are in typed-values.ts.
 */
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import type { SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';
import { isoMicros, keyCapacity, keyValue, sampleValue } from './typed-values.js';

export interface GenerateOptions {
  rows: number;
  seed?: number;
  /** Column whose values are spread over time and increase with the row index. */
  timeColumn?: string;
  days?: number;
  end?: Date;
}

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows keyed by declared column names, in the agreed JS representation (decimals as strings...).
 * Primary keys are unique within their declared types: row i gets the i-th key tuple (the key
 * columns counted as digits of a mixed-radix number), so a table keyed by a narrow type (a boolean,
 * a decimal(2,0)) serves as many rows as its keys can tell apart, not more.
 */
export function generateRows(columns: JobColumn[], options: GenerateOptions): Record<string, unknown>[] {
  const random = prng(options.seed ?? 42);
  const end = (options.end ?? new Date('2024-03-01T00:00:00Z')).getTime();
  const span = (options.days ?? 30) * 86_400_000;
  const types = new Map(columns.map((c) => [c.name, parseSparkType(c.type)]));
  const keys = columns.filter((c) => c.primaryKey).map((c) => ({ name: c.name, type: types.get(c.name)!, capacity: keyCapacity(types.get(c.name)!) }));
  const rows = Math.min(options.rows, keys.reduce((n, k) => Math.min(Number.MAX_SAFE_INTEGER, n * k.capacity), 1));
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < rows; i++) {
    const row: Record<string, unknown> = {};
    const at = end - span + Math.floor((span * i) / Math.max(1, rows)) + (i % 1000);
    let rest = i;
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      row[key.name] = keyValue(key.type, rest % key.capacity, key.name);
      rest = Math.floor(rest / key.capacity);
    }
    for (const c of columns) {
      const type = types.get(c.name)!;
      if (c.primaryKey) continue;
      if (c.name === options.timeColumn) row[c.name] = timeValue(type, c.name, at, i, random);
      else if (c.nullable && random() < 0.05) row[c.name] = null;
      else row[c.name] = sampleValue(type, c.name, i, random, at);
    }
    out.push(columnOrder(columns, row));
  }
  return out;
}

/** The time column increases with the row index, whatever its declared type. */
function timeValue(type: SqlType, name: string, at: number, i: number, random: () => number): unknown {
  if (type.kind === 'timestamp') return isoMicros(at, i % 1000);
  if (type.kind === 'date') return new Date(at).toISOString().slice(0, 10);
  return sampleValue(type, name, i, random, at);
}

/** Keys are filled first; the row keeps the declared column order (what servers list). */
function columnOrder(columns: JobColumn[], row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c.name, row[c.name]]));
}
