/**
 * Freshness after an EMR build (moto): the bronze tables' state on S3 says when each source was
 * last extracted; after the build each gold model gets ModelFreshnessMinutes (the oldest of the
 * sources it reads through its parents) in CloudWatch and in the local metrics file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { RunJobFlowCommand } from '@aws-sdk/client-emr';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runEmrBuild } from '../../runtime/aws/emr-build.js';
import { FRESHNESS_METRICS } from '../../runtime/aws/metric-names.js';
import { metricsFile, readMetrics } from '../../runtime/metrics/jsonl-sink.js';
import { fixtureProject } from '../aws/fixtures/manifest.js';
import { ScriptedEmr, type ScriptedStep } from '../aws/fixtures/scripted-emr.js';
import { useMoto } from '../aws/moto-env.js';

const BUCKET = 'company-lakehouse';
const NAMESPACE = 'EnterpriseLakehouse/ETL';
const moto = useMoto(BUCKET);

describe('freshness of gold models after an EMR build (moto)', () => {
  it('sends one ModelFreshnessMinutes per gold model built, from the oldest extraction among its sources', async () => {
    const { manifest, plan } = fixtureProject();
    const now = Date.now();
    const extracted = {
      'source.snowflake.customer_orders': new Date(now - 30 * 60_000).toISOString(),
      'source.kafka.order_events': new Date(now - 150 * 60_000).toISOString(),
    };
    // What ingestion leaves in each bronze table: its state with the last commit time.
    for (const [id, committedAt] of Object.entries(extracted)) {
      const location = manifest.sources[id]!.bronze.location;
      expect(location.startsWith(`s3://${BUCKET}/`)).toBe(true);
      const Key = `${location.slice(`s3://${BUCKET}/`.length)}/_etl/state.json`;
      await moto.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: JSON.stringify({ stateVersion: 1, jobId: id, committedAt }) }));
    }
    const cluster = await moto.clients.emr.send(
      new RunJobFlowCommand({ Name: 'shared', ReleaseLabel: 'emr-7.13.0', Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: 'm5.xlarge' }, ServiceRole: 'r', JobFlowRole: 'p' }),
    );
    // Plays the driver: every step succeeds and writes its result where the build reads it.
    const playDriver = async (step: ScriptedStep) => {
      const args = step.config.HadoopJarStep!.Args!;
      const resultUri = args[args.indexOf('--result') + 1]!;
      const body = { id: step.nodeId, status: 'success', mode: 'full', rowsWritten: 10, tests: [] };
      await moto.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: resultUri.replace(`s3://${BUCKET}/`, ''), Body: JSON.stringify(body) }));
    };
    const emr = new ScriptedEmr({}, playDriver, undefined, moto.clients.emr);
    const projectDir = mkdtempSync(join(tmpdir(), 'etl-emr-freshness-'));
    const lines: string[] = [];
    const result = await runEmrBuild(manifest, plan, { projectDir, env: moto.env, sleep: async () => {}, clusterId: cluster.JobFlowId, clients: { emr }, log: (l) => lines.push(l) });
    expect(result.ok).toBe(true);
    expect(lines).toContain(`  freshness: 3 gold model points to cloudwatch:${NAMESPACE}`);

    // dim_customers reads customer_orders; fct_orders also order_events (a view over Kafka); mart_sales reads fct_orders.
    const expected: Record<string, string> = {
      'model.dim_customers': extracted['source.snowflake.customer_orders'],
      'model.fct_orders': extracted['source.kafka.order_events'],
      'model.mart_sales': extracted['source.kafka.order_events'],
    };
    const local = (await readMetrics(metricsFile(projectDir))).points.filter((p) => p.metric === FRESHNESS_METRICS.freshness.name);
    expect(Object.fromEntries(local.map((p) => [p.dimensions.Model, p.extractedAt]))).toEqual(expected);
    expect(local.every((p) => p.runId === result.run!.runId && p.dimensions.Project === 'enterprise_lakehouse')).toBe(true);

    const listed = await moto.clients.cloudwatch.send(new ListMetricsCommand({ Namespace: NAMESPACE, MetricName: FRESHNESS_METRICS.freshness.name }));
    const models = listed.Metrics.map((m: { Dimensions: Array<{ Name: string; Value: string }> }) => m.Dimensions.find((d) => d.Name === 'Model')!.Value).sort();
    expect(models).toEqual(Object.keys(expected));
    for (const [model, at] of Object.entries(expected)) {
      const stats = await moto.clients.cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: NAMESPACE,
          MetricName: FRESHNESS_METRICS.freshness.name,
          Dimensions: [{ Name: 'Project', Value: 'enterprise_lakehouse' }, { Name: 'Model', Value: model }],
          StartTime: new Date(now - 3600_000),
          EndTime: new Date(Date.now() + 3600_000),
          Period: 7200,
          Statistics: ['Maximum'],
        }),
      );
      const minutes = (Date.now() - Date.parse(at)) / 60_000;
      expect(stats.Datapoints[0].Maximum, model).toBeGreaterThanOrEqual(Math.floor(minutes - (Date.now() - now) / 60_000) - 1);
      expect(stats.Datapoints[0].Maximum, model).toBeLessThanOrEqual(minutes + 0.1);
    }
  }, 120_000);
});
