/**
 * Higher-order functions (transform, filter, exists, aggregate, zip_with, map_filter, ...): the
 * types their lambda parameters take from the arguments before them, and the lambda body's value.
 */
import type { SqlType } from '../../api/columns.js';
import { EMPTY, identName, type Node, type Value } from '../ast.js';
import type { Ctx, Scope } from '../context.js';
import { expr } from '../expressions.js';
import { T } from '../sql-types.js';

/** The types of a lambda's parameters, from the function and the types of the arguments before it. */
export function lambdaParamTypes(fn: string, before: SqlType[]): SqlType[] {
  const [first, second] = before;
  const element = (t: SqlType | undefined) => (t?.kind === 'array' ? t.element : T.unknown);
  switch (fn) {
    case 'transform':
    case 'filter':
    case 'exists':
    case 'forall':
      return [element(first), T.int];
    case 'aggregate':
    case 'reduce':
      // The merge function takes (accumulator, element); the finish function the accumulator.
      return before.length === 2 ? [second ?? T.unknown, element(first)] : [second ?? T.unknown];
    case 'zip_with':
      return [element(first), element(second)];
    case 'array_sort':
      return [element(first), element(first)];
    case 'map_filter':
    case 'transform_values':
    case 'transform_keys':
      return first?.kind === 'map' ? [first.key, first.value] : [T.unknown, T.unknown];
    default:
      return [];
  }
}

/** A lambda argument evaluated with its parameters bound: its value is the body's. */
export function lambdaValue(cx: Ctx, fn: string, lambda: Node, before: Value[], scope: Scope, silent: boolean): Value {
  const params: Node[] = lambda.params?.One ? [lambda.params.One] : (lambda.params?.Many ?? []);
  const types = lambdaParamTypes(fn, before.map((b) => b.type));
  if (types.length === 0) return EMPTY();
  const columns = params.map((p, i) => ({ name: identName(p.name ?? p), type: types[i] ?? T.unknown, nullable: true, refs: new Set<string>(), classes: new Set(before[0]?.classes ?? []) }));
  return expr(cx, lambda.body, { rels: [{ alias: '__lambda', columns }], ctes: scope.ctes, parent: scope }, silent);
}
