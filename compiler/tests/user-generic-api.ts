/**
 * `defineTest`: a generic data test written once in TypeScript (`tests/generic/<name>.ts`) and used
 * by name from sidecar YAML and TypeScript models like the built-in ones. Its arguments are typed
 * (`arg.number()`, `arg.list().optional()`...): `sql` sees them typed, and the compiler checks every
 * use (a missing, unknown or wrongly typed argument is an error at the use, ETL420-ETL422).
 */

export type ArgKind = 'string' | 'number' | 'boolean' | 'list' | 'column';

export interface ArgSpec {
  readonly kind: ArgKind;
  readonly optional: boolean;
  readonly description?: string;
}

export const ARG_BRAND = Symbol.for('lakehouse-etl.test-arg');

/** One argument of a user-defined test; `T` is the type `sql` sees. */
export class ArgBuilder<T> {
  declare readonly __value: T;
  readonly [ARG_BRAND] = true;
  constructor(readonly spec: ArgSpec) {}
  optional(): ArgBuilder<T | undefined> {
    return new ArgBuilder<T | undefined>({ ...this.spec, optional: true });
  }
  describe(description: string): ArgBuilder<T> {
    return new ArgBuilder<T>({ ...this.spec, description });
  }
}

const argOf = <T>(kind: ArgKind) => new ArgBuilder<T>({ kind, optional: false });

/** Argument types: `column` is a column name of the tested model (checked, and quoted in SQL). */
export const arg = {
  string: () => argOf<string>('string'),
  number: () => argOf<number>('number'),
  boolean: () => argOf<boolean>('boolean'),
  list: () => argOf<Array<string | number | boolean>>('list'),
  column: () => argOf<string>('column'),
};

type Args = Record<string, ArgBuilder<unknown>>;
type ArgValues<A extends Args> = { [K in keyof A]: A[K]['__value'] };

/** What a test's `sql` is called with. */
export interface TestSqlContext<V> {
  /** The tested relation (`silver.stg_orders`), already filtered by the use's `where:` if any. */
  model: string;
  /** The tested column, quoted (`` `amount` ``); undefined for a test on the whole model. */
  column: string | undefined;
  /** The tested column's name as written. */
  columnName: string | undefined;
  /** The arguments of this use, as written (lists as arrays). */
  args: V;
  /** A SQL literal of a value: `'text'`, `42`, `TRUE`; a list as comma-separated literals. */
  literal(value: unknown): string;
  /** A quoted identifier. */
  quote(name: string): string;
}

export interface TestDefinition<A extends Args> {
  /** Used by this name in `tests:`; defaults to the file name. */
  name?: string;
  description?: string;
  args: A;
  /** SQL returning the failing rows. */
  sql: (ctx: TestSqlContext<ArgValues<A>>) => string;
}

export const TEST_BRAND = Symbol.for('lakehouse-etl.generic-test');
export type DefinedTest<A extends Args = Args> = TestDefinition<A> & { readonly [TEST_BRAND]: true };

export function defineTest<const A extends Args>(def: TestDefinition<A>): DefinedTest<A> {
  return Object.assign(Object.create(null), def, { [TEST_BRAND]: true as const });
}
