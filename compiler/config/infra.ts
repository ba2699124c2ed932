/**
 * `infra:` of project.yaml: what `etl infra generate` needs beyond the EMR target (retention per
 * layer, the replica region, the SLA, alarm thresholds, alert e-mails, where scheduled runs start).
 * Every key is optional; the defaults are the enterprise requirements: 2-hour SLA, 7 years for raw
 * and conformed data (SOX keeps financial records 7 years), 10 years for gold, 3 years for build
 * artifacts and cluster logs.
 */
import { z } from 'zod';

const YEAR = 365;
const days = (min: number) => z.number().int().min(min);

/**
 * Storage of one layer's files. Current objects move to STANDARD_IA, then to `archive_class` (Glacier
 * Instant Retrieval by default: Delta and Parquet readers still open them at once); versions replaced
 * or deleted (old Delta files after VACUUM, overwritten Parquet: what a restore reads) go to GLACIER,
 * then DEEP_ARCHIVE, and expire after `retention_days`. `expire_current` also deletes current objects
 * at `retention_days`: right for bronze's date-partitioned landings, wrong for a Delta table's log.
 */
export const layerStorageSchema = z
  .object({
    retention_days: days(1).describe('Objects (and old versions) are deleted after this many days.'),
    infrequent_access_days: days(30).default(30).describe('Current objects move to STANDARD_IA after this many days (S3 minimum 30).'),
    archive_days: days(1).describe('Current objects move to archive_class after this many days (at least 30 after STANDARD_IA).'),
    archive_class: z.enum(['GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE']).default('GLACIER_IR'),
    noncurrent_archive_days: days(1).default(30).describe('Replaced or deleted versions move to GLACIER after this many days.'),
    noncurrent_deep_archive_days: days(1).default(180).describe('Replaced or deleted versions move to DEEP_ARCHIVE after this many days.'),
    expire_current: z.boolean().default(false).describe('Also delete current objects at retention_days (never for Delta tables).'),
  })
  .strict()
  .refine((s) => s.archive_days >= s.infrequent_access_days + 30, { message: 'archive_days must be at least infrequent_access_days + 30 (S3 keeps objects 30 days in STANDARD_IA)', path: ['archive_days'] })
  .refine((s) => s.noncurrent_deep_archive_days >= s.noncurrent_archive_days + 90, { message: 'noncurrent_deep_archive_days must be at least noncurrent_archive_days + 90 (GLACIER minimum storage)', path: ['noncurrent_deep_archive_days'] })
  .refine((s) => s.retention_days > Math.max(s.archive_days, s.noncurrent_deep_archive_days), { message: 'retention_days must come after every transition', path: ['retention_days'] });

const layerDefault = (retention: number, archive: number, expireCurrent: boolean) => ({
  retention_days: retention,
  infrequent_access_days: 30,
  archive_days: archive,
  archive_class: 'GLACIER_IR' as const,
  noncurrent_archive_days: 30,
  noncurrent_deep_archive_days: 180,
  expire_current: expireCurrent,
});

export const DEFAULT_RETENTION = {
  bronze: layerDefault(7 * YEAR + 2, 180, true),
  silver: layerDefault(7 * YEAR + 2, 365, false),
  gold: layerDefault(10 * YEAR + 3, 365, false),
};

/** Where scheduled runs start: an ECS task running the project's `etl` image. */
export const runnerSchema = z
  .object({
    cluster: z.string().min(1).optional().describe('ECS cluster name or ARN; default <project>-etl.'),
    task_definition: z.string().min(1).optional().describe('Task definition family or ARN of the etl image; default <project>-etl.'),
    container: z.string().min(1).default('etl').describe('Container name in the task definition.'),
    subnets: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, 'expected a subnet id like subnet-0abc123')).min(1).optional(),
    security_groups: z.array(z.string().regex(/^sg-[0-9a-f]+$/, 'expected a security group id like sg-0abc123')).default([]),
  })
  .strict();

export const infraConfigSchema = z
  .object({
    /** The EMR target the stack serves (default: the only `kind: emr` target). */
    target: z.string().optional().describe('The EMR target the stack serves (default: the only kind: emr target).'),
    stack_name: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'expected a CloudFormation stack name').optional(),
    replica_region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region like us-west-2').default('us-west-2').describe('Region of the replica bucket (cross-region recovery, RPO 1 h).'),
    sla_minutes: z.number().int().min(5).default(120).describe('Freshness SLA of gold models: alarm when their data is older.'),
    retention: z
      .object({ bronze: layerStorageSchema.optional(), silver: layerStorageSchema.optional(), gold: layerStorageSchema.optional() })
      .strict()
      .default({}),
    artifacts_retention_days: days(1).default(3 * YEAR + 1).describe('Build artifacts and EMR logs are deleted after this many days.'),
    alarms: z
      .object({
        quality_score_min: z.number().min(0).max(100).default(95).describe('Alarm when a gold model\'s DataQualityScore drops below this.'),
        test_failures_max: z.number().int().min(0).default(0).describe('Alarm when a build has more failed tests than this.'),
        ingest_errors_max: z.number().int().min(0).default(0),
      })
      .strict()
      .prefault({}),
    alert_emails: z.array(z.email()).default([]).describe('Subscribed to the alerts topic (each confirms by e-mail).'),
    runner: runnerSchema.prefault({}),
  })
  .strict();

export type InfraConfig = z.infer<typeof infraConfigSchema>;
export type LayerStorage = z.infer<typeof layerStorageSchema>;
