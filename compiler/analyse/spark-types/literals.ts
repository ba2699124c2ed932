/** Spark 3.5's types of literals: numbers by their text, negative numbers, ANSI intervals. */
import type { SqlType } from '../../api/columns.js';
import { T } from '../sql-types.js';
import { decimalLiteral } from './decimal-rules.js';

type Node = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const INT_MAX = 2147483647n;
const LONG_MAX = 9223372036854775807n;

/**
 * The type of an unsuffixed numeric literal: an integer is int, else bigint, else decimal(n,0)
 * (as Spark's parser reads it); with a point it is a decimal of its digits; with an exponent a double.
 */
export function numericLiteralType(text: string): SqlType {
  const suffix = /^[-+]?\d+([ysl])$/i.exec(text)?.[1]?.toLowerCase();
  if (suffix) return suffix === 'y' ? T.tinyint : suffix === 's' ? T.smallint : T.bigint;
  if (/e/i.test(text)) return T.double;
  if (text.includes('.')) {
    const d = decimalLiteral(text);
    return d.precision > 38 ? T.double : T.decimal(d.precision, d.scale);
  }
  const value = BigInt(text);
  if (value >= -INT_MAX - 1n && value <= INT_MAX) return T.int;
  if (value >= -LONG_MAX - 1n && value <= LONG_MAX) return T.bigint;
  const digits = text.replace(/^[-+]/, '').replace(/^0+/, '').length;
  return digits <= 38 ? T.decimal(digits, 0) : T.double;
}

/** The text of a numeric literal node (`1`, `-1` as the parser nests it, `1L` read as an identifier). */
export function numericLiteralText(node: Node): string | undefined {
  const n = node?.Value?.value?.Number ?? node?.Value?.Number;
  if (n) return String(n[0]);
  const u = node?.UnaryOp;
  if (u && (u.op === 'Minus' || u.op === 'Plus')) {
    const inner = numericLiteralText(u.expr);
    return inner === undefined || /^[-+]/.test(inner) ? undefined : `${u.op === 'Minus' ? '-' : ''}${inner}`;
  }
  const ident = node?.Identifier;
  if (ident && !ident.quote_style && /^\d+[ysl]$/i.test(String(ident.value))) return String(ident.value);
  return undefined;
}

/**
 * The value of an integer literal (`2`, `-3`, `7L`, `1Y`), for Spark's rule that an integer literal
 * next to a decimal counts with its own digits; undefined for anything else.
 */
export function integerLiteralValue(node: Node): bigint | undefined {
  const text = numericLiteralText(node);
  if (text === undefined) return undefined;
  const m = /^([-+]?\d+)[ysl]?$/i.exec(text);
  return m ? BigInt(m[1]!) : undefined;
}

const FIELD_NAMES: Record<string, string> = { year: 'year', years: 'year', month: 'month', months: 'month', day: 'day', days: 'day', hour: 'hour', hours: 'hour', minute: 'minute', minutes: 'minute', second: 'second', seconds: 'second' };

/** The ANSI interval type of `INTERVAL ...` (`interval day`, `interval year to month`); unknown for multi-unit forms. */
export function intervalType(interval: Node): SqlType {
  const field = (f: unknown) => (typeof f === 'string' ? FIELD_NAMES[f.toLowerCase()] : f && typeof f === 'object' ? FIELD_NAMES[Object.keys(f)[0]!.toLowerCase()] : undefined);
  const leading = field(interval?.leading_field);
  const last = field(interval?.last_field);
  if (!leading) return T.unknown;
  if (!last || last === leading) return T.interval(leading);
  return T.interval(`${leading} to ${last}`);
}
