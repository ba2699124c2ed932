/**
 * The operations a compiled plan runs: immutable, `kind`-tagged data (as Kysely's operation nodes),
 * rendered to SQL by one dialect per engine. Nothing downstream of the compiler parses SQL back:
 * every part an engine needs (target relation, location, keys, partitioning...) is a field here.
 * One zod schema per shape; the TypeScript types are derived from them.
 */
import { z } from 'zod';
import { severitySchema } from '../config/model-config.js';

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
/** Replaces only the partitions the query produces (dynamic partition overwrite). */
const InsertOverwrite = z.object({ kind: z.literal('InsertOverwrite'), relation: RelationSchema, query: QuerySchema }).strict();
const Append = z.object({ kind: z.literal('Append'), relation: RelationSchema, query: QuerySchema }).strict();
const Merge = z
  .object({
    kind: z.literal('Merge'),
    relation: RelationSchema,
    query: QuerySchema,
    uniqueKey: z.array(z.string()).min(1),
    /** Columns a matched row updates; null updates every column. */
    updateColumns: z.array(z.string()).nullable(),
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

/** A calendar date, `YYYY-MM-DD` (backfill bounds). */
export const DateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/**
 * One backfill batch: the model's query filtered to `column` in [start, end), replacing exactly
 * those rows of the table in one Delta commit (INSERT ... REPLACE WHERE): no other partition is touched.
 */
export const ReplaceRangeSchema = z
  .object({ kind: z.literal('ReplaceRange'), relation: RelationSchema, column: z.string().min(1), start: DateSchema, end: DateSchema, query: QuerySchema })
  .strict();

export const OperationSchema = z.discriminatedUnion('kind', [
  CreateDatabase,
  CreateOrReplaceTableAs,
  CreateOrReplaceView,
  InsertOverwrite,
  Append,
  Merge,
  Optimize,
  RegisterBronze,
  RestoreTable,
  ReplaceRangeSchema,
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
