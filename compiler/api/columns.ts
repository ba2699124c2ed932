/**
 * Typed column builders for source declarations, in the style of Drizzle:
 * each builder carries the TypeScript type of its values (`T`) so a table's
 * row type is inferred from its declaration.
 */

/** `pseudonymised`: PII through a mask (`{{mask_hash}}`, ...); a governance policy never forbids it. */
export type Classification = 'pii' | 'sensitive' | 'restricted' | 'pseudonymised';

/** A Spark SQL data type, as the compiler reasons about it. */
export type SqlType =
  | { kind: 'string' }
  | { kind: 'tinyint' }
  | { kind: 'smallint' }
  | { kind: 'int' }
  | { kind: 'bigint' }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'boolean' }
  | { kind: 'binary' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  /** An ANSI interval: `fields` is Spark's `day`, `day to second`, `year to month`, ... */
  | { kind: 'interval'; fields: string }
  | { kind: 'decimal'; precision: number; scale: number }
  /** `containsNull: false` where the elements are known never NULL (absent: they may be). */
  | { kind: 'array'; element: SqlType; containsNull?: boolean }
  /** `valueContainsNull: false` where the values are known never NULL (absent: they may be). */
  | { kind: 'map'; key: SqlType; value: SqlType; valueContainsNull?: boolean }
  /** A field's `nullable: false` where it is known never NULL (absent: it may be). */
  | { kind: 'struct'; fields: Array<{ name: string; type: SqlType; nullable?: boolean }> }
  /** Unknown: the analyser could not be sure (e.g. an untyped function). */
  | { kind: 'unknown' }
  | { kind: 'null' };

export interface ColumnSpec {
  readonly type: SqlType;
  readonly nullable: boolean;
  readonly primaryKey: boolean;
  readonly classification: readonly Classification[];
  readonly description?: string;
  /** Name of the field in the source system when it differs (e.g. Salesforce `Email`). */
  readonly sourceName?: string;
  /** A GDPR/CCPA data-subject key (`.subject('customer')`): `etl erase --subject KEY=VALUE` finds the subject's rows by it. */
  readonly subject?: SubjectKeySpec;
}

/** The subject kind (`customer`, `lead`) and the key name `--subject` uses (default: the column's name). */
export interface SubjectKeySpec {
  readonly kind: string;
  readonly key?: string;
}

/** Marks builders across module instances (a project may load this API as CommonJS or ESM). */
export const COLUMN_BRAND = Symbol.for('lakehouse-etl.column');

/** A column builder; `T` is the TypeScript type of the column's values. */
export class ColumnBuilder<T = unknown> {
  declare readonly __value: T;
  readonly [COLUMN_BRAND] = true;
  constructor(readonly spec: ColumnSpec) {}

  private with(patch: Partial<ColumnSpec>): ColumnBuilder<T> {
    return new ColumnBuilder<T>({ ...this.spec, ...patch });
  }
  notNull(): ColumnBuilder<T> {
    return this.with({ nullable: false });
  }
  primaryKey(): ColumnBuilder<T> {
    return this.with({ primaryKey: true, nullable: false });
  }
  pii(): ColumnBuilder<T> {
    return this.classify('pii');
  }
  sensitive(): ColumnBuilder<T> {
    return this.classify('sensitive');
  }
  restricted(): ColumnBuilder<T> {
    return this.classify('restricted');
  }
  classify(...classes: Classification[]): ColumnBuilder<T> {
    const merged = [...new Set([...this.spec.classification, ...classes])].sort();
    return this.with({ classification: merged });
  }
  describe(description: string): ColumnBuilder<T> {
    return this.with({ description });
  }
  /**
   * Declares the column a key of a data subject (GDPR/CCPA erasure): `kind` names who (`customer`,
   * `lead`), `key` the name `etl erase --subject KEY=VALUE` uses (default: the column's name).
   */
  subject(kind: string, key?: string): ColumnBuilder<T> {
    return this.with({ subject: { kind, ...(key ? { key } : {}) } });
  }
  /** The field's name in the source system, when it differs from the column name. */
  from(sourceName: string): ColumnBuilder<T> {
    return this.with({ sourceName });
  }
}

function column<T>(type: SqlType): ColumnBuilder<T> {
  return new ColumnBuilder<T>({ type, nullable: true, primaryKey: false, classification: [] });
}

type Inner = ColumnBuilder<unknown> | SqlType;
export const isColumnBuilder = (value: unknown): value is ColumnBuilder<unknown> =>
  typeof value === 'object' && value !== null && COLUMN_BRAND in value;
const typeOf = (c: Inner): SqlType => (isColumnBuilder(c) ? c.spec.type : c);

/** Column type factories: `t.decimal(18, 2).notNull().sensitive()`. */
export const t = {
  string: () => column<string>({ kind: 'string' }),
  int: () => column<number>({ kind: 'int' }),
  bigint: () => column<bigint>({ kind: 'bigint' }),
  double: () => column<number>({ kind: 'double' }),
  boolean: () => column<boolean>({ kind: 'boolean' }),
  date: () => column<string>({ kind: 'date' }),
  timestamp: () => column<string>({ kind: 'timestamp' }),
  decimal: (precision: number, scale: number) => {
    if (!Number.isInteger(precision) || precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      throw new Error(`decimal(${precision}, ${scale}) is not a valid Spark decimal: precision 1..38, 0 <= scale <= precision`);
    }
    return column<string>({ kind: 'decimal', precision, scale });
  },
  array: <E>(element: ColumnBuilder<E>) => column<E[]>({ kind: 'array', element: typeOf(element) }),
  map: <V>(key: ColumnBuilder<string>, value: ColumnBuilder<V>) =>
    column<Record<string, V>>({ kind: 'map', key: typeOf(key), value: typeOf(value) }),
  struct: <F extends Record<string, ColumnBuilder<unknown>>>(fields: F) =>
    column<{ [K in keyof F]: F[K]['__value'] }>({
      kind: 'struct',
      fields: Object.entries(fields).map(([name, b]) => ({ name, type: b.spec.type })),
    }),
};

/** Renders a type in Spark SQL syntax: `decimal(18,2)`, `array<struct<a:int>>`. */
export function formatType(type: SqlType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${formatType(type.element)}>`;
    case 'map':
      return `map<${formatType(type.key)},${formatType(type.value)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${formatType(f.type)}`).join(',')}>`;
    case 'interval':
      return `interval ${type.fields}`;
    case 'null':
      return 'void';
    default:
      return type.kind;
  }
}
