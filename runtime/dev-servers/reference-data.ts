/**
 * Deterministic rows for any declared source table, generated from its column types: what the
 * loopback servers serve in tests, the bench and the quickstart. Cursor / event-time columns are
 * spread over `days` days before `end`, so windows and ingest-date partitions get exercised.
 */
import type { JobColumn } from '../../compiler/emit/ingestion-jobs.js';
import type { SqlType } from '../../compiler/api/columns.js';
import { parseSparkType } from '../../compiler/analyse/sql-types.js';

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

/** Rows keyed by declared column names, in the agreed JS representation (decimals as strings...). */
export function generateRows(columns: JobColumn[], options: GenerateOptions): Record<string, unknown>[] {
  const random = prng(options.seed ?? 42);
  const end = (options.end ?? new Date('2024-03-01T00:00:00Z')).getTime();
  const span = (options.days ?? 30) * 86_400_000;
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < options.rows; i++) {
    const row: Record<string, unknown> = {};
    const at = end - span + Math.floor((span * i) / Math.max(1, options.rows)) + (i % 1000);
    for (const c of columns) {
      const type = parseSparkType(c.type);
      if (c.primaryKey) row[c.name] = `${c.name.replace(/_id$/, '')}-${String(i).padStart(7, '0')}`;
      else if (c.name === options.timeColumn) row[c.name] = isoMicros(at, i);
      else if (c.nullable && random() < 0.05) row[c.name] = null;
      else row[c.name] = value(type, c.name, i, random, at);
    }
    out.push(row);
  }
  return out;
}

function isoMicros(ms: number, i: number): string {
  return new Date(ms).toISOString().replace('Z', String(i % 1000).padStart(3, '0') + 'Z');
}

function value(type: SqlType, name: string, i: number, random: () => number, at: number): unknown {
  switch (type.kind) {
    case 'string':
      return name.includes('email') ? `user${i % 5000}@example.com` : `${name}-${Math.floor(random() * 1000)}`;
    case 'int':
      return Math.floor(random() * 1000);
    case 'bigint':
      return Math.floor(random() * 1e12);
    case 'double':
      return Math.round(random() * 10000) / 100;
    case 'boolean':
      return random() < 0.5;
    case 'decimal': {
      const intDigits = Math.min(type.precision - type.scale, 9);
      const whole = Math.floor(random() * 10 ** Math.min(intDigits, 6));
      const frac = type.scale ? '.' + String(Math.floor(random() * 10 ** type.scale)).padStart(type.scale, '0') : '';
      return `${whole}${frac}`;
    }
    case 'date':
      return new Date(at - Math.floor(random() * 30) * 86_400_000).toISOString().slice(0, 10);
    case 'timestamp':
      return new Date(at - Math.floor(random() * 86_400_000)).toISOString();
    case 'array':
      return [value(type.element, name, i, random, at), value(type.element, name, i + 1, random, at)];
    case 'map':
      return { a: value(type.value, name, i, random, at), b: value(type.value, name, i + 1, random, at) };
    case 'struct':
      return Object.fromEntries(type.fields.map((f) => [f.name, value(f.type, f.name, i, random, at)]));
    default:
      return null;
  }
}
