/**
 * The Handlebars environment models render in: `ref`, `source`, `this`, `var`, `config`,
 * `is_incremental`, `quote_list`, plus the project's macros (partials and TypeScript helpers).
 * Helpers never throw for user mistakes: they record a problem and print a placeholder, so
 * one run reports every mistake in the project.
 */
import Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean, suggest } from '../config/suggest.js';
import { importProjectModule } from '../load/import-project-module.js';
import type { MacroFiles } from '../load/model-files.js';
import { positionFromStack } from '../load/sources.js';
import { isRawVar } from '../config/vars.js';
import { stringLiteral } from '../emit/spark-dialect.js';
import { renderVar, siteAt, sqlLiteral as literalOf } from '../security/sql-vars.js';

export interface RenderProblem {
  code: string;
  message: string;
  hint: string;
  /** 1-based template position of the helper call. */
  line: number;
  column: number;
}

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

type HelperOptions = Handlebars.HelperOptions & { loc?: hbs.AST.SourceLocation; data: { state: RenderState } };

const posOf = (options: HelperOptions) => ({
  line: options.loc?.start.line ?? 1,
  column: (options.loc?.start.column ?? 0) + 1,
});

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
  let value: unknown;
  if (typeof name === 'string' && name in s.vars) value = s.vars[name];
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
    if (typeof name !== 'string' || args.length !== 1) {
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

  env.registerHelper('quote_list', function (this: unknown, value: unknown, options: HelperOptions) {
    if (!Array.isArray(value)) {
      state(options).problems.push({ code: 'ETL143', message: 'quote_list needs a list', hint: 'Pass a list var: {{quote_list (var "name")}}.', ...posOf(options) });
      return '';
    }
    return value.map(sqlLiteral).join(', ');
  });

  // Config is read statically from the template (see template.ts) so other models' names are known
  // before rendering; at render time it prints nothing. Singular tests read theirs from state.
  env.registerHelper('config', function (this: unknown, options: HelperOptions) {
    Object.assign(state(options).config, options.hash);
    return '';
  });

  env.registerHelper('is_incremental', function (this: unknown, options: HelperOptions) {
    return state(options).isIncremental ? options.fn(this) : options.inverse(this);
  });

  for (const p of macros.partials) env.registerPartial(p.name, p.text);

  for (const m of macros.helperModules) {
    try {
      const mod = await importProjectModule(m.abs);
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn !== 'function') continue;
        env.registerHelper(name, function (this: unknown, ...args: unknown[]) {
          const options = args.pop() as HelperOptions;
          try {
            return (fn as (...a: unknown[]) => unknown)(...args, options.hash);
          } catch (err) {
            state(options).problems.push({
              code: 'ETL144',
              message: `Macro ${name} (${m.file}) failed: ${(err as Error).message}`,
              hint: `Check the arguments passed to ${name}.`,
              ...posOf(options),
            });
            return '';
          }
        });
      }
    } catch (err) {
      const pos = positionFromStack(err, m.abs);
      diagnostics.push({
        code: 'ETL145',
        severity: 'error',
        message: `Cannot load macro module: ${(err as Error).message.split('\n')[0]}`,
        file: m.file,
        ...pos,
        hint: 'Fix the TypeScript error in the macro file.',
      });
    }
  }
  return env;
}
