/** The columns Spark 3.5's generators produce (explode, posexplode, inline and their _outer forms). */
import type { SqlType } from '../../api/columns.js';
import { T } from '../sql-types.js';

export interface GeneratedColumn {
  type: SqlType;
  nullable: boolean;
}

/**
 * The output of `fn(arg)` as LATERAL VIEW columns, in order. Elements and map values may be NULL
 * (the compiler does not track containsNull); map keys and positions are not, except under OUTER.
 * Undefined for a generator not modelled here.
 */
export function generatorColumns(fn: string, arg: SqlType, outer: boolean): GeneratedColumn[] | undefined {
  const name = fn.toLowerCase().replace(/_outer$/, '');
  const isOuter = outer || fn.toLowerCase().endsWith('_outer');
  const col = (type: SqlType, nullable: boolean): GeneratedColumn => ({ type, nullable: nullable || isOuter });
  const values = arg.kind === 'array' ? [col(arg.element, true)] : arg.kind === 'map' ? [col(arg.key, false), col(arg.value, true)] : undefined;
  if (name === 'explode') return values;
  if (name === 'posexplode') return values && [col(T.int, false), ...values];
  if (name === 'inline') return arg.kind === 'array' && arg.element.kind === 'struct' ? arg.element.fields.map((f) => col(f.type, true)) : undefined;
  return undefined;
}
