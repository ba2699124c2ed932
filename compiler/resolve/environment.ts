/**
 * The Handlebars environment models render in: `ref`, `source`, `this`, `var`, `config`,
 * `is_incremental`, `quote_list`, plus the project's macros (partials and TypeScript helpers,
 * macro-helpers.ts). A built-in called with more arguments than it takes is reported at the first extra one.
 * Helpers never throw for user mistakes: they record a problem and print a placeholder, so
 * one run reports every mistake in the project.
 */
import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean, suggest } from '../config/suggest.js';
import type { MacroFiles } from '../load/model-files.js';
import { isRawVar } from '../config/vars.js';
import { stringLiteral } from '../emit/spark-dialect.js';
import { renderVar, siteAt, sqlLiteral as literalOf } from '../security/sql-vars.js';
import { callPosition, extraArguments, registerHelperModules, registerPartials, type CallOptions } from './macro-helpers.js';
import type { RenderProblem } from './render-problems.js';

export type { RenderProblem };

/** Per-render state, passed as Handlebars `@data` so helpers know which model they render. */
export interface RenderState {
  isIncremental: boolean;
  self: string;
  resolveRef(name: string): string | undefined;
  resolveSource(source: string, table: string): string | undefined;
  vars: Record<string, unknown>;
  refs: Array<{ name: string; line: number; column: number }>;
  sources: Array<{ source: string; table: string; line: number; column: number }>;
  /** Config set by `{{config}}` at render time (singular tests use it for severity). */
  config: Record<string, unknown>;
  problems: RenderProblem[];
  knownModels: string[];
  knownSources: string[];
}

type HelperOptions = Handlebars.HelperOptions & CallOptions & { data: { state: RenderState } };

/** Where the call is (in the model, or in the macro file it is written in). */
const posOf = callPosition;

/** The value of a var: own properties of `vars` only (`constructor`, `__proto__` are no vars). */
export function varValue(vars: Record<string, unknown>, name: unknown): { value: unknown } | undefined {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(vars, name) ? { value: vars[name] } : undefined;
}

// Re-exported for the stages that import them from here; they live in one neutral place.
export { didYouMean, suggest };

/** A value as a SQL literal, through the dialect's one string-literal function. */
export function sqlLiteral(value: unknown): string {
  return literalOf(value) ?? stringLiteral(String(value));
}

type VarOptions = HelperOptions & { output?: boolean; source?: string };

/** Where the helper call is in the text it is written in (1-based line, 0-based column in `loc`). */
function offsetOfCall(options: VarOptions): number {
  const source = options.source ?? '';
  let offset = 0;
  for (let l = 1; l < (options.loc?.start.line ?? 1); l++) offset = source.indexOf('\n', offset) + 1;
  return offset + (options.loc?.start.column ?? 0);
}

/**
 * `{{var "x"}}`: printed into SQL, a var renders as a literal fitting where it is written
 * (compiler/security/sql-vars.ts); handed to a helper (`{{quote_list (var "x")}}`, `{{#if (var "x")}}`)
 * it is the value itself.
 */
function varHelper(this: unknown, ...args: unknown[]): unknown {
  const options = args.pop() as VarOptions;
  const [name, fallback] = args;
  const s = options.data.state;
  if (extraArguments('var', 2, args.length, options, 'ETL131')) return 'NULL';
  const own = varValue(s.vars, name);
  let value: unknown;
  if (own) value = own.value;
  else if (args.length > 1) value = fallback;
  else {
    s.problems.push({
      code: 'ETL142',
      message: `Unknown var '${String(name)}'`,
      hint: didYouMean(String(name), Object.keys(s.vars)) || 'Define it under vars: in project.yaml, pass --vars, or give a default: {{var "name" "default"}}.',
      ...posOf(options),
    });
    return '__unknown_var__';
  }
  if (!options.output) return isRawVar(value) ? value.value : value;
  const rendered = renderVar(String(name), value, options.source ? siteAt(options.source, offsetOfCall(options)) : 'sql');
  if ('text' in rendered) return rendered.text;
  s.problems.push({ code: 'ETL192', message: rendered.problem, hint: rendered.hint, ...posOf(options) });
  return 'NULL';
}

export async function createEnvironment(macros: MacroFiles, diagnostics: Diagnostic[]): Promise<typeof Handlebars> {
  const env = Handlebars.create();
  const state = (o: HelperOptions) => o.data.state;

  env.registerHelper('ref', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    const [name] = args;
    const s = state(options);
    const pos = posOf(options);
    if (extraArguments('ref', 1, args.length, options, 'ETL131')) return '__invalid_ref__';
    if (typeof name !== 'string') {
      s.problems.push({ code: 'ETL131', message: 'ref takes one model name: {{ref "model_name"}}', hint: 'Quote the model name.', ...pos });
      return '__invalid_ref__';
    }
    s.refs.push({ name, ...pos });
    const resolved = s.resolveRef(name);
    if (resolved === undefined) {
      s.problems.push({
        code: 'ETL140',
        message: `Unknown model '${name}' in ref`,
        hint: didYouMean(name, s.knownModels) || 'Check the model name: it is the file name without extension.',
        ...pos,
      });
      return `__unknown_ref_${name}__`;
    }
    return resolved;
  });

  env.registerHelper('source', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    const [source, table] = args;
    const s = state(options);
    const pos = posOf(options);
    if (extraArguments('source', 2, args.length, options, 'ETL131')) return '__invalid_source__';
    if (typeof source !== 'string' || typeof table !== 'string') {
      s.problems.push({ code: 'ETL131', message: 'source takes a source name and a table: {{source "snowflake" "customer_orders"}}', hint: 'Quote both names.', ...pos });
      return '__invalid_source__';
    }
    s.sources.push({ source, table, ...pos });
    const resolved = s.resolveSource(source, table);
    if (resolved === undefined) {
      s.problems.push({
        code: 'ETL141',
        message: `Unknown source table '${source}.${table}'`,
        hint: didYouMean(`${source}.${table}`, s.knownSources) || 'Declare it in sources/*.ts with defineSource().',
        ...pos,
      });
      return `__unknown_source_${source}_${table}__`;
    }
    return resolved;
  });

  env.registerHelper('var', varHelper);

  env.registerHelper('quote_list', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    const [value] = args;
    if (extraArguments('quote_list', 1, args.length, options, 'ETL131')) return '';
    if (!Array.isArray(value)) {
      state(options).problems.push({ code: 'ETL143', message: 'quote_list needs a list', hint: 'Pass a list var: {{quote_list (var "name")}}.', ...posOf(options) });
      return '';
    }
    return value.map(sqlLiteral).join(', ');
  });

  // Config is read statically from the template (see template.ts) so other models' names are known
  // before rendering; at render time it prints nothing. Singular tests read theirs from state.
  env.registerHelper('config', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    if (extraArguments('config', 0, args.length, options, 'ETL131')) return '';
    Object.assign(state(options).config, options.hash);
    return '';
  });

  env.registerHelper('is_incremental', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as HelperOptions;
    if (extraArguments('is_incremental', 0, args.length, options, 'ETL131')) return '';
    return state(options).isIncremental ? options.fn(this) : options.inverse(this);
  });

  registerPartials(env, macros, diagnostics);
  await registerHelperModules(env, macros, diagnostics);
  return env;
}
