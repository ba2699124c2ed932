/**
 * A seed's CSV text read as typed values: each field checked against its column's declared type and
 * converted to a JSON value that keeps it exactly (integers and doubles as numbers, booleans as
 * booleans; bigint, decimal, date and timestamp as their canonical text, which Spark casts without
 * loss). An empty field is NULL, as in dbt.
 */
import type { SqlType } from '../api/columns.js';

export type SeedValue = string | number | boolean | null;

export type Typed = { ok: true; value: SeedValue } | { ok: false; expected: string };

const INT_RANGES: Record<string, [bigint, bigint]> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(Z|[+-]\d{2}:\d{2})?$/;

function validDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** Types a seed column may have: scalars only (a CSV field holds one value). */
export function seedTypeSupported(type: SqlType): boolean {
  return !['array', 'map', 'struct', 'binary', 'interval', 'unknown', 'null'].includes(type.kind);
}

/** One CSV field as a value of `type`, or what was expected. */
export function typedValue(text: string, type: SqlType): Typed {
  if (text === '') return { ok: true, value: null };
  const fail = (expected: string): Typed => ({ ok: false, expected });
  switch (type.kind) {
    case 'string':
      return { ok: true, value: text };
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint': {
      const [min, max] = INT_RANGES[type.kind]!;
      if (!INTEGER.test(text)) return fail(`an integer (${type.kind})`);
      const n = BigInt(text);
      if (n < min || n > max) return fail(`an integer between ${min} and ${max} (${type.kind})`);
      return { ok: true, value: type.kind === 'bigint' ? n.toString() : Number(n) };
    }
    case 'float':
    case 'double': {
      const n = Number(text);
      return text.trim() === text && Number.isFinite(n) ? { ok: true, value: n } : fail(`a number (${type.kind})`);
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      return lower === 'true' || lower === 'false' ? { ok: true, value: lower === 'true' } : fail('true or false (boolean)');
    }
    case 'decimal': {
      const m = DECIMAL.exec(text);
      const expected = `a decimal with at most ${type.precision - type.scale} digits before the point and ${type.scale} after (decimal(${type.precision},${type.scale}))`;
      if (!m || (m[2] === '' && (m[3] ?? '') === '')) return fail(expected);
      const whole = m[2]!.replace(/^0+(?=\d)/, '');
      const fraction = m[3] ?? '';
      if ((whole === '0' ? 0 : whole.length) > type.precision - type.scale || fraction.length > type.scale) return fail(expected);
      return { ok: true, value: `${m[1] === '-' ? '-' : ''}${whole || '0'}${fraction ? `.${fraction}` : ''}` };
    }
    case 'date':
      return validDate(text) ? { ok: true, value: text } : fail('a date YYYY-MM-DD');
    case 'timestamp': {
      const m = TIMESTAMP.exec(text);
      const hours = Number(m?.[2] ?? 0);
      const minutes = Number(m?.[3] ?? 0);
      const seconds = Number(m?.[4] ?? 0);
      if (!m || !validDate(m[1]!) || hours > 23 || minutes > 59 || seconds > 59) return fail('a timestamp YYYY-MM-DD HH:MM:SS[.ffffff][Z|+hh:mm]');
      return { ok: true, value: text };
    }
    default:
      return fail(`a supported seed type (not ${type.kind})`);
  }
}
