/**
 * One CloudWatch dashboard: gold freshness against the SLA, quality scores, failed tests, build
 * outcomes and duration, ingestion records and errors per source, and the alarms' states.
 */
import { BUILD_METRICS, DIMENSIONS, FRESHNESS_METRICS, INGEST_METRICS, type MetricSpec } from '../aws/metric-names.js';
import { sub, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';
import { alarmSpecs } from './alerts.js';

export const DASHBOARD = 'LakehouseDashboard';

type Widget = Record<string, unknown>;

function metricWidget(ctx: InfraContext, title: string, metric: MetricSpec, dimension: string, values: string[], stat: string, y: number, x: number, annotation?: number): Widget {
  const metrics = values.map((v) => [ctx.namespace, metric.name, DIMENSIONS.project, ctx.project, dimension, v, { label: v }]);
  return {
    type: 'metric',
    x,
    y,
    width: 12,
    height: 6,
    properties: {
      title,
      region: ctx.region,
      view: 'timeSeries',
      stat,
      period: 300,
      metrics,
      ...(annotation !== undefined ? { annotations: { horizontal: [{ label: 'SLA', value: annotation }] } } : {}),
    },
  };
}

export function dashboardWidgets(ctx: InfraContext): Widget[] {
  const gold = ctx.goldModels.map((m) => m.id);
  const sources = ctx.sources.map((s) => s.select);
  const widgets: Widget[] = [
    metricWidget(ctx, `Gold freshness, minutes (SLA ${ctx.infra.sla_minutes})`, FRESHNESS_METRICS.freshness, DIMENSIONS.model, gold, 'Maximum', 0, 0, ctx.infra.sla_minutes),
    metricWidget(ctx, 'Data-quality score, %', BUILD_METRICS.dataQualityScore, DIMENSIONS.model, gold, 'Minimum', 0, 12),
    metricWidget(ctx, 'Failed tests per gold model', BUILD_METRICS.testsFailed, DIMENSIONS.model, gold, 'Sum', 6, 0),
    metricWidget(ctx, 'Build outcomes', BUILD_METRICS.models, DIMENSIONS.status, ['success', 'error', 'skipped'], 'Sum', 6, 12),
    metricWidget(ctx, 'Ingested records', INGEST_METRICS.records, DIMENSIONS.source, sources, 'Sum', 12, 0),
    metricWidget(ctx, 'Ingestion errors', INGEST_METRICS.errors, DIMENSIONS.source, sources, 'Sum', 12, 12),
    {
      type: 'metric',
      x: 0,
      y: 18,
      width: 12,
      height: 6,
      properties: { title: 'Build duration, ms', region: ctx.region, view: 'timeSeries', stat: 'Maximum', period: 300, metrics: [[ctx.namespace, BUILD_METRICS.buildDuration.name, DIMENSIONS.project, ctx.project]] },
    },
  ];
  return widgets;
}

export function dashboardResources(ctx: InfraContext): Resources {
  // Alarm ARNs are named, not referenced, so the dashboard waits on nothing; Fn::Sub fills the account.
  const alarms = alarmSpecs(ctx).map((a) => `arn:\${AWS::Partition}:cloudwatch:${ctx.region}:\${AWS::AccountId}:alarm:${ctx.project}-${a.name}`);
  const body = { widgets: [...dashboardWidgets(ctx), { type: 'alarm', x: 12, y: 18, width: 12, height: 6, properties: { title: 'Alarms', alarms } }] };
  return {
    [DASHBOARD]: { Type: 'AWS::CloudWatch::Dashboard', Properties: { DashboardName: `${ctx.project}-lakehouse`, DashboardBody: sub(JSON.stringify(body)) } },
  };
}
