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

const SCALARS: Record<string, SqlType> = {
  string: T.string,
  varchar: T.string,
  char: T.string,
  text: T.string,
  int: T.int,
  integer: T.int,
  smallint: T.int,
  tinyint: T.int,
  short: T.int,
  byte: T.int,
  bigint: T.bigint,
  long: T.bigint,
  double: T.double,
  float: T.double,
  real: T.double,
  boolean: T.boolean,
  bool: T.boolean,
  date: T.date,
  timestamp: T.timestamp,
  timestamp_ntz: T.timestamp,
  timestamp_ltz: T.timestamp,
};

/**
 * Parses a Spark type string (`decimal(18,2)`, `array<struct<a:int,b:string>>`, `varchar(10)`) into
 * a SqlType; throws on anything else, saying where. The one type parser: the analyser (CASTs,
 * declared column types), the bronze writer and the Glue catalog all read types through it.
 */
export function parseSparkType(text: string): SqlType {
  const parser = new TypeParser(text);
  const type = parser.type();
  parser.end();
  return type;
}

/** parseSparkType for SQL being analysed: undefined where the text is not a type it knows. */
export function parseTypeName(text: string): SqlType | undefined {
  try {
    return parseSparkType(text);
  } catch {
    return undefined;
  }
}

class TypeParser {
  private pos = 0;
  constructor(private readonly text: string) {}

  type(): SqlType {
    const word = this.word().toLowerCase();
    if (word === 'decimal' || word === 'dec' || word === 'numeric') {
      if (!this.peek('(')) return T.decimal(10, 0);
      this.expect('(');
      const precision = Number(this.word());
      const scale = this.peek(',') ? (this.expect(','), Number(this.word())) : 0;
      this.expect(')');
      if (!Number.isInteger(precision) || !Number.isInteger(scale) || precision < 1 || precision > 38 || scale < 0 || scale > precision) {
        this.fail(`decimal(${precision},${scale}) is not a valid Spark decimal (precision 1..38, 0 <= scale <= precision)`);
      }
      return T.decimal(precision, scale);
    }
    if (word === 'array') {
      this.expect('<');
      const element = this.type();
      this.expect('>');
      return T.array(element);
    }
    if (word === 'map') {
      this.expect('<');
      const key = this.type();
      this.expect(',');
      const value = this.type();
      this.expect('>');
      return { kind: 'map', key, value };
    }
    if (word === 'struct') {
      this.expect('<');
      const fields: Array<{ name: string; type: SqlType }> = [];
      while (!this.peek('>')) {
        const name = this.word();
        this.expect(':');
        fields.push({ name, type: this.type() });
        if (!this.peek('>')) this.expect(',');
      }
      this.expect('>');
      return { kind: 'struct', fields };
    }
    if ((word === 'varchar' || word === 'char' || word === 'string') && this.peek('(')) {
      this.expect('(');
      this.word();
      this.expect(')');
    }
    const scalar = SCALARS[word];
    if (!scalar) this.fail(`unknown Spark type "${word}"`);
    return scalar;
  }

  end(): void {
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected "${this.text.slice(this.pos)}"`);
  }

  /** A name or number; struct field names keep their case (Spark resolves them case-insensitively). */
  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z0-9_`]+/.exec(this.text.slice(this.pos));
    if (!match) this.fail('expected a name');
    this.pos += match[0].length;
    return match[0].replace(/`/g, '');
  }

  private peek(ch: string): boolean {
    this.skipSpace();
    return this.text[this.pos] === ch;
  }

  private expect(ch: string): void {
    if (!this.peek(ch)) this.fail(`expected "${ch}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private fail(message: string): never {
    throw new Error(`cannot parse Spark type "${this.text}" at offset ${this.pos}: ${message}`);
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
