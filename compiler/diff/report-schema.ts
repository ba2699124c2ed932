/**
 * What `etl diff` reports (`--json` prints it as is): per changed model, its changes, whether they
 * break readers, and what downstream actually reads what changed, at column level.
 */
import { z } from 'zod';

export const ChangeCategorySchema = z.enum(['breaking', 'non-breaking']);

export const ChangeKindSchema = z.enum([
  /** A model that the reference did not have, or that the project no longer has. */
  'model_added',
  'model_removed',
  'column_added',
  'column_removed',
  /** A removed column and an added one with the same upstream lineage: `from -> to`. */
  'column_renamed',
  /** Type changed, or nullability widened (a NOT NULL column may now hold NULL). */
  'column_retyped',
  /** A NOT NULL guarantee added: readers are not broken. */
  'nullability_narrowed',
  /** Same name and type, values now derive from other upstream columns. */
  'column_lineage_changed',
  'filter_changed',
  'join_changed',
  /** GROUP BY columns, `unique_key` or `partition_by` changed. */
  'grain_changed',
  /** The SQL changed and nothing above explains it: every column may hold other values. */
  'logic_changed',
  /** The SQL changed to follow a rename or removal in a parent; the parent's impact covers it. */
  'follows_upstream',
  'materialization_changed',
  'config_changed',
  'description_changed',
  'tests_changed',
]);

export const ColumnChangeSchema = z.object({
  kind: ChangeKindSchema,
  column: z.string().optional(),
  /** Renames: the old name; retypes: the old type (`decimal(18,2) not null`). */
  from: z.string().optional(),
  to: z.string().optional(),
  detail: z.string(),
});

export const ImpactedColumnSchema = z.object({ model: z.string(), column: z.string() });

export const ImpactSchema = z.object({
  /** Downstream models with at least one impacted column. */
  models: z.array(z.string()),
  columns: z.array(ImpactedColumnSchema),
  /** Data tests on changed or impacted columns (model-level tests of impacted models too). */
  tests: z.array(z.string()),
  exposures: z.array(z.string()),
});

export const ModelDiffSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(['new', 'modified', 'removed']),
  category: ChangeCategorySchema,
  changes: z.array(ColumnChangeSchema),
  /** The columns of this model whose change reaches readers (old names for removals and renames). */
  changedColumns: z.array(z.string()),
  impact: ImpactSchema,
});

export const DiffReportSchema = z.object({
  reference: z.object({ project: z.string(), target: z.string(), environment: z.string().nullable() }),
  current: z.object({ project: z.string(), target: z.string(), environment: z.string().nullable() }),
  models: z.array(ModelDiffSchema),
  summary: z.object({ breaking: z.number(), nonBreaking: z.number(), impactedColumns: z.number(), impactedExposures: z.number() }),
});

export type ChangeCategory = z.infer<typeof ChangeCategorySchema>;
export type ChangeKind = z.infer<typeof ChangeKindSchema>;
export type ColumnChange = z.infer<typeof ColumnChangeSchema>;
export type ImpactedColumn = z.infer<typeof ImpactedColumnSchema>;
export type Impact = z.infer<typeof ImpactSchema>;
export type ModelDiff = z.infer<typeof ModelDiffSchema>;
export type DiffReport = z.infer<typeof DiffReportSchema>;

/** Kinds that break readers: the model is `breaking` if any of its changes is one of them. */
export const BREAKING_KINDS: ReadonlySet<ChangeKind> = new Set<ChangeKind>([
  'model_removed',
  'column_removed',
  'column_renamed',
  'column_retyped',
  'column_lineage_changed',
  'filter_changed',
  'join_changed',
  'grain_changed',
  'logic_changed',
]);
