/** Spark type reasoning: parsing type names, numeric widening, and the common type of branches. */
import type { SqlType } from '../api/columns.js';

export const T = {
  string: { kind: 'string' } as SqlType,
  int: { kind: 'int' } as SqlType,
  bigint: { kind: 'bigint' } as SqlType,
  double: { kind: 'double' } as SqlType,
  boolean: { kind: 'boolean' } as SqlType,
  date: { kind: 'date' } as SqlType,
  timestamp: { kind: 'timestamp' } as SqlType,
  unknown: { kind: 'unknown' } as SqlType,
  null: { kind: 'null' } as SqlType,
  decimal: (precision: number, scale: number): SqlType => ({ kind: 'decimal', precision: Math.min(38, precision), scale: Math.min(scale, 38) }),
  array: (element: SqlType): SqlType => ({ kind: 'array', element }),
};

const NUMERIC_RANK: Record<string, number> = { int: 1, bigint: 2, decimal: 3, double: 4 };
export const isNumeric = (t: SqlType) => t.kind in NUMERIC_RANK;
export const isComplex = (t: SqlType) => t.kind === 'array' || t.kind === 'map' || t.kind === 'struct';
export const isKnown = (t: SqlType) => t.kind !== 'unknown' && t.kind !== 'null';

/** Parses a Spark type name: `decimal(18,2)`, `array<struct<a:int>>`, `varchar(10)`. */
export function parseTypeName(text: string): SqlType | undefined {
  let i = 0;
  const s = text.trim().toLowerCase();
  const ws = () => {
    while (s[i] === ' ') i++;
  };
  const word = () => {
    ws();
    const m = /^[a-z_][a-z0-9_]*/.exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  const expect = (ch: string) => {
    ws();
    if (s[i] !== ch) throw new Error(`expected ${ch}`);
    i++;
  };
  const type = (): SqlType => {
    const w = word();
    switch (w) {
      case 'string':
      case 'varchar':
      case 'char':
      case 'text': {
        ws();
        if (s[i] === '(') {
          while (s[i] !== ')' && i < s.length) i++;
          i++;
        }
        return T.string;
      }
      case 'int':
      case 'integer':
      case 'smallint':
      case 'tinyint':
      case 'short':
      case 'byte':
        return T.int;
      case 'bigint':
      case 'long':
        return T.bigint;
      case 'double':
      case 'float':
      case 'real':
        return T.double;
      case 'boolean':
      case 'bool':
        return T.boolean;
      case 'date':
        return T.date;
      case 'timestamp':
      case 'timestamp_ntz':
      case 'timestamp_ltz':
        return T.timestamp;
      case 'decimal':
      case 'dec':
      case 'numeric': {
        ws();
        if (s[i] !== '(') return T.decimal(10, 0);
        i++;
        const p = Number(word() || /^\d+/.exec(s.slice(i))?.[0]);
        const pm = /^\s*(\d+)/.exec(s.slice(i));
        let precision = p;
        if (pm) {
          precision = Number(pm[1]);
          i += pm[0].length;
        }
        let scale = 0;
        const sm = /^\s*,\s*(\d+)/.exec(s.slice(i));
        if (sm) {
          scale = Number(sm[1]);
          i += sm[0].length;
        }
        expect(')');
        return T.decimal(precision, scale);
      }
      case 'array': {
        expect('<');
        const e = type();
        expect('>');
        return T.array(e);
      }
      case 'map': {
        expect('<');
        const k = type();
        expect(',');
        const v = type();
        expect('>');
        return { kind: 'map', key: k, value: v };
      }
      case 'struct': {
        expect('<');
        const fields: Array<{ name: string; type: SqlType }> = [];
        for (;;) {
          const name = word();
          expect(':');
          fields.push({ name, type: type() });
          ws();
          if (s[i] === ',') {
            i++;
            continue;
          }
          break;
        }
        expect('>');
        return { kind: 'struct', fields };
      }
      default:
        throw new Error(`unknown type ${w}`);
    }
  };
  try {
    const t = type();
    ws();
    return i === s.length ? t : undefined;
  } catch {
    return undefined;
  }
}

/** The type Spark widens two numeric types to for arithmetic. */
export function widenNumeric(a: SqlType, b: SqlType): SqlType {
  if (!isNumeric(a)) return b;
  if (!isNumeric(b)) return a;
  if (a.kind === 'double' || b.kind === 'double') return T.double;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    const da = asDecimal(a);
    const db = asDecimal(b);
    const scale = Math.max(da.scale, db.scale);
    const intDigits = Math.max(da.precision - da.scale, db.precision - db.scale);
    return T.decimal(intDigits + scale, scale);
  }
  return NUMERIC_RANK[a.kind]! >= NUMERIC_RANK[b.kind]! ? a : b;
}

export function asDecimal(t: SqlType): { precision: number; scale: number } {
  if (t.kind === 'decimal') return t;
  if (t.kind === 'int') return { precision: 10, scale: 0 };
  if (t.kind === 'bigint') return { precision: 20, scale: 0 };
  return { precision: 38, scale: 18 };
}

export function sameType(a: SqlType, b: SqlType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The common type of CASE/COALESCE/UNION branches, or undefined when they cannot be reconciled. */
export function commonType(types: SqlType[]): SqlType | undefined {
  const known = types.filter(isKnown);
  if (known.length === 0) return types.some((t) => t.kind === 'unknown') ? T.unknown : T.null;
  if (types.some((t) => t.kind === 'unknown')) return T.unknown;
  let acc: SqlType = known[0]!;
  for (const t of known.slice(1)) {
    if (sameType(acc, t)) continue;
    if (isNumeric(acc) && isNumeric(t)) acc = widenNumeric(acc, t);
    else if ((acc.kind === 'date' && t.kind === 'timestamp') || (acc.kind === 'timestamp' && t.kind === 'date')) acc = T.timestamp;
    else if (isComplex(acc) || isComplex(t)) {
      if (acc.kind !== t.kind) return undefined;
      return T.unknown;
    } else if (acc.kind === 'string' || t.kind === 'string') acc = T.string; // Spark casts the other side to string
    else if (acc.kind === 'boolean' || t.kind === 'boolean') return undefined;
    else acc = T.string;
  }
  return acc;
}
