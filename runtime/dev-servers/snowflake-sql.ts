/**
 * The SQL subset of the loopback Snowflake server (snowflake-server.ts): parsing the SELECTs the
 * generated jobs emit, result row types, values in the JSON result format, comparable keys.
 */
import type { SnowflakeColumn } from './snowflake-server.js';
import { timestampMicros, encodeDate } from '../bronze/value-encoding.js';

export interface SelectQuery {
  columns: string[] | '*';
  min?: string;
  table: string;
  where?: { column: string };
  orderBy?: string;
  limit?: number;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const unquote = (s: string) => (s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toUpperCase());

export function parseSelect(sql: string): SelectQuery {
  const m = new RegExp(
    String.raw`^SELECT\s+(.+?)\s+FROM\s+(${IDENT}(?:\.${IDENT}){0,2})(?:\s+WHERE\s+(${IDENT})\s*>=\s*\?\s+AND\s+(${IDENT})\s*<\s*\?)?(?:\s+ORDER\s+BY\s+(${IDENT}))?(?:\s+LIMIT\s+(\d+))?$`,
    'is',
  ).exec(sql);
  if (!m) throw new Error(`SQL compilation error: unsupported statement: ${sql.slice(0, 200)}`);
  const list = m[1]!.trim();
  const table = m[2]!.match(new RegExp(IDENT, 'g'))!.map(unquote).join('.');
  const q: SelectQuery = { columns: '*', table };
  const min = new RegExp(String.raw`^MIN\((${IDENT})\)$`, 'i').exec(list);
  if (min) q.min = unquote(min[1]!);
  else if (list !== '*') q.columns = list.split(',').map((s) => unquote(s.trim()));
  if (m[3]) q.where = { column: unquote(m[3]) };
  if (m[5]) q.orderBy = unquote(m[5]);
  if (m[6]) q.limit = Number(m[6]);
  return q;
}

export function rowType(col: SnowflakeColumn, name = col.name): Record<string, unknown> {
  const type = { TEXT: 'text', NUMBER: 'fixed', FLOAT: 'real', BOOLEAN: 'boolean', DATE: 'date', TIMESTAMP_NTZ: 'timestamp_ntz', VARIANT: 'variant', OBJECT: 'object' }[col.type];
  return {
    name,
    type,
    nullable: true,
    precision: col.type === 'NUMBER' ? (col.precision ?? 38) : null,
    scale: col.type === 'NUMBER' ? (col.scale ?? 0) : col.type === 'TIMESTAMP_NTZ' ? 9 : null,
    length: col.type === 'TEXT' ? 16777216 : null,
    byteLength: col.type === 'TEXT' ? 16777216 : null,
    collation: null,
  };
}

/** A value as the JSON result format carries it: always a string (or null). */
export function wire(col: SnowflakeColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (col.type) {
    case 'BOOLEAN':
      return value ? '1' : '0';
    case 'DATE':
      return String(encodeDate(value));
    case 'TIMESTAMP_NTZ': {
      const micros = timestampMicros(value);
      const sign = micros < 0n ? '-' : '';
      const abs = micros < 0n ? -micros : micros;
      return `${sign}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}000`;
    }
    case 'VARIANT':
    case 'OBJECT':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** Comparable keys are computed once per row and column, not on every query. */
const keyCache = new WeakMap<unknown[], Map<number, bigint | number | string | undefined>>();
export function keyOf(col: SnowflakeColumn, row: unknown[], i: number): bigint | number | string | undefined {
  let perRow = keyCache.get(row);
  if (!perRow) keyCache.set(row, (perRow = new Map()));
  if (!perRow.has(i)) perRow.set(i, row[i] === null || row[i] === undefined ? undefined : comparable(col, row[i]));
  return perRow.get(i);
}

export function comparable(col: SnowflakeColumn, value: unknown): bigint | number | string {
  if (col.type === 'TIMESTAMP_NTZ') return timestampMicros(value);
  if (col.type === 'DATE') return encodeDate(value);
  if (col.type === 'NUMBER' || col.type === 'FLOAT') return Number(value);
  return String(value);
}
