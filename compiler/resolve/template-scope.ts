/**
 * What a template expression sees, with Handlebars' rules: the context, earlier contexts for `../`
 * (a new one only when a block changes the context), data variables (`@index`, `@key`, `@first`,
 * `@last`, `@root`, `@../index`) and block parameters (`as |item i|`). Properties are read as own
 * properties only, as Handlebars does by default: `{{constructor}}` is nothing, never `function Object()`.
 */

/** A data frame: `@name` reads `name`; `@../name` reads the parent frame's. */
export type DataFrame = Record<string, unknown> & { _parent?: DataFrame };

export interface Scope {
  context: unknown;
  /** depths[0] is the context; `../` reads depths[1], and so on. */
  depths: unknown[];
  data: DataFrame;
  /** Innermost first. */
  blockParams: Array<{ names: string[]; values: unknown[] }>;
}

/** `this` of a helper called where the context is null or undefined (Handlebars' nullContext). */
export const NULL_CONTEXT: object = Object.seal({});

/** `object[name]` if it is the object's own property (strings' and arrays' `length` included). */
export function ownProperty(object: unknown, name: string): unknown {
  if (object === null || object === undefined) return undefined;
  return Object.prototype.hasOwnProperty.call(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

/** A child data frame, as Handlebars' createFrame. */
export function childFrame(data: DataFrame, values: Record<string, unknown>): DataFrame {
  return { ...data, ...values, _parent: data };
}

export function rootScope(context: unknown, data: Record<string, unknown>): Scope {
  const frame: DataFrame = Object.prototype.hasOwnProperty.call(data, 'root') ? data : { ...data, root: context, _parent: data };
  return { context, depths: [context], data: frame, blockParams: [] };
}

/**
 * The scope a block's program runs in: Handlebars adds a depth only when the context changes, so
 * `../` inside `{{#if}}` still reaches the block around it.
 */
export function childScope(
  scope: Scope,
  context: unknown,
  program: hbs.AST.Program | undefined,
  options: { data?: DataFrame; blockParams?: unknown[] } = {},
): Scope {
  // Loose inequality, as Handlebars' wrapProgram.
  const same = context == scope.depths[0] || (context === NULL_CONTEXT && scope.depths[0] === null);
  const depths = same ? scope.depths : [context, ...scope.depths];
  const names = (program as (hbs.AST.Program & { blockParams?: string[] }) | undefined)?.blockParams ?? [];
  const blockParams = names.length ? [{ names, values: options.blockParams ?? [] }, ...scope.blockParams] : scope.blockParams;
  return { context, depths, data: options.data ?? scope.data, blockParams };
}

/** The value of a path (`a.b`, `this`, `../a`, `@index`, `@../key`, a block parameter). */
export function lookupPath(path: hbs.AST.PathExpression, scope: Scope): unknown {
  const parts = path.parts;
  if (path.data) {
    let frame: DataFrame | undefined = scope.data;
    for (let d = path.depth; d > 0 && frame; d--) frame = frame._parent;
    let v: unknown = frame;
    for (const part of parts) v = ownProperty(v, part);
    return v;
  }
  const scoped = /^\.|^this\b/.test(path.original ?? '');
  let v: unknown;
  let from = 0;
  const head = parts[0];
  const params = !scoped && path.depth === 0 && head !== undefined ? scope.blockParams.find((b) => b.names.includes(head)) : undefined;
  if (params) {
    v = params.values[params.names.indexOf(head!)];
    from = 1;
  } else v = path.depth ? scope.depths[path.depth] : scope.context;
  for (let i = from; i < parts.length; i++) v = ownProperty(v, parts[i]!);
  return v;
}
