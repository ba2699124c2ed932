/**
 * The authoring API for models and their configuration. Config keys are snake_case
 * everywhere (SQL `{{config}}`, YAML sidecars, TypeScript models) so there is one shape.
 */
import type { ModelMeta } from '../config/model-config.js';

// The config and metadata types are derived from the zod schemas the compiler validates with
// (compiler/config/model-config.ts): one shape, whether written in YAML, `{{config}}` or here.
export type {
  ColumnMeta,
  IncrementalStrategy,
  Materialization,
  ModelConfig,
  ModelMeta,
  Severity,
  TestArgs,
  TestSpec,
} from '../config/model-config.js';

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
  /**
   * A project var as SQL: a quoted literal for a string (`'2015-01-01'`), a literal for a number or
   * boolean, comma-separated literals for a list; verbatim only when declared `{ value, raw: true }`.
   */
  var(name: string, fallback?: unknown): string;
  /** A project var's value itself, for logic in `sql()`; never interpolate it into SQL (use `var`). */
  varValue(name: string, fallback?: unknown): unknown;
  /** True when the model is incremental, already exists and no full refresh was asked for. */
  readonly isIncremental: boolean;
  /** The model's own table (for incremental filters). */
  readonly this: string;
}

/** What a TypeScript model declares: its metadata (unit tests live in a sidecar YAML) and its SQL. */
export interface TypeScriptModel extends Omit<ModelMeta, 'unit_tests'> {
  /** Defaults to the file name. */
  name?: string;
  sql: (ctx: ModelContext) => string;
}

export const MODEL_BRAND = Symbol.for('lakehouse-etl.model');
export type DefinedModel = TypeScriptModel & { readonly [MODEL_BRAND]: true };

export function defineModel(model: TypeScriptModel): DefinedModel {
  return Object.assign(Object.create(null), model, { [MODEL_BRAND]: true as const });
}
