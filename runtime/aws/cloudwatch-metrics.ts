/**
 * Run metrics to CloudWatch under the project's namespace: per model (and tested source)
 * records, duration, failure, test failures and data-quality score; per build the nodes by
 * status and the elapsed time.
 */
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { SdkClient } from './clients.js';
import { awsCall } from './errors.js';
import type { NodeOutcome } from './run-results.js';
import { BUILD_METRICS as B, DIMENSIONS, type MetricSpec } from './metric-names.js';

const BATCH = 500; // PutMetricData takes up to 1000 datums; stay well under the 1 MB body limit

export function metricData(project: string, outcomes: NodeOutcome[], summary: Record<string, number>, elapsedMs: number, timestamp: Date): MetricDatum[] {
  const projectDim = { Name: DIMENSIONS.project, Value: project };
  const data: MetricDatum[] = [];
  const put = (metric: MetricSpec, Dimensions: MetricDatum['Dimensions'], Value: number) =>
    data.push({ MetricName: metric.name, Dimensions, Unit: metric.unit, Value, Timestamp: timestamp });
  for (const { node, tests } of outcomes) {
    if (node.status === 'submitted') continue;
    const dims = [projectDim, { Name: node.kind === 'model' ? DIMENSIONS.model : DIMENSIONS.source, Value: node.id }];
    if (node.rows !== undefined) put(B.recordsProcessed, dims, node.rows);
    if (node.durationMs) put(B.modelDuration, dims, node.durationMs);
    put(B.modelFailed, dims, node.status === 'error' ? 1 : 0);
    const ran = tests.filter((t) => t.status !== 'skipped');
    if (ran.length) {
      put(B.testsFailed, dims, ran.filter((t) => t.status === 'fail' || t.status === 'error').length);
      put(B.testsWarned, dims, ran.filter((t) => t.status === 'warn').length);
    }
    if (node.qualityScore !== undefined) put(B.dataQualityScore, dims, node.qualityScore);
  }
  for (const [status, count] of Object.entries(summary)) put(B.models, [projectDim, { Name: DIMENSIONS.status, Value: status }], count);
  put(B.buildDuration, [projectDim], elapsedMs);
  return data;
}

export async function putRunMetrics(cloudwatch: SdkClient, namespace: string, data: MetricDatum[]): Promise<number> {
  for (let i = 0; i < data.length; i += BATCH) {
    await awsCall('cloudwatch:PutMetricData', namespace, () =>
      cloudwatch.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: data.slice(i, i + BATCH) })),
    );
  }
  return data.length;
}
