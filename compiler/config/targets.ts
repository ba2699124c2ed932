/**
 * The `targets:` of project.yaml, one zod schema per target kind. project.yaml validation (compile
 * time) and the runtime (`runtime/aws/settings.ts`, the local Spark launcher settings) both read
 * targets through these schemas, so a key the compiler accepts is a key the runtime understands.
 * The settings a manifest carries (`manifest.target.settings`) are a target without its `kind`.
 */
import { z } from 'zod';

/** Spark `--conf` values: YAML numbers and booleans are accepted and passed on as strings. */
const sparkConfValues = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** `spark:` of a local target: the Spark the build starts (`etl spark start`, `etl build`). */
export const localSparkSchema = z
  .object({
    master: z.string().default('local[2]'),
    driver_memory: z.string().default('4g'),
    conf: sparkConfValues.default({}),
  })
  .strict();

const localSettingsShape = {
  /** Warehouse roots on the local file system, relative to the project. */
  warehouse_dir: z.string().default('data/warehouse').describe('Warehouse roots on the local file system, relative to the project.'),
  spark: localSparkSchema.optional(),
};

const s3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected an s3://bucket/prefix/ URI');

export const emrClusterSchema = z
  .object({
    /** Use an existing cluster by id, or create one with the settings below. */
    existing_cluster_id: z.string().regex(/^j-[A-Z0-9]+$/, 'expected an EMR cluster id like j-ABC123DEF456').nullable().default(null).describe('Use an existing cluster by id, or create one with the settings below.'),
    name: z.string().min(1).optional(),
    release: z.string().regex(/^emr-7\.\d+\.\d+$/, 'expected an EMR 7 release label like emr-7.13.0 (Spark 3.5, Delta 3.3)').default('emr-7.13.0'),
    log_uri: s3Uri.optional(),
    primary_instance_type: z.string().min(1).default('m5.2xlarge'),
    core_instance_type: z.string().min(1).default('m5.2xlarge'),
    core_instance_count: z.number().int().min(1).default(4),
    task_instance_type: z.string().min(1).optional(),
    task_spot_instance_count: z.number().int().min(0).default(0),
    managed_scaling: z
      .object({ min_units: z.number().int().min(1), max_units: z.number().int().min(1) })
      .strict()
      .refine((m) => m.max_units >= m.min_units, { message: 'max_units must be >= min_units', path: ['max_units'] })
      .optional(),
    service_role: z.string().min(1).default('EMR_DefaultRole'),
    instance_profile: z.string().min(1).default('EMR_EC2_DefaultRole'),
    /** An EMR security configuration by name (e.g. the one `etl infra deploy` creates: at-rest and in-transit encryption). */
    security_configuration: z.string().min(1).optional().describe('EMR security configuration name for new clusters (at-rest and in-transit encryption), e.g. the stack output EmrSecurityConfiguration of etl infra deploy.'),
    subnet_id: z.string().min(1).optional(),
    ec2_key_name: z.string().min(1).optional(),
    /** Steps that may run at once: models of one plan stage run in parallel up to this. */
    step_concurrency: z.number().int().min(1).max(256).default(4).describe('Steps that may run at once: models of one plan stage run in parallel up to this.'),
    /** Idle time after which EMR terminates the cluster by itself (a safety net against cost). */
    idle_timeout_seconds: z.number().int().min(60).optional().describe('Idle time after which EMR terminates the cluster by itself (a safety net against cost).'),
    terminate_after_build: z.boolean().default(false),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const emrSettingsShape = {
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1').describe('AWS region of the bucket, Glue catalog and cluster.'),
  /** The bucket of the layer roots and build artifacts (must exist). */
  bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name').describe('The bucket of the layer roots and build artifacts (must exist).'),
  artifacts_prefix: z
    .string()
    .default('etl/builds')
    .transform((p) => p.replace(/^\/+|\/+$/g, '')),
  cluster: emrClusterSchema.prefault({}),
  cloudwatch_namespace: z.string().min(1).max(255).default('LakehouseETL'),
  /** KMS key for SSE-KMS on every S3 object the tool and its Spark steps write. */
  kms_key: z
    .string()
    .regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[0-9a-fA-F-]{36}|mrk-[0-9a-f]{32})$/, 'expected a KMS key id, key ARN, alias/NAME or alias ARN')
    .optional()
    .describe('KMS key (key id, key ARN, alias/NAME or alias ARN) for SSE-KMS on every S3 object the tool and its Spark steps write; without it S3 writes use the bucket default encryption.'),
  /** Spark settings passed to every step (`--conf k=v`), e.g. shuffle partitions. */
  spark_conf: sparkConfValues.default({}).describe('Spark settings passed to every step (`--conf k=v`), e.g. shuffle partitions.'),
  /** Seconds between step-state polls. */
  poll_interval_seconds: z.number().min(0).default(15).describe('Seconds between step-state polls.'),
  /** Glue catalog id (account id); defaults to the caller's account. */
  catalog_id: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id').optional().describe('Glue catalog id (account id); defaults to the caller\'s account.'),
};

/** `manifest.target.settings` of a local target. */
export const localSettingsSchema = z.object(localSettingsShape).strict();
/** `manifest.target.settings` of an EMR target. */
export const emrSettingsSchema = z.object(emrSettingsShape).strict();

export const localTargetSchema = z.object({ kind: z.literal('local'), ...localSettingsShape }).strict();
export const emrTargetSchema = z.object({ kind: z.literal('emr'), ...emrSettingsShape }).strict();
export const targetSchema = z.discriminatedUnion('kind', [localTargetSchema, emrTargetSchema]);

export type LocalSettings = z.infer<typeof localSettingsSchema>;
export type LocalSparkSettings = z.infer<typeof localSparkSchema>;
export type EmrSettings = z.infer<typeof emrSettingsSchema>;
export type EmrClusterSettings = z.infer<typeof emrClusterSchema>;
export type TargetConfig = z.infer<typeof targetSchema>;
export type TargetKind = TargetConfig['kind'];
