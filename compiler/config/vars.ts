/**
 * Project vars (`vars:` in project.yaml, `--vars` on the command line). A var is typed: `{{var "x"}}`
 * renders it as a SQL literal (compiler/security/sql-vars.ts), so a value can never become SQL.
 * A var whose value is meant to be SQL text (a column name, an expression) is declared raw:
 *
 *   vars:
 *     min_order_date: '2015-01-01'                  # renders '2015-01-01'
 *     order_column: { value: order_date, raw: true } # renders order_date
 *
 * `--vars` may override a raw var's value; it stays raw. A mapping var with a `raw` key must be
 * exactly `{ value, raw }`.
 */
import { z } from 'zod';

const scalarSchema = z.union([z.string(), z.number(), z.boolean()]);

export const rawVarSchema = z
  .strictObject({
    value: scalarSchema.describe('The SQL text the var renders as, verbatim.'),
    raw: z.literal(true).describe('true: {{var}} renders the value as SQL text instead of a quoted literal.'),
  })
  .describe('A var rendered as SQL text, verbatim (declare only what must be SQL: --vars can change it).');

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const plainVarSchema = z
  .unknown()
  .refine((v) => !(isObject(v) && 'raw' in v), { message: 'a var with a raw key must be { value: <string, number or boolean>, raw: true }' })
  .describe('A value: string, number, boolean, list or mapping; rendered as a SQL literal.');

export const varsSchema = z
  .record(z.string(), z.union([rawVarSchema, plainVarSchema]))
  .default({})
  .describe('`{{var "name"}}` in SQL renders a quoted literal (`ctx.var("name")` in TypeScript); `{ value, raw: true }` renders SQL text; `--vars` overrides.');

export type RawVar = z.infer<typeof rawVarSchema>;

export function isRawVar(v: unknown): v is RawVar {
  return rawVarSchema.safeParse(v).success;
}

/** project.yaml's vars with `--vars` overrides; an override of a raw var keeps it raw. */
export function mergeVars(declared: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const out = { ...declared };
  for (const [name, value] of Object.entries(overrides)) {
    out[name] = isRawVar(declared[name]) && !isRawVar(value) ? { value, raw: true } : value;
  }
  return out;
}
