/** Spark type reasoning: parsing type names, numeric widening, and the common type of branches. */
import { formatType, type SqlType } from '../api/columns.js';
import { INTEGRAL_AS_DECIMAL, widerDecimal, type Decimal } from './spark-types/decimal-rules.js';

export const T = {
  string: { kind: 'string' } as SqlType,
  tinyint: { kind: 'tinyint' } as SqlType,
  smallint: { kind: 'smallint' } as SqlType,
  int: { kind: 'int' } as SqlType,
  bigint: { kind: 'bigint' } as SqlType,
  float: { kind: 'float' } as SqlType,
  double: { kind: 'double' } as SqlType,
  boolean: { kind: 'boolean' } as SqlType,
  binary: { kind: 'binary' } as SqlType,
  date: { kind: 'date' } as SqlType,
  timestamp: { kind: 'timestamp' } as SqlType,
  unknown: { kind: 'unknown' } as SqlType,
  null: { kind: 'null' } as SqlType,
  decimal: (precision: number, scale: number): SqlType => ({ kind: 'decimal', precision: Math.min(38, precision), scale: Math.min(scale, 38) }),
  /** An array; `containsNull: false` when its elements are known never NULL. */
  array: (element: SqlType, containsNull = true): SqlType => (containsNull ? { kind: 'array', element } : { kind: 'array', element, containsNull: false }),
  interval: (fields: string): SqlType => ({ kind: 'interval', fields }),
};

/** Spark's numeric precedence for implicit widening (decimals are placed by their digits). */
const NUMERIC_RANK: Record<string, number> = { tinyint: 1, smallint: 2, int: 3, bigint: 4, decimal: 5, float: 6, double: 7 };
export const isNumeric = (t: SqlType) => t.kind in NUMERIC_RANK;
export const isIntegral = (t: SqlType) => t.kind === 'tinyint' || t.kind === 'smallint' || t.kind === 'int' || t.kind === 'bigint';
export const isFloating = (t: SqlType) => t.kind === 'float' || t.kind === 'double';
export const isComplex = (t: SqlType) => t.kind === 'array' || t.kind === 'map' || t.kind === 'struct';
export const isKnown = (t: SqlType) => t.kind !== 'unknown' && t.kind !== 'null';
export const isDatetime = (t: SqlType) => t.kind === 'date' || t.kind === 'timestamp';

const SCALARS: Record<string, SqlType> = {
  string: T.string,
  varchar: T.string,
  char: T.string,
  text: T.string,
  tinyint: T.tinyint,
  byte: T.tinyint,
  smallint: T.smallint,
  short: T.smallint,
  int: T.int,
  integer: T.int,
  bigint: T.bigint,
  long: T.bigint,
  float: T.float,
  real: T.float,
  double: T.double,
  boolean: T.boolean,
  bool: T.boolean,
  binary: T.binary,
  date: T.date,
  timestamp: T.timestamp,
  timestamp_ntz: T.timestamp,
  timestamp_ltz: T.timestamp,
  void: T.null,
};

const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second']);

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
    if (word === 'interval') {
      const fields: string[] = [];
      while (this.peekWord((w) => INTERVAL_FIELDS.has(w) || (w === 'to' && fields.length === 1))) fields.push(this.word().toLowerCase());
      if (fields.length !== 1 && fields.length !== 3) this.fail('expected an interval qualifier such as "day" or "day to second"');
      return T.interval(fields.join(' '));
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

  private peekWord(accept: (word: string) => boolean): boolean {
    this.skipSpace();
    const match = /^[A-Za-z]+/.exec(this.text.slice(this.pos));
    return match !== null && accept(match[0].toLowerCase());
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

/** The type Spark widens two numeric types to (TypeCoercion's tightest common type, wider decimals). */
export function widenNumeric(a: SqlType, b: SqlType): SqlType {
  if (!isNumeric(a)) return b;
  if (!isNumeric(b)) return a;
  if (a.kind === 'decimal' || b.kind === 'decimal') {
    if (isFloating(a) || isFloating(b)) return T.double;
    const d = widerDecimal(asDecimal(a), asDecimal(b));
    return T.decimal(d.precision, d.scale);
  }
  return NUMERIC_RANK[a.kind]! >= NUMERIC_RANK[b.kind]! ? a : b;
}

/** DecimalType.forType: integers as decimal(3|5|10|20, 0), floating types as Spark widens them. */
export function asDecimal(t: SqlType): Decimal {
  if (t.kind === 'decimal') return t;
  return INTEGRAL_AS_DECIMAL[t.kind] ?? { precision: 38, scale: 18 };
}

/** The same Spark type, whatever is known of the nullability of elements and fields. */
export function sameType(a: SqlType, b: SqlType): boolean {
  return formatType(a) === formatType(b);
}

/** Whether a value of the type may hold NULL elements (arrays) or fields (structs). */
const mayBeNull = (flag: boolean | undefined) => flag !== false;

/** The common type of two types (CASE, COALESCE, UNION, arrays), or undefined when Spark has none. */
function commonOfTwo(a: SqlType, b: SqlType): SqlType | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (isNumeric(a) && isNumeric(b)) return widenNumeric(a, b);
  if (isDatetime(a) && isDatetime(b)) return T.timestamp;
  if (a.kind === 'array' && b.kind === 'array') {
    const element = commonOfTwo(a.element, b.element);
    return element && T.array(element, mayBeNull(a.containsNull) || mayBeNull(b.containsNull));
  }
  if (a.kind === 'map' && b.kind === 'map') {
    const key = commonOfTwo(a.key, b.key);
    const value = commonOfTwo(a.value, b.value);
    const nullValues = mayBeNull(a.valueContainsNull) || mayBeNull(b.valueContainsNull);
    return key && value && { kind: 'map', key, value, ...(nullValues ? {} : { valueContainsNull: false }) };
  }
  if (a.kind === 'struct' && b.kind === 'struct') {
    if (a.fields.length !== b.fields.length || a.fields.some((f, i) => f.name.toLowerCase() !== b.fields[i]!.name.toLowerCase())) return undefined;
    const fields = a.fields.map((f, i) => {
      const nullable = mayBeNull(f.nullable) || mayBeNull(b.fields[i]!.nullable);
      return { name: f.name, type: commonOfTwo(f.type, b.fields[i]!.type), ...(nullable ? {} : { nullable }) };
    });
    return fields.every((f) => f.type) ? { kind: 'struct', fields: fields as Array<{ name: string; type: SqlType; nullable?: boolean }> } : undefined;
  }
  if (isComplex(a) || isComplex(b)) return undefined;
  if (a.kind === 'string' || b.kind === 'string') return a.kind === 'binary' || b.kind === 'binary' ? undefined : T.string; // the other side is cast to string
  if (a.kind === 'boolean' || b.kind === 'boolean') return undefined;
  return undefined;
}

/** The common type of CASE/COALESCE/UNION branches, or undefined when they cannot be reconciled. */
export function commonType(types: SqlType[]): SqlType | undefined {
  const known = types.filter(isKnown);
  if (known.length === 0) return types.some((t) => t.kind === 'unknown') ? T.unknown : T.null;
  if (types.some((t) => t.kind === 'unknown')) return T.unknown;
  let acc: SqlType = known[0]!;
  for (const t of known.slice(1)) {
    const next = commonOfTwo(acc, t);
    if (next === undefined) return undefined;
    acc = next;
  }
  return acc;
}
