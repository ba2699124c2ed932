/**
 * Handlebars' built-in helpers with Handlebars' own semantics: `if`, `unless` (`includeZero=`),
 * `with`, `each` (arrays and objects, `@index`, `@key`, `@first`, `@last`, block parameters,
 * `{{else}}` when empty), `lookup`, `log`, and a block over a plain value (blockHelperMissing).
 */
import { childFrame, ownProperty, type DataFrame } from './template-scope.js';

export interface BlockOptions {
  /** `this` where the block is written. */
  self: unknown;
  data: DataFrame;
  hash: Record<string, unknown>;
  fn(context: unknown, options?: { data?: DataFrame; blockParams?: unknown[] }): string;
  inverse(context: unknown): string;
}

export const BUILTIN_HELPERS = new Set(['if', 'unless', 'with', 'each', 'lookup', 'log']);

/** Handlebars' isEmpty: nothing, false, '' and [] (but not 0) are empty. */
const isEmpty = (v: unknown) => (!v && v !== 0) || (Array.isArray(v) && v.length === 0);

const called = (v: unknown, self: unknown) => (typeof v === 'function' ? (v as (this: unknown) => unknown).call(self) : v);

function ifHelper(conditional: unknown, o: BlockOptions, negate: boolean): string {
  const c = called(conditional, o.self);
  const falsy = (!o.hash.includeZero && !c) || isEmpty(c);
  return falsy !== negate ? o.inverse(o.self) : o.fn(o.self);
}

function eachHelper(items: unknown, o: BlockOptions): string {
  const context = called(items, o.self);
  let out = '';
  let count = 0;
  const iteration = (key: string | number, index: number, last: boolean, value: unknown) => {
    const data = childFrame(o.data, { key, index, first: index === 0, last });
    out += o.fn(value, { data, blockParams: [value, key] });
    count++;
  };
  if (Array.isArray(context)) {
    for (let i = 0; i < context.length; i++) if (i in context) iteration(i, i, i === context.length - 1, context[i]);
  } else if (context && typeof context === 'object') {
    const keys = Object.keys(context);
    keys.forEach((key, i) => iteration(key, i, i === keys.length - 1, (context as Record<string, unknown>)[key]));
  }
  return count === 0 ? o.inverse(o.self) : out;
}

/** Runs a built-in helper; undefined when `name` is not one. */
export function runBuiltin(name: string, args: unknown[], o: BlockOptions): { value: unknown } | undefined {
  switch (name) {
    case 'if':
      return { value: ifHelper(args[0], o, false) };
    case 'unless':
      return { value: ifHelper(args[0], o, true) };
    case 'with': {
      const context = called(args[0], o.self);
      return { value: isEmpty(context) ? o.inverse(o.self) : o.fn(context, { blockParams: [context] }) };
    }
    case 'each':
      return { value: eachHelper(args[0], o) };
    case 'lookup':
      return { value: args[0] ? ownProperty(args[0], String(args[1])) : args[0] };
    case 'log':
      return { value: undefined };
    default:
      return undefined;
  }
}

/** `{{#value}}...{{/value}}` when `value` is not a helper: Handlebars' blockHelperMissing. */
export function blockOverValue(value: unknown, o: BlockOptions): string {
  if (value === true) return o.fn(o.self);
  if (value === false || value === null || value === undefined) return o.inverse(o.self);
  if (Array.isArray(value)) return value.length > 0 ? eachHelper(value, o) : o.inverse(o.self);
  return o.fn(value);
}
