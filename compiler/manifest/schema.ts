/**
 * manifest.json: what the project is (sources, models, columns, lineage, tests), as one zod schema
 * from which the TypeScript types are derived (types.ts). The plan (plan.json) says what to run.
 * Bump MANIFEST_VERSION on any breaking change of shape.
 */
import { z } from 'zod';
import { incrementalStrategySchema, materializationSchema, onSchemaChangeSchema, severitySchema } from '../config/model-config.js';
import { ExposureOwnerSchema, ExposureToolSchema, ExposureTypeSchema } from '../config/exposure-schema.js';
import { ManifestSeedSchema } from './seed-schema.js';

export const MANIFEST_VERSION = 2 as const;

/** `pseudonymised`: PII through a mask (compiler/analyse/mask-shapes.ts); a policy never forbids it. */
const Classification = z.enum(['pii', 'sensitive', 'restricted', 'pseudonymised']);
export const LayerNameSchema = z.enum(['bronze', 'silver', 'gold']);

export const LayerSettingsSchema = z.object({
  /**
   * Root of the layer as the target declares it: relative to the project directory
   * (`data/warehouse/silver`, resolved where the plan runs) or a URI (`s3://bucket/silver`).
   */
  root: z.string(),
  /** Catalog database (Glue / Spark catalog). */
  database: z.string(),
});

export const TargetSettingsSchema = z.object({
  name: z.string(),
  kind: z.enum(['local', 'emr']),
  layers: z.object({ bronze: LayerSettingsSchema, silver: LayerSettingsSchema, gold: LayerSettingsSchema }),
  /** Everything else the target declared in project.yaml (EMR cluster, S3 bucket, Spark confs...). */
  settings: z.record(z.string(), z.unknown()),
});

/** A column of a source table, bronze table or model. `type` is Spark SQL syntax. */
export const ManifestColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  classification: z.array(Classification),
  description: z.string().optional(),
});

/** `node` is a source id (`source.snowflake.customer_orders`) or model id (`model.stg_orders`). */
export const ColumnRefSchema = z.object({ node: z.string(), column: z.string() });
export const LineageRoleSchema = z.enum(['value', 'filter', 'join', 'group', 'window', 'order']);

export const ModelColumnSchema = ManifestColumnSchema.extend({
  /** Upstream columns whose values flow into this column. */
  upstream: z.array(ColumnRefSchema),
  /** Source columns this column derives from, through every model in between. */
  sources: z.array(ColumnRefSchema),
  /** Masks applied on the way to this column in this model or upstream (hash, email_domain, partial, date, amount). */
  masks: z.array(z.string()).optional(),
});

/** Where a governance declaration is written (project-relative file, 1-based line and column). */
const DeclaredAtSchema = z.object({ file: z.string(), line: z.number(), column: z.number() });
/** `exposes: { pii: 'reason' }` (model config, or a column's): the model may show this classification unmasked. */
export const GovernanceExposureSchema = z.object({ column: z.string().optional(), classification: Classification, reason: z.string(), at: DeclaredAtSchema });
/** `declassify: { column: 'reason' }`: the classifications the column lost. */
export const GovernanceDeclassificationSchema = z.object({ column: z.string(), removed: z.array(Classification), reason: z.string(), at: DeclaredAtSchema });
/** A model's governance: what the policy lets it expose unmasked (and the rule that says so), its exposures and declassifications. */
export const ModelGovernanceSchema = z.object({
  /** Unmasked classifications allowed here; absent: no policy rule reaches the model. */
  allowed: z.array(Classification).optional(),
  /** The rule that decided: `tag:finance`, `folder:models/gold/marts`, `layer:gold`. */
  rule: z.string().optional(),
  exposures: z.array(GovernanceExposureSchema),
  declassifications: z.array(GovernanceDeclassificationSchema),
});

export const RowDependencySchema = ColumnRefSchema.extend({ role: LineageRoleSchema.exclude(['value']) });

/** A data-subject key declared on a source column (`.subject('customer')`): what `etl erase --subject KEY=VALUE` matches. */
export const SubjectKeySchema = z.object({ kind: z.string().min(1), key: z.string().min(1) });

export const ManifestSourceSchema = z.object({
  id: z.string(),
  /** Source name as used in `{{source "name" "table"}}`. */
  sourceName: z.string(),
  table: z.string(),
  /** A registered source system (connectors/). */
  system: z.string(),
  file: z.string(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()),
  /** System settings (account, warehouse, object, topic...) with secrets as `{ env: NAME }`. */
  connection: z.record(z.string(), z.unknown()),
  /** Table-level settings: Snowflake table, Salesforce object, Kafka topic and partitions... */
  settings: z.record(z.string(), z.unknown()),
  columns: z.array(ManifestColumnSchema.extend({ primaryKey: z.boolean(), sourceName: z.string().optional(), subject: SubjectKeySchema.optional() })),
  primaryKey: z.array(z.string()),
  cursor: z.string().optional(),
  freshness: z.object({ loadedAtColumn: z.string(), warnAfterSeconds: z.number().optional(), errorAfterSeconds: z.number().optional() }).optional(),
  drift: z.enum(['evolve', 'fail', 'quarantine']),
  /** `schedule:` as declared (hourly, daily or a cron string); absent: follows freshness (compiler/config/schedule.ts). */
  schedule: z.string().optional(),
  bronze: z.object({
    database: z.string(),
    table: z.string(),
    /** `database.table` */
    relation: z.string(),
    /** Under the bronze layer's root (see TargetSettings.layers), or absolute. */
    location: z.string(),
    format: z.literal('parquet'),
    partitionBy: z.array(z.string()),
    /** Metadata columns appended by ingestion (`_run_id`, `_extracted_at`, ...). */
    metadataColumns: z.array(ManifestColumnSchema),
  }),
  /** Path of the generated ingestion job spec under target/. */
  ingestionJob: z.string(),
  checksum: z.string(),
});

const ListOf = z.array(z.string());

export const ManifestModelSchema = z.object({
  id: z.string(),
  name: z.string(),
  layer: z.enum(['silver', 'gold']),
  language: z.enum(['sql', 'typescript']),
  file: z.string(),
  /** Sidecar YAML file, if any. */
  metaFile: z.string().optional(),
  description: z.string().optional(),
  owner: z.string().optional(),
  tags: z.array(z.string()),
  materialized: materializationSchema,
  config: z.object({
    incremental_strategy: incrementalStrategySchema.optional(),
    unique_key: ListOf.optional(),
    partition_by: ListOf.optional(),
    zorder_by: ListOf.optional(),
    tblproperties: z.record(z.string(), z.string()).optional(),
    merge_update_columns: ListOf.optional(),
    contract: z.boolean().optional(),
    /** Incremental models: what a build does when the columns change (compiler/plan/schema-change.ts). */
    on_schema_change: onSchemaChangeSchema.optional(),
    /** Hooks as written (templates); the plan holds them rendered (Hook operations). */
    pre_hook: ListOf.optional(),
    post_hook: ListOf.optional(),
    /** `retention:` as declared (compiler/governance/retention-config.ts). */
    retention: z.object({ column: z.string(), years: z.number().optional(), days: z.number().optional() }).optional(),
    /** Snapshots: how a changed row is detected (compiler/config/snapshot-config.ts). */
    strategy: z.enum(['timestamp', 'check']).optional(),
    updated_at: z.string().optional(),
    check_cols: ListOf.optional(),
    invalidate_hard_deletes: z.boolean().optional(),
    time_column: z.string().optional(),
    batch_size: z.union([z.enum(['day', 'week', 'month']), z.number().int().min(1)]).optional(),
    start: z.string().optional(),
  }),
  /** Where the model lives; ephemeral models have none. `location` is under the layer's root, or absolute. */
  relation: z.object({ database: z.string(), table: z.string(), fqn: z.string(), location: z.string() }).optional(),
  dependsOn: z.object({ models: ListOf, sources: ListOf }),
  columns: z.array(ModelColumnSchema),
  rowDependencies: z.array(RowDependencySchema),
  /** Classification policy at this model, its exposures and declassifications (absent: no governance in the project). */
  governance: ModelGovernanceSchema.optional(),
  /** The model's SELECT as rendered (full-refresh form, ephemeral parents inlined as CTEs). */
  compiledSql: z.string(),
  /** Files under target/ holding the SELECT and the statements that run it, for people. */
  artifacts: z.object({ compiled: z.string(), run: z.string() }),
  checksum: z.string(),
});

export const ManifestTestSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['generic', 'singular']),
  /** Generic test name: not_null, unique, accepted_values, relationships, expression, ... */
  test: z.string().optional(),
  args: z.record(z.string(), z.unknown()),
  attachedTo: z.object({ node: z.string(), column: z.string().optional() }),
  dependsOn: z.object({ models: ListOf, sources: ListOf }),
  severity: severitySchema,
  /** Failing-row count thresholds as written, e.g. `>0` (default) or `>10`. */
  warnIf: z.string(),
  errorIf: z.string(),
  /** Spark SQL returning the failing rows. */
  sql: z.string(),
  file: z.string(),
  artifact: z.string(),
});

export const ManifestUnitTestSchema = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string(),
  file: z.string(),
  /** Input rows per `ref`/`source` id, typed by the declared schema. */
  given: z.array(z.object({ input: z.string(), rows: z.array(z.record(z.string(), z.unknown())) })),
  expect: z.object({ rows: z.array(z.record(z.string(), z.unknown())) }),
});

/** A consumer of models outside the project (dashboard, notebook, ...), from `exposures/*.ts`. */
export const ManifestExposureSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: ExposureTypeSchema,
  tool: ExposureToolSchema,
  owner: ExposureOwnerSchema,
  url: z.string().optional(),
  description: z.string().optional(),
  /** The models it reads (`model` is the model id) and the columns it shows; none: the whole model. */
  depends: z.array(z.object({ model: z.string(), columns: ListOf })),
  file: z.string(),
});

export const ManifestSchema = z.object({
  manifestVersion: z.literal(MANIFEST_VERSION),
  generator: z.object({ name: z.literal('lakehouse-etl'), version: z.string() }),
  /** `root` is where it was compiled, for people: runners resolve locations where they run. */
  project: z.object({ name: z.string(), root: z.string(), vars: z.record(z.string(), z.unknown()) }),
  target: TargetSettingsSchema,
  /** The environment built into (`--env pr_42`), or null for the target's own databases. */
  environment: z.string().nullable().default(null),
  /** Models read from another deployment (`--defer`) instead of being built: id -> relation read. */
  deferred: z.record(z.string(), z.string()).default({}),
  sources: z.record(z.string(), ManifestSourceSchema),
  models: z.record(z.string(), ManifestModelSchema),
  tests: z.record(z.string(), ManifestTestSchema),
  unitTests: z.record(z.string(), ManifestUnitTestSchema),
  /** By id (`exposure.<name>`); manifests written before exposures read as none. */
  exposures: z.record(z.string(), ManifestExposureSchema).default({}),
  /** By id (`seed.<name>`): CSV reference tables of seeds/; manifests written before seeds read as none. */
  seeds: z.record(z.string(), ManifestSeedSchema).optional(),
  /** project.yaml `governance.policy` as declared, and every model's exposures and declassifications (absent: none). */
  governance: z
    .object({
      policy: z.object({ layers: z.record(z.string(), z.array(Classification)), folders: z.record(z.string(), z.array(Classification)), tags: z.record(z.string(), z.array(Classification)) }).optional(),
      exposures: z.array(GovernanceExposureSchema.extend({ model: z.string() })),
      declassifications: z.array(GovernanceDeclassificationSchema.extend({ model: z.string() })),
    })
    .optional(),
  /** Downstream adjacency (node id -> model ids) for fast traversal by readers. */
  childMap: z.record(z.string(), ListOf),
  parentMap: z.record(z.string(), ListOf),
});
