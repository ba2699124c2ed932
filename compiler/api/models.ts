/**
 * The authoring API for models and their configuration. Config keys are snake_case
 * everywhere (SQL `{{config}}`, YAML sidecars, TypeScript models) so there is one shape.
 */
import type { Classification } from './columns.js';

export type Materialization = 'view' | 'table' | 'incremental' | 'ephemeral';
export type IncrementalStrategy = 'append' | 'merge' | 'insert_overwrite';
export type Severity = 'error' | 'warn';

export interface ModelConfig {
  materialized?: Materialization;
  incremental_strategy?: IncrementalStrategy;
  unique_key?: string | string[];
  partition_by?: string | string[];
  zorder_by?: string | string[];
  /** Absolute location; defaults to `<layer root>/<model name>`. */
  location?: string;
  tblproperties?: Record<string, string>;
  /** Catalog database override (defaults to the layer's database). */
  database?: string;
  /** Table name override (defaults to the model name). */
  alias?: string;
  tags?: string[];
  owner?: string;
  enabled?: boolean;
  /** For `merge`: columns updated when matched (default: all). */
  merge_update_columns?: string[];
  /** Fails the build if the inferred columns differ from the declared `columns`. */
  contract?: boolean;
}

/** A generic data test applied to a column or a model. */
export type TestSpec = string | Record<string, TestArgs | null>;
export interface TestArgs {
  severity?: Severity;
  /** Threshold such as `>10`: a failing-row count that triggers a warning. */
  warn_if?: string;
  error_if?: string;
  where?: string;
  [arg: string]: unknown;
}

export interface ColumnMeta {
  description?: string;
  /** Declared type for contracts, e.g. `decimal(18,2)`. */
  data_type?: string;
  classification?: Classification[];
  tests?: TestSpec[];
}

export interface ModelMeta {
  description?: string;
  owner?: string;
  tags?: string[];
  config?: ModelConfig;
  columns?: Record<string, ColumnMeta>;
  tests?: TestSpec[];
}

/**
 * Registries filled by the typings that `etl compile` generates into `.etl/types/`
 * (module augmentation). Until then they are empty and every name is accepted.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ProjectModels {}
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ProjectSources {}

type ModelName = keyof ProjectModels extends never ? string : Extract<keyof ProjectModels, string>;
type ModelColumns<N> = N extends keyof ProjectModels ? ProjectModels[N] : Record<string, unknown>;
type SourceName = keyof ProjectSources extends never ? string : Extract<keyof ProjectSources, string>;
type SourceTableName<S> = S extends keyof ProjectSources ? Extract<keyof ProjectSources[S], string> : string;
type SourceColumns<S, T> = S extends keyof ProjectSources
  ? T extends keyof ProjectSources[S]
    ? ProjectSources[S][T]
    : Record<string, unknown>
  : Record<string, unknown>;

/** A relation in a TypeScript model: interpolates as its table name; `.c` names its columns. */
export interface Relation<Cols> {
  /** Column names, checked by `tsc`: `orders.c.amount`. */
  readonly c: { readonly [K in keyof Cols]: string };
  /** The same relation with an alias: `${orders.as('o')}` renders `table o`; columns render `o.col`. */
  as(alias: string): Relation<Cols>;
  toString(): string;
}

export interface ModelContext {
  ref<N extends ModelName>(name: N): Relation<ModelColumns<N>>;
  source<S extends SourceName, T extends SourceTableName<S>>(source: S, table: T): Relation<SourceColumns<S, T>>;
  var(name: string, fallback?: unknown): unknown;
  /** True when the model is incremental, already exists and no full refresh was asked for. */
  readonly isIncremental: boolean;
  /** The model's own table (for incremental filters). */
  readonly this: string;
}

export interface TypeScriptModel extends ModelMeta {
  /** Defaults to the file name. */
  name?: string;
  sql: (ctx: ModelContext) => string;
}

export const MODEL_BRAND = Symbol.for('lakehouse-etl.model');
export type DefinedModel = TypeScriptModel & { readonly [MODEL_BRAND]: true };

export function defineModel(model: TypeScriptModel): DefinedModel {
  return Object.assign(Object.create(null), model, { [MODEL_BRAND]: true as const });
}
