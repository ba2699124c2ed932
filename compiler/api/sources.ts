import type { ColumnBuilder } from './columns.js';

/** A secret is only ever the name of an environment variable, never its value. */
export interface EnvRef {
  readonly env: string;
}
export const env = (name: string): EnvRef => ({ env: name });

export type SnowflakeAuth =
  | { kind: 'password'; username: EnvRef; password: EnvRef }
  | { kind: 'keypair'; username: EnvRef; privateKeyPath: EnvRef; privateKeyPassphrase?: EnvRef }
  | { kind: 'oauth'; token: EnvRef };

export interface SnowflakeConnection {
  account: string;
  warehouse: string;
  database: string;
  schema: string;
  role?: string;
  auth: SnowflakeAuth;
}

export type SalesforceAuth =
  | { kind: 'refresh_token'; clientId: EnvRef; clientSecret: EnvRef; refreshToken: EnvRef }
  | { kind: 'jwt_bearer'; clientId: EnvRef; username: EnvRef; privateKeyPath: EnvRef };

export interface SalesforceConnection {
  loginUrl: string;
  instanceUrl?: string;
  apiVersion: '58.0';
  auth: SalesforceAuth;
}

export interface KafkaConnection {
  brokers: string[];
  securityProtocol: 'PLAINTEXT' | 'SASL_SSL' | 'SASL_PLAINTEXT' | 'SSL';
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: EnvRef; password: EnvRef };
  schemaRegistryUrl?: string;
  consumerGroupPrefix?: string;
}

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

interface TableCommon<C extends Columns> {
  description?: string;
  columns: C;
  /** Incremental cursor column (must be one of `columns`). */
  cursor?: Extract<keyof C, string>;
  freshness?: Freshness;
  bronze?: BronzeLayout;
  drift?: DriftPolicy;
  owner?: string;
  tags?: string[];
}

export interface SnowflakeTable<C extends Columns = Columns> extends TableCommon<C> {
  /** Table name in Snowflake (e.g. `CUSTOMER_ORDERS`). */
  table: string;
  /** Rows extracted per incremental window. */
  windowSize?: Duration;
}
export interface SalesforceTable<C extends Columns = Columns> extends TableCommon<C> {
  /** sObject API name (e.g. `Lead`). */
  object: string;
  /** Bulk API 2.0 for extracts expected above this many rows. */
  bulkThreshold?: number;
  includeDeleted?: boolean;
}
export interface KafkaTable<C extends Columns = Columns> extends TableCommon<C> {
  topic: string;
  partitions: number;
  valueFormat: 'json' | 'avro';
  keyColumn?: Extract<keyof C, string>;
  /** Column holding the event time; bronze partitions come from it. */
  eventTimeColumn?: Extract<keyof C, string>;
  rotation?: { maxRecords?: number; maxBytes?: number; maxRecordTimeSpan?: Duration };
}

interface SourceBase<T> {
  /** Name used in `{{source "name" "table"}}` (defaults to the system). */
  name: string;
  description?: string;
  owner?: string;
  tables: T;
}

export type SourceDefinition =
  | (SourceBase<Record<string, SnowflakeTable>> & { system: 'snowflake'; connection: SnowflakeConnection })
  | (SourceBase<Record<string, SalesforceTable>> & { system: 'salesforce'; connection: SalesforceConnection })
  | (SourceBase<Record<string, KafkaTable>> & { system: 'kafka'; connection: KafkaConnection });

/** Marker so the loader can tell a source module's export from anything else. */
export const SOURCE_BRAND = Symbol.for('lakehouse-etl.source');

export type DefinedSource<D> = D & { readonly [SOURCE_BRAND]: true };

type SnowflakeDef<T> = SourceBase<T> & { system: 'snowflake'; connection: SnowflakeConnection };
type SalesforceDef<T> = SourceBase<T> & { system: 'salesforce'; connection: SalesforceConnection };
type KafkaDef<T> = SourceBase<T> & { system: 'kafka'; connection: KafkaConnection };

/**
 * Declares a source system and its typed tables. The literal column types are kept
 * (`const` generic) so generated typings and TypeScript models can see each column.
 */
export function defineSource<const T extends Record<string, SnowflakeTable>>(
  def: SnowflakeDef<T>,
): DefinedSource<SnowflakeDef<T>>;
export function defineSource<const T extends Record<string, SalesforceTable>>(
  def: SalesforceDef<T>,
): DefinedSource<SalesforceDef<T>>;
export function defineSource<const T extends Record<string, KafkaTable>>(
  def: KafkaDef<T>,
): DefinedSource<KafkaDef<T>>;
export function defineSource(def: SourceDefinition): DefinedSource<SourceDefinition> {
  return Object.assign(Object.create(null), def, { [SOURCE_BRAND]: true as const });
}
