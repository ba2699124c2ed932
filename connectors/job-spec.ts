/**
 * The ingestion job spec: everything `etl ingest` needs to move one source table into bronze,
 * written by the compiler to `target/ingestion/<source id>.json` and executed as it is. One zod
 * schema; the types are derived from it. The `extract` part belongs to the connector named by
 * `system` and is validated by that connector's own schema (see runtime/ingest/read-jobs.ts).
 */
import { z } from 'zod';

/** Bump on any change of shape; a spec of another version is refused with a clear message. */
export const INGESTION_JOB_VERSION = 2 as const;

export const driftPolicySchema = z.enum(['evolve', 'fail', 'quarantine']);

const classificationSchema = z.enum(['pii', 'sensitive', 'restricted', 'pseudonymised']);

export const fileColumnSchema = z.strictObject({
  name: z.string(),
  type: z.string(),
  nullable: z.boolean(),
  classification: z.array(classificationSchema),
  description: z.string().optional(),
});

export const jobColumnSchema = z.strictObject({
  ...fileColumnSchema.shape,
  /** Snowflake column (upper case unless declared otherwise), Salesforce field, or JSON key. */
  sourceName: z.string(),
  primaryKey: z.boolean(),
});

export const jobCursorSchema = z.strictObject({
  /** Declared column name, its name in the source system, and its Spark type. */
  column: z.string(),
  sourceName: z.string(),
  type: z.string(),
});

export const jobSpecSchema = z.strictObject({
  jobVersion: z.literal(INGESTION_JOB_VERSION),
  id: z.string(),
  system: z.string(),
  sourceName: z.string(),
  table: z.string(),
  /** System connection settings; secrets stay `{ env: NAME }` references. */
  connection: z.record(z.string(), z.unknown()),
  columns: z.array(jobColumnSchema),
  primaryKey: z.array(z.string()),
  cursor: jobCursorSchema.optional(),
  /** The connector's part; checked against the connector's `extract` schema. */
  extract: z.looseObject({ kind: z.string() }),
  drift: driftPolicySchema,
  bronze: z.strictObject({
    relation: z.string(),
    /** Table root as compiled; resolved at run time by resolveBronzeLocation(). */
    location: z.string(),
    partitionBy: z.array(z.string()),
    /** Declared columns, then metadata columns: the exact Parquet file schema. */
    fileColumns: z.array(fileColumnSchema),
    /** Under the table root; Spark skips names starting with `_`. */
    stateKey: z.string(),
    manifestsPrefix: z.string(),
    quarantinePrefix: z.string(),
  }),
  checksum: z.string(),
});

export type JobColumn = z.infer<typeof jobColumnSchema>;
export type JobCursor = z.infer<typeof jobCursorSchema>;
export type DriftPolicy = z.infer<typeof driftPolicySchema>;

/** A job spec whose `extract` is typed as `Extract` (by default: any connector's). */
export type JobSpec<Extract extends { kind: string } = { kind: string }> = Omit<z.infer<typeof jobSpecSchema>, 'extract'> & { extract: Extract };
