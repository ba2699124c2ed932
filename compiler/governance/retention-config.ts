/**
 * Retention: how long data is kept, declared once.
 *
 * - Per layer: `infra.retention.<layer>.retention_days` (compiler/config/infra.ts, defaults 7 years
 *   for bronze and silver, SOX; 10 years for gold). The S3 lifecycle of `etl infra generate` and the
 *   rows `etl retention run` deletes read the same number, so there is no second layer setting here.
 * - Per source (`governance.retention.sources` in project.yaml) and per model (`retention:` in model config):
 *   a shorter or longer period for one table and the date column it applies to.
 * - `governance.retention.delta`: the Delta table properties set on every table's CREATE (how long the log and
 *   removed files are kept, i.e. the time-travel window a restore can use).
 *
 * Declaring `governance.retention:` in project.yaml turns the Delta properties on; without it plans are unchanged.
 */
import { z } from 'zod';
import { DEFAULT_RETENTION, type InfraConfig } from '../config/infra.js';
import { identifierSchema } from '../security/names.js';
import type { LayerName } from '../manifest/types.js';

const years = z.number().int().min(1).max(100).describe('Rows (or bronze partitions) older than this many years are deleted.');
const days = z.number().int().min(1).max(36_600).describe('Rows (or bronze partitions) older than this many days are deleted.');
const oneOf = (p: { years?: number | undefined; days?: number | undefined }) => !(p.years !== undefined && p.days !== undefined);
const ONE_OF = { message: 'give years or days, not both' };

/** A model's `retention:` config: the date column, and a period (default: its layer's). */
export const modelRetentionSchema = z
  .object({
    column: identifierSchema.describe('Date or timestamp column the period applies to: rows older than the period are deleted.'),
    years: years.optional(),
    days: days.optional(),
  })
  .strict()
  .refine(oneOf, ONE_OF);

/** A source table's retention: a period, and the column (default: the bronze `ingest_date` partition). */
export const sourceRetentionSchema = z
  .object({
    years: years.optional(),
    days: days.optional(),
    column: identifierSchema.optional().describe('Date column of the bronze table (default ingest_date: expired partitions are deleted whole).'),
  })
  .strict()
  .refine(oneOf, ONE_OF)
  .refine((p) => p.years !== undefined || p.days !== undefined, { message: 'give years or days' });

export const retentionConfigSchema = z
  .object({
    /** `source_name.table` (as in `{{source "name" "table"}}`) -> its period. */
    sources: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'expected source_name.table'), sourceRetentionSchema).default({}).describe('Retention per source table (source_name.table); layers use infra.retention.<layer>.retention_days.'),
    delta: z
      .object({
        log_retention_days: z.number().int().min(1).default(30).describe('delta.logRetentionDuration: how long table history (time travel, restore) is kept.'),
        deleted_file_retention_days: z.number().int().min(1).default(7).describe('delta.deletedFileRetentionDuration, and what VACUUM keeps after a retention delete.'),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type RetentionConfig = z.infer<typeof retentionConfigSchema>;
export type ModelRetention = z.infer<typeof modelRetentionSchema>;
export type SourceRetention = z.infer<typeof sourceRetentionSchema>;

/** A period as the plan carries it. */
export interface Period {
  amount: number;
  unit: 'days' | 'years';
}

export function periodOf(p: { years?: number | undefined; days?: number | undefined }): Period | undefined {
  if (p.years !== undefined) return { amount: p.years, unit: 'years' };
  if (p.days !== undefined) return { amount: p.days, unit: 'days' };
  return undefined;
}

/** A layer's period: infra's lifecycle retention, in years when it is whole years counted as infra.ts does (365 a year plus the most leap days they can hold). */
export function layerPeriod(infra: InfraConfig | undefined, layer: LayerName): Period {
  const daysKept = infra?.retention[layer]?.retention_days ?? DEFAULT_RETENTION[layer].retention_days;
  for (let y = 1; y <= 100; y++) if (daysKept === 365 * y + Math.ceil(y / 4)) return { amount: y, unit: 'years' };
  return { amount: daysKept, unit: 'days' };
}

/** A period in days as infra.ts counts years (365 a year plus the most leap days they can hold). */
export const periodMaxDays = (p: Period) => (p.unit === 'days' ? p.amount : 365 * p.amount + Math.ceil(p.amount / 4));

/** The Delta properties every table gets when retention is declared. */
export function retentionTableProperties(config: RetentionConfig | undefined): Record<string, string> {
  if (!config) return {};
  return {
    'delta.logRetentionDuration': `interval ${config.delta.log_retention_days} days`,
    'delta.deletedFileRetentionDuration': `interval ${config.delta.deleted_file_retention_days} days`,
  };
}

/** The first date kept: `asOf` minus the period (ISO dates, UTC; Feb 29 minus a year is Feb 28, as Spark's add_months). */
export function cutoffDate(asOf: string, period: Period): string {
  const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
  if (period.unit === 'days') return new Date(Date.UTC(y, m - 1, d - period.amount)).toISOString().slice(0, 10);
  const year = y - period.amount;
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return new Date(Date.UTC(year, m - 1, Math.min(d, last))).toISOString().slice(0, 10);
}
