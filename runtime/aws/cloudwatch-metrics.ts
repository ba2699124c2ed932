/**
 * Run metrics to CloudWatch under the project's namespace: per model (and tested source)
 * records, duration, failure, test failures and data-quality score; per build the nodes by
 * status and the elapsed time.
 */
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { SdkClient } from './clients.js';
import { awsCall } from './errors.js';
import type { NodeOutcome } from './run-results.js';

const BATCH = 500; // PutMetricData takes up to 1000 datums; stay well under the 1 MB body limit

export function metricData(project: string, outcomes: NodeOutcome[], summary: Record<string, number>, elapsedMs: number, timestamp: Date): MetricDatum[] {
  const projectDim = { Name: 'Project', Value: project };
  const data: MetricDatum[] = [];
  const put = (MetricName: string, Dimensions: MetricDatum['Dimensions'], Unit: MetricDatum['Unit'], Value: number) => data.push({ MetricName, Dimensions, Unit, Value, Timestamp: timestamp });
  for (const { node, tests } of outcomes) {
    if (node.status === 'submitted') continue;
    const dims = [projectDim, { Name: node.kind === 'model' ? 'Model' : 'Source', Value: node.id }];
    if (node.rows !== undefined) put('RecordsProcessed', dims, 'Count', node.rows);
    if (node.durationMs) put('ModelDuration', dims, 'Milliseconds', node.durationMs);
    put('ModelFailed', dims, 'Count', node.status === 'error' ? 1 : 0);
    const ran = tests.filter((t) => t.status !== 'skipped');
    if (ran.length) {
      put('TestsFailed', dims, 'Count', ran.filter((t) => t.status === 'fail' || t.status === 'error').length);
      put('TestsWarned', dims, 'Count', ran.filter((t) => t.status === 'warn').length);
    }
    if (node.qualityScore !== undefined) put('DataQualityScore', dims, 'Percent', node.qualityScore);
  }
  for (const [status, count] of Object.entries(summary)) put('Models', [projectDim, { Name: 'Status', Value: status }], 'Count', count);
  put('BuildDuration', [projectDim], 'Milliseconds', elapsedMs);
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
