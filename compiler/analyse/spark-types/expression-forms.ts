/** Spark 3.5's types of expression forms the parser gives their own nodes: CEIL/FLOOR, EXTRACT, POSITION, bitwise operators. */
import type { SqlType } from '../../api/columns.js';
import { ceilFloor } from '../functions.js';
import { isKnown, T, widenNumeric } from '../sql-types.js';

/** `CEIL(x)` / `FLOOR(x)`: decimal(p-s+1,0) for a decimal, bigint otherwise; NULL possible. */
export const ceilFloorForm = (x: SqlType): { type: SqlType; nullable: boolean } => ({ type: ceilFloor([x], []), nullable: true });

/** `EXTRACT(field FROM x)`: seconds with their fraction as decimal(8,6), every other field an int. */
export function extractType(field: unknown): SqlType {
  const name = typeof field === 'string' ? field : field && typeof field === 'object' ? Object.keys(field)[0] : undefined;
  return String(name).toLowerCase() === 'second' ? T.decimal(8, 6) : T.int;
}

/** `a & b`, `a | b`, `a ^ b`: the wider integral type. */
export const bitwiseType = (a: SqlType, b: SqlType): SqlType => (isKnown(a) && isKnown(b) ? widenNumeric(a, b) : T.unknown);

const UNIT_FIRST = new Set(['timestampadd', 'timestampdiff', 'dateadd', 'date_add', 'datediff', 'date_diff']);

/** `timestampadd(HOUR, 1, ts)`: the first of three arguments is a unit keyword, not a column. */
export function isUnitArgument(fn: string, index: number, node: unknown, count: number): boolean {
  return index === 0 && count === 3 && UNIT_FIRST.has(fn) && typeof node === 'object' && node !== null && 'Identifier' in node;
}
