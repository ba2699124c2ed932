/** Metric points to CloudWatch PutMetricData under the project's namespace (batched by putRunMetrics). */
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { SdkClient } from '../aws/clients.js';
import { putRunMetrics } from '../aws/cloudwatch-metrics.js';
import type { MetricPoint } from './points.js';
import type { MetricsSink } from './sink.js';

export function toDatum(p: MetricPoint): MetricDatum {
  return {
    MetricName: p.metric,
    Unit: p.unit,
    Value: p.value,
    Timestamp: new Date(p.at),
    Dimensions: Object.entries(p.dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}

export class CloudWatchSink implements MetricsSink {
  constructor(
    private readonly client: SdkClient,
    readonly namespace: string,
  ) {}
  get name(): string {
    return `cloudwatch:${this.namespace}`;
  }
  async send(points: MetricPoint[]): Promise<void> {
    await putRunMetrics(this.client, this.namespace, points.map(toDatum));
  }
}
