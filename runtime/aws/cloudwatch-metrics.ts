/**
 * Run metrics to CloudWatch under the project's namespace: per model records, duration,
 * test failures and data-quality score; per build models by status and elapsed time.
 */
import { PutMetricDataCommand, type MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { SdkClient } from './clients.js';
import { awsCall } from './errors.js';
import type { RunResults } from './run-results.js';

const BATCH = 500; // PutMetricData takes up to 1000 datums; stay well under the 1 MB body limit

export function metricData(run: RunResults, timestamp: Date): MetricDatum[] {
  const project = { Name: 'Project', Value: run.project };
  const data: MetricDatum[] = [];
  for (const r of run.results) {
    const dims = [project, { Name: 'Model', Value: r.model }];
    if (r.records !== null) data.push({ MetricName: 'RecordsProcessed', Dimensions: dims, Unit: 'Count', Value: r.records, Timestamp: timestamp });
    if (r.durationMs !== null) data.push({ MetricName: 'ModelDuration', Dimensions: dims, Unit: 'Milliseconds', Value: r.durationMs, Timestamp: timestamp });
    data.push({ MetricName: 'ModelFailed', Dimensions: dims, Unit: 'Count', Value: r.status === 'error' ? 1 : 0, Timestamp: timestamp });
    if (r.tests.length) {
      const failed = r.tests.filter((t) => t.status === 'fail' || t.status === 'error').length;
      data.push({ MetricName: 'TestsFailed', Dimensions: dims, Unit: 'Count', Value: failed, Timestamp: timestamp });
      data.push({ MetricName: 'TestsWarned', Dimensions: dims, Unit: 'Count', Value: r.tests.filter((t) => t.status === 'warn').length, Timestamp: timestamp });
    }
    if (r.qualityScore !== null) data.push({ MetricName: 'DataQualityScore', Dimensions: dims, Unit: 'Percent', Value: r.qualityScore, Timestamp: timestamp });
  }
  for (const [status, count] of Object.entries(run.summary)) {
    data.push({ MetricName: 'Models', Dimensions: [project, { Name: 'Status', Value: status }], Unit: 'Count', Value: count, Timestamp: timestamp });
  }
  data.push({ MetricName: 'BuildDuration', Dimensions: [project], Unit: 'Milliseconds', Value: run.elapsedMs, Timestamp: timestamp });
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
