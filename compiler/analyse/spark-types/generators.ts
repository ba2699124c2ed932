/** The columns Spark 3.5's generators produce (explode, posexplode, inline and their _outer forms). */
import type { SqlType } from '../../api/columns.js';
import { identName, type Node } from '../ast.js';
import type { AnalysedColumn, Ctx, Scope } from '../context.js';
import { callArgs, expr } from '../expressions.js';
import { T } from '../sql-types.js';

export interface GeneratedColumn {
  type: SqlType;
  nullable: boolean;
}

/**
 * The output of `fn(arg)` as LATERAL VIEW columns, in order. Elements may be NULL unless the array
 * is known not to contain NULLs, struct fields unless known NOT NULL, map values unless the map holds no NULLs; map keys
 * and positions are not, except under OUTER.
 * Undefined for a generator not modelled here.
 */
export function generatorColumns(fn: string, arg: SqlType, outer: boolean): GeneratedColumn[] | undefined {
  const name = fn.toLowerCase().replace(/_outer$/, '');
  const isOuter = outer || fn.toLowerCase().endsWith('_outer');
  const col = (type: SqlType, nullable: boolean): GeneratedColumn => ({ type, nullable: nullable || isOuter });
  const values = arg.kind === 'array' ? [col(arg.element, arg.containsNull !== false)] : arg.kind === 'map' ? [col(arg.key, false), col(arg.value, arg.valueContainsNull !== false)] : undefined;
  if (name === 'explode') return values;
  if (name === 'posexplode') return values && [col(T.int, false), ...values];
  if (name === 'inline') return arg.kind === 'array' && arg.element.kind === 'struct' ? arg.element.fields.map((f) => col(f.type, f.nullable !== false || arg.containsNull !== false)) : undefined;
  return undefined;
}

/**
 * `gen(x) AS (a, b)` in a SELECT list: one column per alias, typed as LATERAL VIEW types them
 * (json_tuple: strings). Undefined for a generator not modelled here.
 */
export function generatorAliasColumns(cx: Ctx, item: Node, scope: Scope): AnalysedColumn[] | undefined {
  const fn = item.expr?.Function;
  if (!fn) return undefined;
  const name = identName(fn.name?.[fn.name.length - 1] ?? '').toLowerCase();
  const value = expr(cx, item.expr, scope);
  const aliases: string[] = (item.aliases ?? []).map(identName);
  const generated =
    name === 'json_tuple' ? aliases.map(() => ({ type: T.string, nullable: true })) : generatorColumns(name, expr(cx, callArgs(fn)[0], scope, true).type, false);
  if (!generated) return undefined;
  return aliases.map((alias, i) => ({ name: alias, type: generated[i]?.type ?? T.unknown, nullable: generated[i]?.nullable ?? true, refs: value.refs, classes: value.classes }));
}
