/**
 * Masks: the Spark expressions that hide a value, as one table. Each mask says how it is written
 * (what the `{{mask_*}}` helpers of compiler/governance/masks.ts render) and how the analyser
 * recognises it in the parsed AST, whoever wrote it (a helper, a macro or by hand), and what it does
 * to the classification of its value:
 *
 * | mask           | Spark SQL                                   | classification                      |
 * | -------------- | ------------------------------------------- | ----------------------------------- |
 * | `hash`         | `sha2(concat(x, '<salt>'), 256)`            | pii -> pseudonymised, sensitive lost |
 * | `email_domain` | `substring_index(x, '@', -1)`               | pii -> pseudonymised                |
 * | `partial`      | `regexp_replace(x, '.(?=.{4})', '*')`       | pii -> pseudonymised                |
 * | `date`         | `trunc(x, 'MM')` / `date_trunc('YEAR', x)`  | sensitive lost, pii -> pseudonymised |
 * | `amount`       | `round(x, -3)` (any negative scale)         | sensitive lost, pii -> pseudonymised |
 *
 * `restricted` (who may read the data at all) is never lost. A hash without a salt (`sha2(x, 256)`)
 * is no mask: a dictionary reverses it. Lives in analyse/ so the analysis cache's code hash covers it.
 */
import type { Classification } from '../api/columns.js';
import type { Node, Value } from './ast.js';

export const MASK_KINDS = ['hash', 'email_domain', 'partial', 'date', 'amount'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

/** What each mask does to a classification. */
const RULES: Record<MaskKind, { pseudonymises: boolean; dropsSensitive: boolean }> = {
  hash: { pseudonymises: true, dropsSensitive: true },
  email_domain: { pseudonymises: true, dropsSensitive: false },
  partial: { pseudonymises: true, dropsSensitive: false },
  date: { pseudonymises: true, dropsSensitive: true },
  amount: { pseudonymises: true, dropsSensitive: true },
};

export const DATE_UNITS = { month: 'MM', year: 'YEAR', quarter: 'QUARTER' } as const;
export type DateUnit = keyof typeof DATE_UNITS;

/** The SQL of each mask; `column` is SQL, the other arguments are checked by the helper. */
export const renderMask = {
  hash: (column: string, saltLiteral: string) => `sha2(concat(${column}, ${saltLiteral}), 256)`,
  email_domain: (column: string) => `substring_index(${column}, '@', -1)`,
  partial: (column: string, keep: number) => `regexp_replace(${column}, '.(?=.{${keep}})', '*')`,
  date: (column: string, unit: DateUnit) => `trunc(${column}, '${DATE_UNITS[unit]}')`,
  /** `step` is a power of ten (10, 100, 1000...): the value rounded to it. */
  amount: (column: string, step: number) => `round(${column}, -${Math.round(Math.log10(step))})`,
};

const stringOf = (n: Node): string | undefined => n?.Value?.value?.SingleQuotedString ?? n?.Value?.value?.DoubleQuotedString;
const numberOf = (n: Node): number | undefined => {
  if (n?.UnaryOp?.op === 'Minus') {
    const inner = numberOf(n.UnaryOp.expr);
    return inner === undefined ? undefined : -inner;
  }
  const raw = n?.Value?.value?.Number?.[0];
  return raw === undefined ? undefined : Number(raw);
};
const callOf = (n: Node): { name: string; args: Node[] } | undefined => {
  const f = n?.Function;
  if (!f) return undefined;
  const name = (f.name ?? []).map((p: Node) => String(p?.value ?? p?.Identifier?.value ?? '')).join('.').toLowerCase();
  const args = (f.args?.List?.args ?? []).map((a: Node) => {
    const inner = a.Unnamed ?? a.Named?.arg ?? a.ExprNamed?.arg ?? a;
    return inner?.Expr ?? inner;
  });
  return { name, args };
};

const TRUNC_UNITS = new Set(['mm', 'mon', 'month', 'yy', 'yyyy', 'year', 'quarter']);

/** The mask a call is, by its shape: `name` lower-case, `args` the argument expressions. */
export function maskOf(name: string, args: Node[]): MaskKind | undefined {
  switch (name) {
    case 'sha2': {
      // A salted hash: the value concatenated with a non-empty string literal, any SHA-2 length.
      const inner = callOf(args[0]);
      const salted = (inner?.name === 'concat' || inner?.name === 'concat_ws') && inner.args.length >= 2 && inner.args.some((a) => (stringOf(a) ?? '').length > 0);
      return salted && [0, 224, 256, 384, 512].includes(numberOf(args[1]) ?? -1) ? 'hash' : undefined;
    }
    case 'substring_index':
      return args.length === 3 && stringOf(args[1]) === '@' && numberOf(args[2]) === -1 ? 'email_domain' : undefined;
    case 'regexp_replace':
      return args.length === 3 && /^\.\(\?=\.\{\d+\}\)$/.test(stringOf(args[1]) ?? '') && (stringOf(args[2]) ?? '').length === 1 ? 'partial' : undefined;
    case 'trunc':
      return args.length === 2 && TRUNC_UNITS.has((stringOf(args[1]) ?? '').toLowerCase()) ? 'date' : undefined;
    case 'date_trunc':
      return args.length === 2 && TRUNC_UNITS.has((stringOf(args[0]) ?? '').toLowerCase()) ? 'date' : undefined;
    case 'round':
    case 'bround': {
      const scale = numberOf(args[1]);
      return args.length === 2 && scale !== undefined && Number.isInteger(scale) && scale < 0 ? 'amount' : undefined;
    }
    default:
      return undefined;
  }
}

/** A classification after a mask. */
export function maskedClasses(mask: MaskKind, classes: ReadonlySet<Classification>): Set<Classification> {
  const rule = RULES[mask];
  const out = new Set<Classification>();
  for (const c of classes) {
    if (c === 'pii' && rule.pseudonymises) out.add('pseudonymised');
    else if (c === 'sensitive' && rule.dropsSensitive) continue;
    else out.add(c);
  }
  return out;
}

/**
 * A call's classification and masks: the arguments' classes (changed by the call's mask, if it is
 * one), and the masks applied to the arguments plus its own.
 */
export function callClassification(name: string, argNodes: Node[], args: Value[], classes: Set<Classification>): Pick<Value, 'classes' | 'masks'> {
  const mask = maskOf(name, argNodes);
  const masks = new Set<string>();
  for (const a of args) for (const m of a.masks ?? []) masks.add(m);
  if (mask) masks.add(mask);
  return { classes: mask ? maskedClasses(mask, classes) : classes, ...(masks.size ? { masks } : {}) };
}

/** The model's output columns with the declassified ones (`declassify:` config) stripped of their classification. */
export function declassified<C extends { name: string; classes: Set<Classification>; declassified?: Classification[] }>(columns: C[], names: string[] | undefined): C[] {
  if (!names?.length) return columns;
  const set = new Set(names.map((n) => n.toLowerCase()));
  return columns.map((c) => (set.has(c.name.toLowerCase()) ? { ...c, classes: new Set<Classification>(), declassified: [...c.classes].sort() } : c));
}
