/**
 * Model configuration and model metadata: one zod schema each, whatever the file they come from
 * (a SQL model's `{{config ...}}`, its sidecar YAML, a TypeScript `defineModel({...})`, or
 * project.yaml `defaults:`). The authoring API's types (`ModelConfig`, `ModelMeta`, ...) are
 * derived from these schemas, so the type users write against and the validator cannot drift.
 */
import { z } from 'zod';
import { identifierSchema, locationSchema } from '../security/names.js';
import { modelRetentionSchema } from '../governance/retention-config.js';

// The identifier rule lives with the other name and path rules (compiler/security/names.ts).
export { identifierSchema };
const stringList = z.union([z.string(), z.array(z.string())]);

export const materializationSchema = z.enum(['view', 'table', 'incremental', 'ephemeral', 'snapshot']);
export const incrementalStrategySchema = z.enum(['append', 'merge', 'insert_overwrite']);
export const severitySchema = z.enum(['error', 'warn']);
/** What an incremental build does when the model's columns differ from its table's (dbt's values). */
export const onSchemaChangeSchema = z.enum(['ignore', 'fail', 'append_new_columns', 'sync_all_columns']);
/** One SQL statement or a list of them (hooks). */
export const hookListSchema = z.union([z.string().min(1), z.array(z.string().min(1))]);

export const modelConfigSchema = z
  .object({
    materialized: materializationSchema.describe('How the model is built: view (default), table, incremental or ephemeral (inlined as a CTE).'),
    incremental_strategy: incrementalStrategySchema.describe('For incremental models: merge (default with a unique_key), append, or insert_overwrite (by partition).'),
    unique_key: stringList.describe('Column or columns identifying a row (merge key).'),
    partition_by: stringList.describe('Partition column or columns of the Delta table.'),
    /** `OPTIMIZE ... ZORDER BY` after each build. */
    zorder_by: stringList.describe('`OPTIMIZE ... ZORDER BY` after each build.'),
    /** Absolute location; defaults to `<layer root>/<model name>`. */
    location: locationSchema.describe('Absolute location; defaults to `<layer root>/<model name>`.'),
    tblproperties: z.record(z.string(), z.string()),
    /** Catalog database override (defaults to the layer's database). */
    database: identifierSchema.describe('Catalog database override (defaults to the layer\'s database).'),
    /** Table name override (defaults to the model name). */
    alias: identifierSchema.describe('Table name override (defaults to the model name).'),
    tags: z.array(z.string()),
    owner: z.string(),
    enabled: z.boolean(),
    /** For `merge`: columns updated when matched (default: all). */
    merge_update_columns: z.array(z.string()).describe('For `merge`: columns updated when matched (default: all).'),
    /** Fails the build if the inferred columns differ from the declared `columns`. */
    contract: z.boolean().describe('Fails the build if the inferred columns differ from the declared `columns`.'),
    /** Classifications shown unmasked on purpose, each with its reason: `{ pii: 'reason' }` (compiler/governance/policy-check.ts). */
    exposes: z.record(z.string(), z.string().nullable()).describe("Classifications this model shows unmasked on purpose despite the policy, each with its reason: `{ pii: 'Support looks customers up by e-mail' }`. In `{{config}}`: `exposes=(hash pii=\"reason\")`."),
    /** Columns that lose their classification here and downstream, each with its reason. */
    declassify: z.record(z.string(), z.string().nullable()).describe("Columns that lose their classification here and downstream, each with its reason: `{ customer_key: 'surrogate key, not personal' }`. In `{{config}}`: `declassify=(hash customer_key=\"reason\")`."),
    /** Retention: rows whose `column` is older than the period (default: the layer's) are deleted by `etl retention run`. */
    retention: modelRetentionSchema.describe('Retention: `{ column, years | days }`; rows older than the period (default: the layer\'s, infra.retention) are deleted by etl retention run.'),
    /** Snapshots (snapshots/): `timestamp` or `check`, checked by compiler/analyse/snapshot-checks.ts (ETL401). */
    strategy: z.string().describe('Snapshots: how a changed row is detected, `timestamp` (by updated_at) or `check` (by check_cols).'),
    /** Snapshots, `timestamp` strategy: the column whose change makes a new version (its valid_from). */
    updated_at: z.string().describe('Snapshots, timestamp strategy: the timestamp or date column whose change makes a new version.'),
    /** Snapshots, `check` strategy: the columns compared to detect a change. */
    check_cols: stringList.describe('Snapshots, check strategy: the columns compared to detect a change.'),
    /** Snapshots: a key missing from the query closes its current version. */
    invalidate_hard_deletes: z.boolean().describe('Snapshots: close the current version of a key the query no longer returns.'),
    /** Snapshots: the layer their table is in (silver by default). */
    layer: z.enum(['silver', 'gold']).describe('Snapshots: the layer of their table, silver (default) or gold.'),
    /** Incremental models: what a build does when the model's columns differ from its table's (compiler/plan/schema-change.ts). */
    on_schema_change: onSchemaChangeSchema.describe('Incremental models: ignore (default, the table keeps its columns), fail, append_new_columns or sync_all_columns.'),
    /** SQL run before the model's write, in order; `{{this}}` is the model's table. */
    pre_hook: hookListSchema.describe('SQL run before the model is written, in order (string or list); `{{this}}` is its table. A failure stops the model.'),
    /** SQL run after the model's write, in order; `{{this}}` is the model's table. */
    post_hook: hookListSchema.describe('SQL run after the model is written, in order (string or list); `{{this}}` is its table. A failure marks the model failed.'),
    /** Backfills: the date column whose ranges `etl build --start/--end` replaces (compiler/plan/backfill.ts). */
    time_column: identifierSchema.describe('Date column a backfill (`etl build --start D1 --end D2`) replaces by range; partition by it.'),
    /** Backfills: one batch per day (default), week, month, or N days. */
    batch_size: z.union([z.enum(['day', 'week', 'month']), z.number().int().min(1).max(3660)]).describe('Backfill batch: day (default), week, month, or a number of days.'),
    /** Backfills: the first date the model has data for (where missing intervals start). */
    start: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD').describe('First date of the model\'s data, YYYY-MM-DD: where missing intervals start.'),
  })
  .partial()
  .strict();

/** `{{config}}` keys whose value is a list, written comma-separated in a template. */
export const LIST_CONFIG_KEYS: ReadonlySet<string> = new Set(['unique_key', 'partition_by', 'zorder_by', 'tags', 'merge_update_columns', 'check_cols']);

/** Arguments every generic test accepts; a test's own arguments (values, to, field, ...) pass through. */
export const testArgsSchema = z.looseObject({
  severity: severitySchema.optional(),
  /** Threshold such as `>10`: a failing-row count that triggers a warning. */
  warn_if: z.string().optional().describe('Threshold such as `>10`: a failing-row count that triggers a warning.'),
  error_if: z.string().optional(),
  where: z.string().optional(),
});

/** A generic data test applied to a column or a model: `not_null` or `{ accepted_values: { values: [...] } }`. */
export const testSpecSchema = z.union([z.string(), z.record(z.string(), testArgsSchema.nullable())]);

export const columnMetaSchema = z
  .object({
    description: z.string(),
    /** Declared type for contracts, e.g. `decimal(18,2)`. */
    data_type: z.string().describe('Declared type for contracts, e.g. `decimal(18,2)`.'),
    classification: z.array(z.enum(['pii', 'sensitive', 'restricted', 'pseudonymised'])),
    /** This column shows these classifications unmasked on purpose, each with its reason. */
    exposes: z.record(z.string(), z.string().nullable()).describe("This column shows these classifications unmasked on purpose despite the policy, each with its reason: `{ pii: 'reason' }`."),
    tests: z.array(testSpecSchema),
  })
  .partial()
  .strict();

const unitTestSchema = z
  .object({
    name: z.string(),
    description: z.string().optional(),
    given: z.array(z.object({ input: z.string(), rows: z.array(z.record(z.string(), z.unknown())) }).strict()),
    expect: z.object({ rows: z.array(z.record(z.string(), z.unknown())) }).strict(),
  })
  .strict();

/** A model's metadata: its sidecar YAML file, or the same keys in a TypeScript model. */
export const modelMetaSchema = z
  .object({
    description: z.string(),
    owner: z.string(),
    tags: z.array(z.string()),
    config: modelConfigSchema,
    columns: z.record(z.string(), columnMetaSchema.nullable()),
    tests: z.array(testSpecSchema),
    unit_tests: z.array(unitTestSchema),
  })
  .partial()
  .strict();

export type Materialization = z.infer<typeof materializationSchema>;
export type IncrementalStrategy = z.infer<typeof incrementalStrategySchema>;
export type OnSchemaChange = z.infer<typeof onSchemaChangeSchema>;
export type Severity = z.infer<typeof severitySchema>;
/** Model config as written (every key optional). */
export type ModelConfig = z.input<typeof modelConfigSchema>;
export type TestArgs = z.infer<typeof testArgsSchema>;
export type TestSpec = z.input<typeof testSpecSchema>;
export type ColumnMeta = z.input<typeof columnMetaSchema>;
export type ModelMeta = z.input<typeof modelMetaSchema>;
/** Metadata as validated (what the compiler reads). */
export type ModelMetaData = z.infer<typeof modelMetaSchema>;
