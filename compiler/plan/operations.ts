/**
 * The operations a compiled plan runs: immutable, `kind`-tagged data (as Kysely's operation nodes),
 * rendered to SQL by one dialect per engine. Nothing downstream of the compiler parses SQL back:
 * every part an engine needs (target relation, location, keys, partitioning...) is a field here.
 * One zod schema per shape; the TypeScript types are derived from them.
 */
import { z } from 'zod';
import { SnapshotStrategySchema } from '../config/snapshot-config.js';
import { onSchemaChangeSchema, severitySchema } from '../config/model-config.js';

export const LayerNameSchema = z.enum(['bronze', 'silver', 'gold']);

/** `database.table`, unquoted: the dialect quotes. */
export const RelationSchema = z.object({ database: z.string().min(1), table: z.string().min(1) }).strict();
export type Relation = z.infer<typeof RelationSchema>;

/**
 * Where a table's files live: a path under the layer's root, resolved per target at run time, so
 * one compiled plan runs from any directory and on any machine. An absolute path or URI (a model's
 * `location` config) is used as it is.
 */
export const LocationSchema = z.object({ layer: LayerNameSchema, path: z.string().min(1) }).strict();
export type Location = z.infer<typeof LocationSchema>;

/**
 * Where each part of a query came from: `[offset in sql, file index, line, column, verbatim]`.
 * A verbatim segment's text is the file's text from (line, column) on, so positions inside it are
 * found by advancing over the SQL itself; a generated segment (a ref, a var) maps to its start.
 */
export const SegmentSchema = z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().min(1), z.number().int().min(1), z.union([z.literal(0), z.literal(1)])]);
export type Segment = z.infer<typeof SegmentSchema>;

/** A SELECT the user wrote (rendered), with its position map back to the user's files. */
export const QuerySchema = z
  .object({
    sql: z.string().min(1),
    files: z.array(z.string()),
    segments: z.array(SegmentSchema),
  })
  .strict();
export type Query = z.infer<typeof QuerySchema>;

export const ColumnTypeSchema = z.object({ name: z.string().min(1), type: z.string().min(1) }).strict();
export type ColumnType = z.infer<typeof ColumnTypeSchema>;

/** A failing-row threshold (`>0`, `>=10`), parsed once by the compiler. */
export const ThresholdSchema = z.object({ op: z.enum(['>', '>=', '<', '<=', '==', '!=']), value: z.number().int().min(0) }).strict();
export type Threshold = z.infer<typeof ThresholdSchema>;

const CreateDatabase = z.object({ kind: z.literal('CreateDatabase'), database: z.string().min(1) }).strict();
const CreateOrReplaceTableAs = z
  .object({
    kind: z.literal('CreateOrReplaceTableAs'),
    relation: RelationSchema,
    location: LocationSchema,
    partitionBy: z.array(z.string()),
    properties: z.record(z.string(), z.string()),
    query: QuerySchema,
  })
  .strict();
const CreateOrReplaceView = z.object({ kind: z.literal('CreateOrReplaceView'), relation: RelationSchema, query: QuerySchema }).strict();
/**
 * The columns an incremental write names, set by the runner from the table's columns after a schema
 * change (runtime/runner/schema-change.ts): `fromQuery: false` writes NULL of `type` (a column the
 * query no longer has). Absent: the query's columns by position (INSERT) or `*` (MERGE).
 */
export const WriteColumnSchema = z.object({ name: z.string().min(1), type: z.string().min(1), fromQuery: z.boolean() }).strict();
export type WriteColumn = z.infer<typeof WriteColumnSchema>;
/** Replaces only the partitions the query produces (dynamic partition overwrite). */
const InsertOverwrite = z.object({ kind: z.literal('InsertOverwrite'), relation: RelationSchema, query: QuerySchema, columns: z.array(WriteColumnSchema).optional() }).strict();
const Append = z.object({ kind: z.literal('Append'), relation: RelationSchema, query: QuerySchema, columns: z.array(WriteColumnSchema).optional() }).strict();
const Merge = z
  .object({
    kind: z.literal('Merge'),
    relation: RelationSchema,
    query: QuerySchema,
    uniqueKey: z.array(z.string()).min(1),
    /** Columns a matched row updates; null updates every column. */
    updateColumns: z.array(z.string()).nullable(),
    columns: z.array(WriteColumnSchema).optional(),
  })
  .strict();
const Optimize = z.object({ kind: z.literal('Optimize'), relation: RelationSchema, zorderBy: z.array(z.string()).min(1) }).strict();
/** Registers landed Parquet files as a table and picks up partitions added since. */
const RegisterBronze = z
  .object({
    kind: z.literal('RegisterBronze'),
    relation: RelationSchema,
    location: LocationSchema,
    format: z.literal('parquet'),
    columns: z.array(ColumnTypeSchema),
    partitionBy: z.array(ColumnTypeSchema),
  })
  .strict();

/**
 * Delta time travel as a new commit: the table's rows as of a version, or as of a point in time
 * (the latest commit at or before it). The history is kept, so a restore can itself be undone.
 * Not compiled into a plan: `etl restore` builds it for one model's table.
 */
export const RestorePointSchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('version'), version: z.number().int().min(0) }).strict(),
  /** An ISO-8601 instant with its zone (`2026-01-05T06:00:00.000Z`). */
  z.object({ by: z.literal('timestamp'), timestamp: z.string().datetime({ offset: true }) }).strict(),
]);
export type RestorePoint = z.infer<typeof RestorePointSchema>;
const RestoreTable = z.object({ kind: z.literal('RestoreTable'), relation: RelationSchema, to: RestorePointSchema }).strict();

/**
 * Before an incremental write: the model's columns as compiled, and what to do when the table's differ
 * (`on_schema_change`). The runner compares them with the table's columns in the catalog and runs the
 * ALTER operations below, then names the columns of the write (runtime/runner/schema-change.ts).
 */
const SchemaChange = z.object({ kind: z.literal('SchemaChange'), relation: RelationSchema, onSchemaChange: onSchemaChangeSchema, columns: z.array(ColumnTypeSchema) }).strict();
const AlterTableAddColumns = z.object({ kind: z.literal('AlterTableAddColumns'), relation: RelationSchema, columns: z.array(ColumnTypeSchema).min(1) }).strict();
/** Delta drops columns only with column mapping by name: the dialect enables it first. */
const AlterTableDropColumns = z.object({ kind: z.literal('AlterTableDropColumns'), relation: RelationSchema, columns: z.array(z.string().min(1)).min(1) }).strict();
/** A safe widening only (int to bigint, float to double, a wider decimal): Delta type widening. */
const AlterColumnType = z.object({ kind: z.literal('AlterColumnType'), relation: RelationSchema, column: z.string().min(1), type: z.string().min(1) }).strict();
/** A user's statement run before or after a model's write, or at the start or end of a run. */
export const HookWhenSchema = z.enum(['pre', 'post', 'run_start', 'run_end']);
const Hook = z.object({ kind: z.literal('Hook'), when: HookWhenSchema, query: QuerySchema }).strict();

/** A calendar date, `YYYY-MM-DD` (backfill bounds). */
export const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/**
 * One backfill batch: the model's query filtered to `column` in [start, end), replacing exactly
 * those rows of the table in one Delta commit (INSERT ... REPLACE WHERE): no other partition is touched.
 */
export const ReplaceRangeSchema = z
  .object({ kind: z.literal('ReplaceRange'), relation: RelationSchema, column: z.string().min(1), start: DateSchema, end: DateSchema, query: QuerySchema })
  .strict();

/**
 * A value an erasure compares a column with: the subject's value as it is, or the SHA-2 of the
 * concatenation of parts (the subject's value and a salt), as a salted-hash mask computed it.
 */
export const MatchValueSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('literal'), value: z.string() }).strict(),
  z.object({ kind: z.literal('sha2'), bits: z.union([z.literal(224), z.literal(256), z.literal(384), z.literal(512)]), parts: z.array(z.string()).min(1) }).strict(),
]);
export type MatchValue = z.infer<typeof MatchValueSchema>;
/** Rows whose column (as a string) is one of `in`. */
export const ColumnMatchSchema = z.object({ column: z.string().min(1), in: z.array(MatchValueSchema).min(1) }).strict();
export type ColumnMatch = z.infer<typeof ColumnMatchSchema>;
/** Deletes the rows where any of `where` holds (GDPR/CCPA erasure). Not compiled into a plan: `etl erase` builds it. */
const DeleteWhere = z.object({ kind: z.literal('DeleteWhere'), relation: RelationSchema, where: z.array(ColumnMatchSchema).min(1) }).strict();
/** Removes files no version newer than `retainHours` references; below Delta's 168 h floor the check is lifted for the statement. */
const Vacuum = z.object({ kind: z.literal('Vacuum'), relation: RelationSchema, retainHours: z.number().int().min(0) }).strict();
/** A retention period as declared (`years: 7`), kept as written for people; `before` is the cutoff it gives on the run's date. */
export const RetentionPeriodSchema = z.object({ amount: z.number().int().min(1), unit: z.enum(['days', 'years']) }).strict();
/** Retention: deletes the rows whose `column` is before `before` (rows on the cutoff date and NULL dates are kept). Built by `etl retention run`. */
const DeleteOlderThan = z
  .object({ kind: z.literal('DeleteOlderThan'), relation: RelationSchema, column: z.string().min(1), olderThan: RetentionPeriodSchema, before: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })
  .strict();
/** Retention on bronze Parquet: drops these partitions from the catalog; the engine deletes their files under `location`. */
const DropPartitions = z
  .object({ kind: z.literal('DropPartitions'), relation: RelationSchema, location: LocationSchema, column: z.string().min(1), values: z.array(z.string().min(1)).min(1) })
  .strict();
/**
 * Appends one build record to an append-only Delta audit table (`delta.appendOnly`: Delta itself
 * refuses UPDATE and DELETE there), creating it on first use. Built by the runner for `sox` models.
 */
const AppendAuditRecord = z
  .object({ kind: z.literal('AppendAuditRecord'), relation: RelationSchema, location: LocationSchema, columns: z.array(ColumnTypeSchema).min(1), row: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) })
  .strict();

/**
 * A snapshot (SCD type 2) build: creates the table from the query when it is absent, else closes the
 * current version of each changed key (valid_to, is_current) and inserts the new versions and new
 * keys in one MERGE; with `invalidateHardDeletes`, a key the query no longer returns is closed.
 * Never replaces the table, so no build (a --full-refresh included) loses history. `columns` are
 * the query's own; the history columns follow them (compiler/emit/snapshot-sql.ts renders it).
 */
const SnapshotMerge = z
  .object({
    kind: z.literal('SnapshotMerge'),
    relation: RelationSchema,
    location: LocationSchema,
    partitionBy: z.array(z.string()),
    properties: z.record(z.string(), z.string()),
    query: QuerySchema,
    columns: z.array(z.string().min(1)).min(1),
    uniqueKey: z.array(z.string().min(1)).min(1),
    strategy: SnapshotStrategySchema,
    invalidateHardDeletes: z.boolean(),
  })
  .strict();

/**
 * A seed's rows into its Delta table, replacing what it held (re-seeding is idempotent). The typed
 * rows are inline: a compiled plan runs where the project's CSV files are not (`--plan`). Values are
 * JSON (numbers, booleans, or exact text for bigint, decimal, date and timestamp), cast to `columns`.
 */
const LoadSeed = z
  .object({
    kind: z.literal('LoadSeed'),
    relation: RelationSchema,
    location: LocationSchema,
    columns: z.array(ColumnTypeSchema).min(1),
    rows: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))),
  })
  .strict();

/**
 * A role's view of a table, for engines without Lake Formation (`etl grants apply --target local`):
 * visible columns as they are, masked ones as `sha2(salt || value)` (`hash`) or NULL of their type
 * (`null`), omitted ones left out. Built from target/grants.json, not compiled into a plan.
 */
const CreateMaskedView = z
  .object({
    kind: z.literal('CreateMaskedView'),
    relation: RelationSchema,
    from: RelationSchema,
    columns: z.array(z.object({ name: z.string().min(1), type: z.string().min(1), mask: z.enum(['none', 'hash', 'null']) }).strict()).min(1),
    salt: z.string(),
  })
  .strict();

export const OperationSchema = z.discriminatedUnion('kind', [
  DeleteWhere,
  Vacuum,
  DeleteOlderThan,
  DropPartitions,
  AppendAuditRecord,
  CreateDatabase,
  CreateOrReplaceTableAs,
  CreateOrReplaceView,
  InsertOverwrite,
  Append,
  Merge,
  Optimize,
  RegisterBronze,
  RestoreTable,
  CreateMaskedView,
  SnapshotMerge,
  SchemaChange,
  AlterTableAddColumns,
  AlterTableDropColumns,
  AlterColumnType,
  Hook,
  ReplaceRangeSchema,
  LoadSeed,
]);
export type Operation = z.infer<typeof OperationSchema>;
export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** A data test: a query returning the failing rows, and when their count warns or fails. */
export const DataTestSchema = z
  .object({
    kind: z.literal('DataTest'),
    query: QuerySchema,
    severity: severitySchema,
    warnIf: ThresholdSchema,
    errorIf: ThresholdSchema,
    /** Lower-cased names of classified columns the test reads: masked in failing-row samples. */
    maskColumns: z.array(z.string()),
  })
  .strict();
export type DataTest = z.infer<typeof DataTestSchema>;

/**
 * What a data test counts, as data, when it can share one scan with the other tests of its table:
 * rows where a condition holds (not_null, accepted_values, expression, range, regex, email; the
 * condition is the test's own generated SQL over `t.*`), duplicated values (unique: the count is
 * non-zero exactly when some value repeats), a row count outside bounds (row_count), or a stale
 * latest load (freshness). Tests with a `where`, joins or groups of columns have none.
 */
export const TestFailsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rows'), condition: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('duplicates'), column: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('row_count'), min: z.number().nullable(), max: z.number().nullable() }).strict(),
  z.object({ kind: z.literal('stale'), column: z.string().min(1), afterSeconds: z.number().int().min(0) }).strict(),
]);
export type TestFails = z.infer<typeof TestFailsSchema>;

/** A data test's share of a combined scan: the table it reads and what it counts there. */
export const TestCheckSchema = z.object({ relation: RelationSchema, fails: TestFailsSchema }).strict();
export type TestCheck = z.infer<typeof TestCheckSchema>;

/**
 * The data tests of one table counted in one scan: one aggregate per test, in this order, so each
 * count maps back to its test by position. Built by the runner from the selected tests' checks.
 */
export const CombinedDataTestsSchema = z
  .object({
    kind: z.literal('CombinedDataTests'),
    relation: RelationSchema,
    tests: z.array(z.object({ id: z.string().min(1), fails: TestFailsSchema }).strict()).min(1),
  })
  .strict();
export type CombinedDataTests = z.infer<typeof CombinedDataTestsSchema>;

/** The combined scan of tests reading one relation (all checks must name it). */
export function combineDataTests(relation: Relation, tests: Array<{ id: string; check: TestCheck }>): CombinedDataTests {
  const other = tests.find((t) => relationName(t.check.relation) !== relationName(relation));
  if (other) throw new Error(`test ${other.id} reads ${relationName(other.check.relation)}, not ${relationName(relation)}`);
  return op({ kind: 'CombinedDataTests', relation, tests: tests.map((t) => ({ id: t.id, fails: t.check.fails })) });
}

/**
 * A model unit test: each input becomes a temporary view of typed rows, `query` is the model's
 * SELECT rendered with its refs and sources pointing at those views, and the result is compared
 * with the expected rows (on the expected rows' columns, or all columns when they name none).
 */
export const UnitTestSchema = z
  .object({
    kind: z.literal('UnitTest'),
    inputs: z.array(z.object({ view: z.string().min(1), input: z.string(), columns: z.array(ColumnTypeSchema), rows: z.array(z.record(z.string(), z.unknown())) }).strict()),
    query: QuerySchema,
    expect: z.object({ rows: z.array(z.record(z.string(), z.unknown())) }).strict(),
  })
  .strict();
export type UnitTest = z.infer<typeof UnitTestSchema>;

/** Immutable operations: frozen factories, so a plan cannot be edited in place by a reader. */
export function op<O extends Operation | CombinedDataTests>(operation: O): O {
  return Object.freeze(operation);
}

export const relationName = (r: Relation) => `${r.database}.${r.table}`;
