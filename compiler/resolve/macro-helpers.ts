/**
 * The project's macros in the Handlebars environment: partials (`macros/*.hbs`, parsed once here
 * so a syntax error is reported in the partial's file, once) and TypeScript helpers
 * (`macros/*.ts`, each exported function). A helper that throws is reported at the line of its
 * file that threw, with each call as a related location; a call with more arguments than the
 * helper declares is reported at the first extra argument.
 */
import { readFileSync } from 'node:fs';
import type Handlebars from 'handlebars';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { importProjectModule, withOriginalPositions } from '../load/import-project-module.js';
import type { MacroFiles } from '../load/model-files.js';
import { positionFromStack } from '../load/sources.js';
import { enterMacro, macroRegistry, type MacroSite } from './macro-site.js';
import { reportMacroFault, type RenderProblem } from './render-problems.js';
import { parseTemplate, TemplateSyntaxError } from './template-syntax.js';

/** What a helper is called with, beyond its arguments (see template-interpreter.ts). */
export interface CallOptions {
  hash: Record<string, unknown>;
  loc?: hbs.AST.SourceLocation;
  macro?: MacroSite;
  /** 1-based position of each positional argument. */
  argLocs?: Array<{ line: number; column: number } | undefined>;
  data: { state: { problems: RenderProblem[] } };
}

/** Where a helper call is written: line and column in its file, and the macro that file is. */
export function callPosition(options: CallOptions): { line: number; column: number; macro?: MacroSite } {
  return { line: options.loc?.start.line ?? 1, column: (options.loc?.start.column ?? 0) + 1, ...(options.macro ? { macro: options.macro } : {}) };
}

/**
 * Reports arguments past the `max` a helper takes, at the first extra one; true when there were.
 * `code` is the helper family's code (ETL131 built-ins, ETL144 macros).
 */
export function extraArguments(name: string, max: number, count: number, options: CallOptions, code: string): boolean {
  if (count <= max) return false;
  const at = options.argLocs?.[max] ?? callPosition(options);
  const takes = max === 0 ? 'takes no arguments' : `takes ${max} argument${max === 1 ? '' : 's'}`;
  options.data.state.problems.push({
    code,
    message: `${name} ${takes}; this one is extra and would be ignored`,
    hint: `Remove the extra argument${count - max > 1 ? 's' : ''} of ${name}.`,
    line: at.line,
    column: at.column,
    ...(options.macro ? { macro: options.macro } : {}),
  });
  return true;
}

/**
 * The parameter count a function declares, when `length` tells it: unknown with a rest or default
 * parameter (which `length` does not count). Reads the function's own source text (esbuild's
 * output of the macro file), the only place JavaScript keeps its parameter list.
 */
export function declaredArity(fn: (...args: never[]) => unknown): number | undefined {
  const text = Function.prototype.toString.call(fn);
  const single = /^(?:async\s+)?[\w$]+\s*=>/.exec(text);
  if (single) return 1;
  const open = /^(?:async\s+)?(?:function\b[^(]*)?\(/.exec(text);
  if (!open) return undefined;
  let depth = 0;
  let i = open[0].length - 1;
  for (; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) break;
  }
  const params = text.slice(open[0].length, i);
  return /\.\.\.|=/.test(params) ? undefined : fn.length;
}

/** Registers the partials, parsing each once: a syntax error is reported in the partial's file. */
export function registerPartials(env: typeof Handlebars, macros: MacroFiles, diagnostics: Diagnostic[]): void {
  const registry = macroRegistry(env);
  for (const p of macros.partials) {
    env.registerPartial(p.name, p.text);
    registry.partialFiles.set(p.name, p.file);
    try {
      parseTemplate(p.text);
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      registry.brokenPartials.set(p.name, { message: err.message, line: err.line, column: err.column });
      const hint = 'Check that every {{ has a matching }} and every {{#block}} its {{/block}}.';
      reportMacroFault(diagnostics, { code: 'ETL130', message: err.message, hint, file: p.file, text: p.text, line: err.line, column: err.column }, []);
    }
  }
}

/** One exported function of a macro module as a helper: faults reported in the macro file. */
function macroHelper(name: string, fn: (...a: unknown[]) => unknown, file: string, abs: string) {
  const arity = declaredArity(fn);
  return function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as CallOptions;
    if (arity !== undefined && extraArguments(name, arity, args.length, options, 'ETL144')) return '';
    try {
      return fn(...args, options.hash);
    } catch (err) {
      const text = readFileSync(abs, 'utf8');
      const at = positionFromStack(withOriginalPositions(err), abs);
      const call = callPosition(options);
      options.data.state.problems.push({
        code: 'ETL144',
        message: `Macro ${name} failed: ${(err as Error).message}`,
        hint: `Check ${name} and the arguments it is called with (the related locations).`,
        ...at,
        macro: enterMacro(options.macro, { line: call.line, column: call.column }, file, text),
      });
      return '';
    }
  };
}

/** Registers every exported function of the macro modules; a module that does not load is ETL145. */
export async function registerHelperModules(env: typeof Handlebars, macros: MacroFiles, diagnostics: Diagnostic[]): Promise<void> {
  for (const m of macros.helperModules) {
    try {
      const mod = await importProjectModule(m.abs);
      for (const [name, fn] of Object.entries(mod)) {
        if (typeof fn === 'function') env.registerHelper(name, macroHelper(name, fn as (...a: unknown[]) => unknown, m.file, m.abs));
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
}
