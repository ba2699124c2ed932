/**
 * The manifest: the one serialisable product of the compile core. The CLI, the Spark
 * runner, the ingestion jobs, the docs site and the AWS target read it and nothing else.
 * Bump MANIFEST_VERSION on any breaking change of shape.
 */
import type { Classification } from '../api/columns.js';
import type { IncrementalStrategy, Materialization, Severity } from '../api/models.js';

export const MANIFEST_VERSION = 1 as const;

export type LayerName = 'bronze' | 'silver' | 'gold';
export type SourceSystem = 'snowflake' | 'salesforce' | 'kafka';

export interface LayerSettings {
  /** Root URI of the layer, e.g. `data/warehouse/silver` (local) or `s3://bucket/silver`. */
  root: string;
  /** Catalog database (Glue / Spark catalog). */
  database: string;
}

export interface TargetSettings {
  name: string;
  kind: 'local' | 'emr';
  layers: Record<LayerName, LayerSettings>;
  /** Everything else the target declared in project.yaml (EMR cluster, S3 bucket, Spark confs...). */
  settings: Record<string, unknown>;
}

/** A column of a source table, bronze table or model. `type` is Spark SQL syntax. */
export interface ManifestColumn {
  name: string;
  type: string;
  nullable: boolean;
  classification: Classification[];
  description?: string;
}

/** `node` is a source id (`source.snowflake.customer_orders`) or model id (`model.stg_orders`). */
export interface ColumnRef {
  node: string;
  column: string;
}

/** How an upstream column influences a model. */
export type LineageRole = 'value' | 'filter' | 'join' | 'group' | 'window' | 'order';

export interface ModelColumn extends ManifestColumn {
  /** Upstream columns whose values flow into this column. */
  upstream: ColumnRef[];
  /** Source columns this column derives from, through every model in between. */
  sources: ColumnRef[];
}

export interface RowDependency extends ColumnRef {
  role: Exclude<LineageRole, 'value'>;
}

export interface ManifestSource {
  id: string;
  /** Source name as used in `{{source "name" "table"}}`. */
  sourceName: string;
  table: string;
  system: SourceSystem;
  file: string;
  description?: string;
  owner?: string;
  tags: string[];
  /** System settings (account, warehouse, object, topic...) with secrets as `{ env: NAME }`. */
  connection: Record<string, unknown>;
  /** Table-level settings: Snowflake table, Salesforce object, Kafka topic and partitions... */
  settings: Record<string, unknown>;
  columns: Array<ManifestColumn & { primaryKey: boolean; sourceName?: string }>;
  primaryKey: string[];
  cursor?: string;
  freshness?: { loadedAtColumn: string; warnAfterSeconds?: number; errorAfterSeconds?: number };
  drift: 'evolve' | 'fail' | 'quarantine';
  bronze: {
    database: string;
    table: string;
    /** `database.table` */
    relation: string;
    location: string;
    format: 'parquet';
    partitionBy: string[];
    /** Metadata columns appended by ingestion (`_run_id`, `_extracted_at`, ...). */
    metadataColumns: ManifestColumn[];
    /**
     * Spark SQL that registers the bronze table over the landed Parquet files and picks up new
     * partitions: `CREATE DATABASE IF NOT EXISTS`, `CREATE TABLE IF NOT EXISTS ... USING PARQUET
     * PARTITIONED BY (ingest_date) LOCATION ...`, `ALTER TABLE ... RECOVER PARTITIONS`.
     */
    statements: string[];
  };
  /** Path of the generated ingestion job spec under target/. */
  ingestionJob: string;
  checksum: string;
}

export interface ManifestModel {
  id: string;
  name: string;
  layer: Exclude<LayerName, 'bronze'>;
  language: 'sql' | 'typescript';
  file: string;
  /** Sidecar YAML file, if any. */
  metaFile?: string;
  description?: string;
  owner?: string;
  tags: string[];
  materialized: Materialization;
  config: {
    incremental_strategy?: IncrementalStrategy;
    unique_key?: string[];
    partition_by?: string[];
    zorder_by?: string[];
    tblproperties?: Record<string, string>;
    merge_update_columns?: string[];
    contract?: boolean;
  };
  /** Where the model lives; ephemeral models have none. */
  relation?: { database: string; table: string; fqn: string; location: string };
  dependsOn: { models: string[]; sources: string[] };
  columns: ModelColumn[];
  rowDependencies: RowDependency[];
  /** The model's SELECT as rendered (full-refresh form, ephemeral parents inlined as CTEs). */
  compiledSql: string;
  /**
   * Statements that materialize the model, in order. `full` builds from scratch;
   * `incremental` (incremental models only) runs when the table already exists;
   * `post` runs after either (OPTIMIZE ... ZORDER BY).
   */
  statements: { full: string[]; incremental?: string[]; post: string[] };
  /** Files under target/ holding the above, for people and for upload. */
  artifacts: { compiled: string; run: string };
  checksum: string;
}

export interface ManifestTest {
  id: string;
  name: string;
  kind: 'generic' | 'singular';
  /** Generic test name: not_null, unique, accepted_values, relationships, expression, ... */
  test?: string;
  args: Record<string, unknown>;
  attachedTo: { node: string; column?: string };
  dependsOn: { models: string[]; sources: string[] };
  severity: Severity;
  /** Failing-row count thresholds, e.g. `>0` (default) or `>10`. */
  warnIf: string;
  errorIf: string;
  /** Spark SQL returning the failing rows. */
  sql: string;
  file: string;
  artifact: string;
}

export interface ManifestUnitTest {
  id: string;
  name: string;
  model: string;
  file: string;
  /** Input rows per `ref`/`source` id, typed by the declared schema. */
  given: Array<{ input: string; rows: Record<string, unknown>[] }>;
  expect: { rows: Record<string, unknown>[] };
}

export interface PlanStage {
  /** Models in one stage have no dependency on each other and may run in parallel. */
  models: string[];
}

export interface Manifest {
  manifestVersion: typeof MANIFEST_VERSION;
  generator: { name: 'lakehouse-etl'; version: string };
  project: { name: string; root: string; vars: Record<string, unknown> };
  target: TargetSettings;
  sources: Record<string, ManifestSource>;
  models: Record<string, ManifestModel>;
  tests: Record<string, ManifestTest>;
  unitTests: Record<string, ManifestUnitTest>;
  /** Downstream adjacency (node id -> model ids) for fast traversal by readers. */
  childMap: Record<string, string[]>;
  parentMap: Record<string, string[]>;
}

export interface Plan {
  manifestVersion: typeof MANIFEST_VERSION;
  target: string;
  stages: PlanStage[];
  /** Tests to run after each model (model id -> test ids). */
  testsByModel: Record<string, string[]>;
}
