/**
 * A metric point: one measured value with its dimensions, as both sinks take it (CloudWatch
 * PutMetricData, the local JSON-lines file). Names, units and dimension names come from
 * runtime/aws/metric-names.ts.
 */
import { z } from 'zod';
import { DIMENSIONS, type MetricSpec } from '../aws/metric-names.js';

export const metricPointSchema = z.object({
  /** When the value was measured (ISO 8601). */
  at: z.string().datetime({ offset: true }),
  metric: z.string().min(1),
  unit: z.enum(['Count', 'Milliseconds', 'Percent', 'Bytes', 'None']),
  value: z.number(),
  /** Dimension name -> value; `Project` on every point. */
  dimensions: z.record(z.string(), z.string()),
  /** The ingestion or build run that measured it. */
  runId: z.string().optional(),
  /** Freshness points: when the data the value measures was extracted (ISO 8601). */
  extractedAt: z.string().datetime({ offset: true }).optional(),
});

export type MetricPoint = z.infer<typeof metricPointSchema>;

/** A point of `spec` for the project; `dimensions` are the ones besides `Project`. */
export function point(spec: MetricSpec, project: string, dimensions: Record<string, string>, value: number, at: Date, extra: Pick<MetricPoint, 'runId' | 'extractedAt'> = {}): MetricPoint {
  return { at: at.toISOString(), metric: spec.name, unit: spec.unit, value, dimensions: { [DIMENSIONS.project]: project, ...dimensions }, ...extra };
}
