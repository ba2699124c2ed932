/**
 * The `targets.emr` block of project.yaml, validated. The compiler passes it through untouched
 * in `manifest.target.settings`; this is where its shape is checked, with errors that name the
 * exact key and say how to fix it.
 */
import { z } from 'zod';
import type { TargetSettings } from '../../compiler/manifest/types.js';
import { AwsTargetError } from './errors.js';

const s3Uri = z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, 'expected an s3://bucket/prefix/ URI');

const ClusterSchema = z
  .object({
    existing_cluster_id: z.string().regex(/^j-[A-Z0-9]+$/, 'expected an EMR cluster id like j-ABC123DEF456').nullable().default(null),
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
      .refine((m) => m.max_units >= m.min_units, 'max_units must be >= min_units')
      .optional(),
    service_role: z.string().min(1).default('EMR_DefaultRole'),
    instance_profile: z.string().min(1).default('EMR_EC2_DefaultRole'),
    subnet_id: z.string().optional(),
    ec2_key_name: z.string().optional(),
    /** Steps that may run at once: models of one plan stage run in parallel up to this. */
    step_concurrency: z.number().int().min(1).max(256).default(4),
    /** Idle time after which EMR terminates the cluster by itself (a safety net against cost). */
    idle_timeout_seconds: z.number().int().min(60).optional(),
    terminate_after_build: z.boolean().default(false),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();

const EmrSettingsSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-east-1'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name'),
    artifacts_prefix: z.string().default('etl/builds').transform((p) => p.replace(/^\/+|\/+$/g, '')),
    cluster: ClusterSchema,
    cloudwatch_namespace: z.string().min(1).max(255).default('LakehouseETL'),
    /** Spark settings passed to every step (`--conf k=v`), e.g. shuffle partitions. */
    spark_conf: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    /** Seconds between step-state polls. */
    poll_interval_seconds: z.number().min(0).default(15),
    /** Glue catalog id (account id); defaults to the caller's account. */
    catalog_id: z.string().regex(/^\d{12}$/).optional(),
  })
  .passthrough();

export type EmrClusterSettings = z.infer<typeof ClusterSchema>;
export type EmrSettings = z.infer<typeof EmrSettingsSchema>;

/** Validates the EMR target settings; every problem is reported, each with its project.yaml key. */
export function parseEmrSettings(target: Pick<TargetSettings, 'name' | 'kind' | 'settings'>): EmrSettings {
  if (target.kind !== 'emr') {
    throw new AwsTargetError(
      'EMR_WRONG_TARGET',
      `target "${target.name}" is of kind "${target.kind}", not "emr"`,
      'pass --target with a target whose kind is emr in project.yaml',
    );
  }
  const parsed = EmrSettingsSchema.safeParse(target.settings);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = ['targets', target.name, ...issue.path.map(String)].join('.');
    return `  project.yaml ${key}: ${issue.message}`;
  });
  throw new AwsTargetError(
    'EMR_BAD_SETTINGS',
    `invalid EMR target settings:\n${lines.join('\n')}`,
    `correct the keys above under targets.${target.name} in project.yaml`,
  );
}
