/** Helpers over the AST of datafusion-sqlparser (Databricks dialect) as it serialises. */
import type { Classification, SqlType } from '../api/columns.js';
import { parseTypeName, T } from './sql-types.js';
import { numericLiteralType } from './spark-types/literals.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type Node = any;

export interface Value {
  type: SqlType;
  nullable: boolean;
  refs: Set<string>;
  classes: Set<Classification>;
  agg: boolean;
  /** Masks applied to the value (mask-shapes.ts); absent: none. */
  masks?: Set<string>;
}

export const lc = (s: string) => s.toLowerCase();
export const union = <T>(...sets: Array<Set<T>>) => {
  const out = new Set<T>();
  for (const s of sets) for (const v of s) out.add(v);
  return out;
};
export const EMPTY = (): Value => ({ type: T.unknown, nullable: true, refs: new Set(), classes: new Set(), agg: false });

/** First source position found anywhere inside an AST node. */
export function spanOf(node: Node): { line: number; column: number } | undefined {
  const stack = [node];
  while (stack.length) {
    const n = stack.shift();
    if (!n || typeof n !== 'object') continue;
    if (n.span?.start && n.span.start.line > 0) return { line: n.span.start.line, column: n.span.start.column };
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
  }
  return undefined;
}

export const identName = (i: Node): string => i?.value ?? i?.Identifier?.value ?? String(i);
export const objectName = (parts: Node[]): string[] => parts.map(identName);

export function typeFromAst(dt: Node): SqlType {
  if (typeof dt === 'string') {
    return parseTypeName(dt) ?? (dt === 'Timestamp' ? T.timestamp : T.unknown);
  }
  if (!dt || typeof dt !== 'object') return T.unknown;
  const key = Object.keys(dt)[0];
  if (!key) return T.unknown;
  const v = dt[key];
  switch (key) {
    case 'Decimal':
    case 'Numeric':
    case 'Dec': {
      if (v?.PrecisionAndScale) return T.decimal(v.PrecisionAndScale[0], v.PrecisionAndScale[1]);
      if (v?.Precision !== undefined) return T.decimal(v.Precision, 0);
      return T.decimal(10, 0);
    }
    case 'Array': {
      const inner = v?.AngleBracket ?? v?.SquareBracket?.[0];
      return T.array(inner ? typeFromAst(inner) : T.unknown);
    }
    case 'Map':
      return Array.isArray(v) ? { kind: 'map', key: typeFromAst(v[0]), value: typeFromAst(v[1]) } : T.unknown;
    case 'Struct': {
      const fields = (Array.isArray(v) ? v[0] : []) as Node[];
      return { kind: 'struct', fields: fields.map((f) => ({ name: identName(f.field_name), type: typeFromAst(f.field_type) })) };
    }
    case 'Custom':
      return parseTypeName(objectName(Array.isArray(v) ? v[0] : []).join('.')) ?? T.unknown;
    default:
      return parseTypeName(key) ?? T.unknown;
  }
}

export function literal(v: Node): Value {
  const val = v?.value ?? v;
  const out = EMPTY();
  out.nullable = false;
  if (val === 'Null') return { ...out, type: T.null, nullable: true };
  if (typeof val !== 'object' || val === null) return out;
  if ('Number' in val) out.type = numericLiteralType(String(val.Number[0]));
  else if ('HexStringLiteral' in val) out.type = T.binary;
  else if ('Boolean' in val) out.type = T.boolean;
  else if ('SingleQuotedString' in val || 'DoubleQuotedString' in val || 'EscapedStringLiteral' in val) out.type = T.string;
  return out;
}

/** The earliest source position anywhere inside an AST node (where its text starts). */
export function leftmostSpan(node: Node): { line: number; column: number } | undefined {
  let best: { line: number; column: number } | undefined;
  const stack = [node];
  while (stack.length) {
    const n = stack.pop();
    if (!n || typeof n !== 'object') continue;
    const s = n.span?.start;
    if (s && s.line > 0 && (!best || s.line < best.line || (s.line === best.line && s.column < best.column))) best = { line: s.line, column: s.column };
    for (const v of Object.values(n)) if (v && typeof v === 'object') stack.push(v);
  }
  return best;
}

const SUFFIX_TYPES: Record<string, string> = { y: 'tinyint', s: 'smallint', l: 'bigint', d: 'double', f: 'float' };

/**
 * Spark's typed numeric literals (`1Y`, `1S`, `1L`, `1.2D`, `1F`, `1.5BD`), which the parser reads
 * as identifiers: their type, or undefined for a real identifier (quoted, or not a number).
 */
export function suffixedLiteral(ident: Node): Value | undefined {
  if (ident?.quote_style) return undefined;
  const m = /^(\d+\.?\d*|\.\d+)(e[+-]?\d+)?(y|s|l|d|f|bd)$/i.exec(String(ident?.value ?? ''));
  if (!m) return undefined;
  const [, digits = '', exponent, suffix = ''] = m;
  const lower = suffix.toLowerCase();
  if (lower !== 'd' && lower !== 'f' && lower !== 'bd' && (exponent || digits.includes('.'))) return undefined;
  let type: SqlType;
  if (lower === 'bd') {
    const [i = '', f = ''] = digits.split('.');
    const intDigits = i.replace(/^0+/, '').length;
    type = exponent ? T.unknown : T.decimal(Math.max(1, intDigits + f.length), f.length);
  } else type = parseTypeName(SUFFIX_TYPES[lower]!) ?? T.unknown;
  return { type, nullable: false, refs: new Set(), classes: new Set(), agg: false };
}
