/**
 * The alerts topic and the CloudWatch alarms on the metrics the tool sends (runtime/aws/metric-names.ts):
 * per gold model its freshness against the SLA, its data-quality score and its failed tests; per
 * source table its ingestion errors; per project a failed build and no build at all. Every alarm
 * notifies the topic (and again when it recovers).
 */
import { BUILD_METRICS, DIMENSIONS, FRESHNESS_METRICS, INGEST_METRICS, type MetricSpec } from '../aws/metric-names.js';
import { pascal, ref, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';
import { keyArn } from './kms.js';

export const TOPIC = 'AlertsTopic';

interface AlarmSpec {
  id: string;
  name: string;
  description: string;
  metric: MetricSpec;
  dimensions: Record<string, string>;
  statistic: 'Maximum' | 'Minimum' | 'Sum' | 'SampleCount';
  comparison: 'GreaterThanThreshold' | 'LessThanThreshold';
  threshold: number;
  periodSeconds: number;
  evaluationPeriods: number;
  /** Freshness and "no build" count a silence as a breach; scores and failures do not. */
  missing: 'breaching' | 'notBreaching' | 'missing';
}

function alarm(ctx: InfraContext, a: AlarmSpec): Resources[string] {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${ctx.project}-${a.name}`,
      AlarmDescription: a.description,
      Namespace: ctx.namespace,
      MetricName: a.metric.name,
      Dimensions: Object.entries({ [DIMENSIONS.project]: ctx.project, ...a.dimensions }).map(([Name, Value]) => ({ Name, Value })),
      Statistic: a.statistic,
      Period: a.periodSeconds,
      EvaluationPeriods: a.evaluationPeriods,
      Threshold: a.threshold,
      ComparisonOperator: a.comparison,
      TreatMissingData: a.missing,
      AlarmActions: [ref(TOPIC)],
      OKActions: [ref(TOPIC)],
    },
  };
}

const HOUR = 3600;

function modelAlarms(ctx: InfraContext): AlarmSpec[] {
  return ctx.goldModels.flatMap((m) => {
    const dims = { [DIMENSIONS.model]: m.id };
    return [
      { id: pascal('freshness', m.name, 'alarm'), name: `freshness-${m.name}`, description: `${m.id}: data older than the SLA (${ctx.infra.sla_minutes} minutes since the oldest extraction of its sources; etl status shows the same)`, metric: FRESHNESS_METRICS.freshness, dimensions: dims, statistic: 'Maximum', comparison: 'GreaterThanThreshold', threshold: ctx.infra.sla_minutes, periodSeconds: 300, evaluationPeriods: 1, missing: 'missing' },
      { id: pascal('quality', m.name, 'alarm'), name: `quality-${m.name}`, description: `${m.id}: data-quality score below ${ctx.infra.alarms.quality_score_min}%`, metric: BUILD_METRICS.dataQualityScore, dimensions: dims, statistic: 'Minimum', comparison: 'LessThanThreshold', threshold: ctx.infra.alarms.quality_score_min, periodSeconds: HOUR, evaluationPeriods: 1, missing: 'notBreaching' },
      { id: pascal('tests', m.name, 'alarm'), name: `tests-${m.name}`, description: `${m.id}: more than ${ctx.infra.alarms.test_failures_max} failed data tests in a build`, metric: BUILD_METRICS.testsFailed, dimensions: dims, statistic: 'Maximum', comparison: 'GreaterThanThreshold', threshold: ctx.infra.alarms.test_failures_max, periodSeconds: HOUR, evaluationPeriods: 1, missing: 'notBreaching' },
    ] satisfies AlarmSpec[];
  });
}

function projectAlarms(ctx: InfraContext): AlarmSpec[] {
  const hourly = ctx.sources.some((s) => s.schedule !== 'daily');
  return [
    { id: 'BuildFailedAlarm', name: 'build-failed', description: 'A build had a failed model', metric: BUILD_METRICS.models, dimensions: { [DIMENSIONS.status]: 'error' }, statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: 0, periodSeconds: HOUR, evaluationPeriods: 1, missing: 'notBreaching' },
    // Freshness is sent by builds: when builds stop, this one speaks.
    { id: 'NoBuildAlarm', name: 'no-build', description: `No build finished in ${hourly ? 3 : 26} hours`, metric: BUILD_METRICS.buildDuration, dimensions: {}, statistic: 'SampleCount', comparison: 'LessThanThreshold', threshold: 1, periodSeconds: HOUR, evaluationPeriods: hourly ? 3 : 26, missing: 'breaching' },
    ...ctx.sources.map<AlarmSpec>((s) => ({ id: pascal('ingest', s.select, 'alarm'), name: `ingest-${s.select}`, description: `${s.select}: ingestion failed`, metric: INGEST_METRICS.errors, dimensions: { [DIMENSIONS.source]: s.select }, statistic: 'Sum', comparison: 'GreaterThanThreshold', threshold: ctx.infra.alarms.ingest_errors_max, periodSeconds: HOUR, evaluationPeriods: 1, missing: 'notBreaching' })),
  ];
}

export function alarmSpecs(ctx: InfraContext): AlarmSpec[] {
  return [...modelAlarms(ctx), ...projectAlarms(ctx)];
}

export function alertResources(ctx: InfraContext): Resources {
  const alarms = Object.fromEntries(alarmSpecs(ctx).map((a) => [a.id, alarm(ctx, a)]));
  return {
    [TOPIC]: {
      Type: 'AWS::SNS::Topic',
      Properties: {
        TopicName: `${ctx.project}-alerts`,
        DisplayName: `${ctx.project} lakehouse alerts`,
        KmsMasterKeyId: keyArn(),
        Subscription: ctx.infra.alert_emails.map((Endpoint) => ({ Protocol: 'email', Endpoint })),
      },
    },
    ...alarms,
  };
}
