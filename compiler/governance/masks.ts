/**
 * The mask helpers models call: `{{mask_hash "email"}}`, `{{mask_email_domain "email"}}`,
 * `{{mask_partial "phone" 4}}`, `{{mask_date "birth_date" "month"}}`, `{{mask_amount "salary" 1000}}`.
 * Each renders the Spark SQL of compiler/analyse/mask-shapes.ts, which the analyser recognises in
 * the parsed query (so a mask written by hand in the same shape counts the same). Also `hash`, which
 * builds the object of a `{{config exposes=(hash pii="reason")}}` value.
 * A wrong argument is a render problem at the call (ETL304); a hash without its salt var, ETL305.
 */
import type Handlebars from 'handlebars';
import { DATE_UNITS, renderMask, type DateUnit } from '../analyse/mask-shapes.js';
import { renderVar } from '../security/sql-vars.js';
import { callPosition, extraArguments, type CallOptions } from '../resolve/macro-helpers.js';
import type { RenderState } from '../resolve/environment.js';

type Options = CallOptions & { data: { state: RenderState } };

export const MASK_HELPERS = ['mask_hash', 'mask_email_domain', 'mask_partial', 'mask_date', 'mask_amount'] as const;

function problem(options: Options, code: string, message: string, hint: string): void {
  options.data.state.problems.push({ code, message, hint, ...callPosition(options) });
}

/** The column argument: SQL text of a column or expression, written as a string. */
function columnArg(helper: string, value: unknown, options: Options, usage: string): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  problem(options, 'ETL304', `${helper} needs the column to mask as a quoted string, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`, `Write ${usage}.`);
  return undefined;
}

/** Registers the mask helpers; `saltVar` is the project var salting `mask_hash` (governance.policy.salt_var). */
export function registerMaskHelpers(env: typeof Handlebars, saltVar = 'mask_salt'): void {
  env.registerHelper('mask_hash', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (extraArguments('mask_hash', 1, args.length, options, 'ETL304')) return 'NULL';
    const column = columnArg('mask_hash', args[0], options, '{{mask_hash "customer_email"}}');
    if (column === undefined) return 'NULL';
    const vars = options.data.state.vars;
    const value = Object.prototype.hasOwnProperty.call(vars, saltVar) ? vars[saltVar] : undefined;
    const rendered = typeof value === 'string' && value !== '' ? renderVar(saltVar, value, 'sql') : undefined;
    if (!rendered || !('text' in rendered)) {
      problem(options, 'ETL305', `mask_hash needs the salt var '${saltVar}' (a non-empty string); it is ${value === undefined ? 'not defined' : JSON.stringify(value)}`, `Define ${saltVar} under vars: in project.yaml (or pass it with --vars): a hash without a salt is reversed by hashing every known e-mail.`);
      return 'NULL';
    }
    return renderMask.hash(column, rendered.text);
  });

  env.registerHelper('mask_email_domain', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (extraArguments('mask_email_domain', 1, args.length, options, 'ETL304')) return 'NULL';
    const column = columnArg('mask_email_domain', args[0], options, '{{mask_email_domain "customer_email"}}');
    return column === undefined ? 'NULL' : renderMask.email_domain(column);
  });

  env.registerHelper('mask_partial', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (extraArguments('mask_partial', 2, args.length, options, 'ETL304')) return 'NULL';
    const column = columnArg('mask_partial', args[0], options, '{{mask_partial "phone" 4}} (keeps the last 4 characters)');
    const keep = args[1] ?? 4;
    if (typeof keep !== 'number' || !Number.isInteger(keep) || keep < 0 || keep > 64) {
      problem(options, 'ETL304', `mask_partial keeps a number of trailing characters (0 to 64), got ${JSON.stringify(keep)}`, 'Write {{mask_partial "phone" 4}}.');
      return 'NULL';
    }
    return column === undefined ? 'NULL' : renderMask.partial(column, keep);
  });

  env.registerHelper('mask_date', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (extraArguments('mask_date', 2, args.length, options, 'ETL304')) return 'NULL';
    const column = columnArg('mask_date', args[0], options, '{{mask_date "birth_date" "month"}}');
    const unit = args[1] ?? 'month';
    if (typeof unit !== 'string' || !Object.prototype.hasOwnProperty.call(DATE_UNITS, unit)) {
      problem(options, 'ETL304', `mask_date truncates to ${Object.keys(DATE_UNITS).join(', ')}, got ${JSON.stringify(unit)}`, 'Write {{mask_date "birth_date" "month"}} or "year".');
      return 'NULL';
    }
    return column === undefined ? 'NULL' : renderMask.date(column, unit as DateUnit);
  });

  env.registerHelper('mask_amount', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    if (extraArguments('mask_amount', 2, args.length, options, 'ETL304')) return 'NULL';
    const column = columnArg('mask_amount', args[0], options, '{{mask_amount "salary" 1000}}');
    const step = args[1] ?? 100;
    const digits = typeof step === 'number' ? Math.log10(step) : NaN;
    if (!Number.isInteger(digits) || digits < 1 || digits > 18) {
      problem(options, 'ETL304', `mask_amount rounds to a power of ten (10, 100, 1000, ...), got ${JSON.stringify(step)}`, 'Write {{mask_amount "salary" 1000}}.');
      return 'NULL';
    }
    return column === undefined ? 'NULL' : renderMask.amount(column, step as number);
  });

  // `(hash key="value" ...)`: an object, for `{{config exposes=(hash pii="reason")}}` (read statically by template.ts).
  env.registerHelper('hash', function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    return { ...options.hash };
  });
}
