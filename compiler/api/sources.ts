/**
 * `defineSource`: the typed source declaration. Each system's `connection:` and table keys come
 * from its connector's zod schemas (connectors/<system>/definition.ts), so the types here, the
 * loader's validation and the emitted jobs cannot drift apart; adding a system adds it here too.
 */
import type { ColumnBuilder } from './columns.js';
import type { ConnectionOf, SystemName, TableSettingsOf } from '../../connectors/registry.js';

/** A secret is only ever the name of an environment variable, never its value. */
export interface EnvRef {
  readonly env: string;
}
export const env = (name: string): EnvRef => ({ env: name });

export type { SystemName } from '../../connectors/registry.js';
export type { SnowflakeConnection } from '../../connectors/snowflake/definition.js';
export type { SalesforceConnection } from '../../connectors/salesforce/definition.js';
export type { KafkaConnection } from '../../connectors/kafka/definition.js';
export type { FilesConnection } from '../../connectors/files/definition.js';

/** Duration such as `30m`, `2h`, `1d`. */
export type Duration = `${number}${'s' | 'm' | 'h' | 'd'}`;

export interface Freshness {
  /** Column holding the time a record was last loaded or changed. Defaults to the cursor. */
  loadedAtColumn?: string;
  warnAfter?: Duration;
  errorAfter?: Duration;
}

export type DriftPolicy = 'evolve' | 'fail' | 'quarantine';

export interface BronzeLayout {
  /** Partition columns in bronze; defaults to `ingest_date`. */
  partitionBy?: string[];
  /** Override the bronze table name (defaults to `<source>_<table>`). */
  table?: string;
}

type Columns = Record<string, ColumnBuilder<any>>;

/** Keys every table of every system has (validated by compiler/load/source-schema.ts). */
export interface TableCommon<C extends Columns = Columns> {
  description?: string;
  columns: C;
  /** Incremental cursor column (must be one of `columns`). */
  cursor?: Extract<keyof C, string>;
  freshness?: Freshness;
  /** When production ingests it (EventBridge Scheduler, `etl infra generate`): `hourly`, `daily` or a
   *  five-field cron string in UTC (`15 6 * * 1-5`). Default: hourly when `freshness.warnAfter` is 2h or less, else daily. */
  schedule?: 'hourly' | 'daily' | (string & {});
  bronze?: BronzeLayout;
  drift?: DriftPolicy;
  owner?: string;
  tags?: string[];
}

/** A table of system S: the common keys plus the system's own (`table`, `object`, `topic`, `folder`...). */
export type SourceTable<S extends SystemName, C extends Columns = Columns> = TableCommon<C> & TableSettingsOf<S>;
export type SnowflakeTable<C extends Columns = Columns> = SourceTable<'snowflake', C>;
export type SalesforceTable<C extends Columns = Columns> = SourceTable<'salesforce', C>;
export type KafkaTable<C extends Columns = Columns> = SourceTable<'kafka', C>;
export type FilesTable<C extends Columns = Columns> = SourceTable<'files', C>;

interface SourceBase<T> {
  /** Name used in `{{source "name" "table"}}`. */
  name: string;
  description?: string;
  owner?: string;
  tables: T;
}

/** The declaration of a source of system S. */
export type SourceDeclaration<S extends SystemName, T = Record<string, SourceTable<S>>> = SourceBase<T> & { system: S; connection: ConnectionOf<S> };

/** Any system's declaration. */
export type SourceDefinition = { [S in SystemName]: SourceDeclaration<S> }[SystemName];

/** Marker so the loader can tell a source module's export from anything else. */
export const SOURCE_BRAND = Symbol.for('lakehouse-etl.source');

export type DefinedSource<D> = D & { readonly [SOURCE_BRAND]: true };

/**
 * Declares a source system and its typed tables. The literal column types are kept
 * (`const` generic) so generated typings and TypeScript models can see each column.
 */
export function defineSource<const S extends SystemName, const T extends Record<string, SourceTable<S>>>(
  def: SourceDeclaration<S, T>,
): DefinedSource<SourceDeclaration<S, T>> {
  return Object.assign(Object.create(null), def, { [SOURCE_BRAND]: true as const });
}
