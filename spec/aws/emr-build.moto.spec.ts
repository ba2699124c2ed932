import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import {
  DescribeClusterCommand,
  ListClustersCommand,
  ListInstanceGroupsCommand,
  ListStepsCommand,
  RunJobFlowCommand,
} from '@aws-sdk/client-emr';
import { GetDatabasesCommand, GetTableCommand, GetTablesCommand, UpdateTableCommand } from '@aws-sdk/client-glue';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { runEmrBuild, type EmrBuildOptions } from '../../runtime/aws/emr-build.js';
import { AwsTargetError } from '../../runtime/aws/errors.js';
import { runJobFlowRequest } from '../../runtime/aws/emr-cluster.js';
import { parseEmrSettings } from '../../runtime/aws/settings.js';
import { fixtureProject } from './fixtures/manifest.js';
import { ScriptedEmr, type ScriptedStep } from './fixtures/scripted-emr.js';
import { useMoto } from './moto-env.js';

const BUCKET = 'company-lakehouse';
const moto = useMoto(BUCKET);
const project = () => mkdtempSync(join(tmpdir(), 'etl-emr-'));

async function listKeys(prefix = ''): Promise<string[]> {
  const out = await moto.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (out.Contents ?? []).map((o: { Key: string }) => o.Key).sort();
}
async function getText(key: string): Promise<string> {
  const out = await moto.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return out.Body.transformToString();
}
const base = (extra: Partial<EmrBuildOptions> = {}): EmrBuildOptions => ({ projectDir: project(), env: moto.env, sleep: async () => {}, ...extra });

describe('etl build --target emr against moto', () => {
  it('uploads every artifact, registers every table and submits steps that reference exactly those artifacts', async () => {
    const { manifest, plan } = fixtureProject();
    // moto keeps no managed scaling policy, so the RunJobFlow request is also checked as sent.
    const sent: any[] = [];
    const emr = { send: (c: any) => (sent.push(c), moto.clients.emr.send(c)) };
    const result = await runEmrBuild(manifest, plan, base({ wait: false, clients: { emr } }));

    // S3: exactly the artifacts of the request list, under the build id.
    const keys = await listKeys('etl/builds/');
    expect(keys).toEqual(result.requests.s3.PutObject.map((p) => p.Key).sort());
    expect(keys.every((k) => k.startsWith(`etl/builds/${result.requests.buildId}/`))).toBe(true);
    // The step spec is the plan node's operations as data, its tests' DataTests and the layer roots.
    const spec = JSON.parse(await getText(`etl/builds/${result.requests.buildId}/steps/model.stg_customer_orders.json`));
    const node = plan.nodes['model.stg_customer_orders']!;
    expect(node.kind).toBe('model');
    expect(spec).toMatchObject({ specVersion: 2, kind: 'model', id: node.id, location: { layer: 'silver', path: 'stg_customer_orders' } });
    expect([spec.full, spec.incremental, spec.post]).toEqual(node.kind === 'model' ? [node.full, node.incremental, node.post] : []);
    expect(spec.incremental.map((o: { kind: string }) => o.kind)).toEqual(['CreateDatabase', 'SchemaChange', 'Merge']);
    expect(spec.layerRoots).toEqual({ bronze: `s3://${BUCKET}/bronze`, silver: `s3://${BUCKET}/silver`, gold: `s3://${BUCKET}/gold` });
    expect(spec.tests).toEqual([{ id: 'test.stg_customer_orders.not_null.order_id', name: 'stg_customer_orders.not_null.order_id', blocksDownstream: true, test: (plan.nodes['test.stg_customer_orders.not_null.order_id'] as { test: unknown }).test }]);
    expect(await getText(`etl/builds/${result.requests.buildId}/driver/etl_driver.py`)).toContain('def main(');
    expect(await getText(`etl/builds/${result.requests.buildId}/driver/etl_engine.py`)).toContain('class EmrEngine');

    // Glue: databases per layer; bronze Parquet tables and Delta model tables with full schemas.
    const dbs = await moto.clients.glue.send(new GetDatabasesCommand({}));
    expect(dbs.DatabaseList.map((d: { Name: string }) => d.Name).sort()).toEqual(['bronze', 'gold', 'silver']);
    const tableNames = async (db: string) => (await moto.clients.glue.send(new GetTablesCommand({ DatabaseName: db }))).TableList.map((t: { Name: string }) => t.Name).sort();
    expect(await tableNames('bronze')).toEqual(['kafka_order_events', 'snowflake_customer_orders']);
    expect(await tableNames('silver')).toEqual(['stg_customer_orders']); // the view is Spark's to register; ephemeral has no table
    expect(await tableNames('gold')).toEqual(['dim_customers', 'fct_orders', 'mart_sales']);

    const orders = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: 'bronze', Name: 'snowflake_customer_orders' }))).Table;
    expect(orders.PartitionKeys).toEqual([{ Name: 'ingest_date', Type: 'date' }]);
    expect(orders.StorageDescriptor.Location).toBe(`s3://${BUCKET}/bronze/snowflake/customer_orders/`);
    expect(orders.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe('org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe');
    const cols = Object.fromEntries(orders.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]));
    expect(cols).toMatchObject({
      order_id: 'string',
      amount: 'decimal(18,2)',
      order_date: 'date',
      line_items: 'array<struct<sku:string,qty:int>>',
      updated_at: 'timestamp',
      _run_id: 'string',
      _extracted_at: 'timestamp',
      _is_deleted: 'boolean',
    });
    expect(cols).not.toHaveProperty('ingest_date');
    const email = orders.StorageDescriptor.Columns.find((c: { Name: string }) => c.Name === 'customer_email');
    expect(email.Parameters['etl:classification']).toBe('pii');
    expect(email.Comment).toBe('Email captured at checkout.');
    expect(orders.Parameters).toMatchObject({ classification: 'parquet', 'etl:classification': 'pii,sensitive', 'etl:layer': 'bronze' });

    const events = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: 'bronze', Name: 'kafka_order_events' }))).Table;
    expect(Object.fromEntries(events.StorageDescriptor.Columns.map((c: { Name: string; Type: string }) => [c.Name, c.Type]))).toMatchObject({
      attributes: 'map<string,string>',
      _partition: 'int',
      _offset: 'bigint',
      _kafka_timestamp: 'timestamp',
    });

    const stg = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: 'silver', Name: 'stg_customer_orders' }))).Table;
    expect(stg.Parameters).toMatchObject({ table_type: 'DELTA', 'spark.sql.sources.provider': 'delta', 'etl:materialized': 'incremental', 'etl:classification': 'pii,sensitive' });
    expect(stg.PartitionKeys ?? []).toEqual([]);
    expect(stg.StorageDescriptor.Location).toBe(`s3://${BUCKET}/silver/stg_customer_orders/`);
    expect(stg.StorageDescriptor.SerdeInfo.Parameters.path).toBe(`s3://${BUCKET}/silver/stg_customer_orders/`);
    expect(stg.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(['order_id', 'customer_email', 'amount', 'order_date', 'updated_at']);

    // EMR: a cluster shaped by project.yaml, and one step per non-ephemeral model.
    const clusterId = result.run!.clusterId;
    const cluster = (await moto.clients.emr.send(new DescribeClusterCommand({ ClusterId: clusterId }))).Cluster;
    expect(cluster.ReleaseLabel).toBe('emr-7.13.0');
    expect(cluster.LogUri).toBe(`s3://${BUCKET}/emr-logs/`);
    expect(cluster.StepConcurrencyLevel).toBe(4);
    expect(Object.fromEntries(cluster.Tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]))).toMatchObject({ team: 'data-platform', cost_center: 'analytics', 'managed-by': 'lakehouse-etl' });
    const classifications = cluster.Configurations.map((c: { Classification: string }) => c.Classification);
    expect(classifications).toEqual(expect.arrayContaining(['delta-defaults', 'spark-defaults', 'spark-hive-site']));
    const groups = (await moto.clients.emr.send(new ListInstanceGroupsCommand({ ClusterId: clusterId }))).InstanceGroups;
    const shape = groups.map((g: any) => [g.InstanceGroupType, g.Market, g.InstanceType, g.RequestedInstanceCount]).sort();
    expect(shape).toEqual([
      ['CORE', 'ON_DEMAND', 'm5.2xlarge', 4],
      ['MASTER', 'ON_DEMAND', 'm5.2xlarge', 1],
      ['TASK', 'SPOT', 'm5.2xlarge', 2],
    ]);
    const runJobFlow: any = sent.find((c) => c instanceof RunJobFlowCommand)?.input;
    expect(runJobFlow.ManagedScalingPolicy.ComputeLimits).toMatchObject({ MinimumCapacityUnits: 2, MaximumCapacityUnits: 10, UnitType: 'Instances' });
    expect(runJobFlow.Instances.KeepJobFlowAliveWhenNoSteps).toBe(true);
    expect(runJobFlow.Configurations.find((c: any) => c.Classification === 'spark-hive-site').Properties['hive.metastore.client.factory.class']).toMatch(/AWSGlueDataCatalogHiveClientFactory/);

    const listed = (await moto.clients.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps;
    expect(listed).toHaveLength(6);
    const uploaded = new Set(keys.map((k) => `s3://${BUCKET}/${k}`));
    for (const step of listed) {
      expect(step.ActionOnFailure).toBe('CONTINUE');
      expect(step.Config.Jar).toBe('command-runner.jar');
      const args: string[] = step.Config.Args;
      expect(args.slice(0, 3)).toEqual(['spark-submit', '--deploy-mode', 'cluster']);
      // Every s3:// input a step reads was uploaded by this build (results are written by steps).
      const inputs = args.filter((a, i) => a.startsWith('s3://') && args[i - 1] !== '--result' && args[i - 1] !== '--requires');
      expect(inputs).toHaveLength(3); // the driver, its engine module and the step spec
      for (const uri of inputs) expect(uploaded.has(uri)).toBe(true);
    }
    const fct = listed.find((s: { Name: string }) => s.Name.endsWith(' fct_orders'));
    const requires = fct.Config.Args.filter((_: string, i: number, a: string[]) => a[i - 1] === '--requires');
    // Through the ephemeral int_order_enriched to its parent stg_customer_orders.
    expect(requires.map((u: string) => u.replace(/^.*\//, ''))).toEqual(['model.dim_customers.json', 'model.stg_customer_orders.json', 'model.stg_order_events.json']);

    const stgStep = listed.find((s: { Name: string }) => s.Name.endsWith(" stg_customer_orders"));
    expect(stgStep.Config.Args.filter((_: string, i: number, a: string[]) => a[i - 1] === '--requires').map((u: string) => u.replace(/^.*\//, ''))).toEqual(['source.snowflake.customer_orders.json']);

    const runResults = JSON.parse(readFileSync(result.runResultsPath!, 'utf8'));
    expect(runResults.results.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual(
      ['source.snowflake.customer_orders', ...plan.stages.flatMap((s) => s.models).filter((m) => m !== 'model.int_order_enriched')].map((m) => [m, 'submitted']),
    );
  });

  it('is idempotent: the same compile gives the same build id, uploads nothing new and leaves Glue unchanged', async () => {
    const { manifest, plan } = fixtureProject();
    const lines: string[] = [];
    const first = await runEmrBuild(manifest, plan, base({ wait: false }));
    const again = await runEmrBuild(manifest, plan, base({ wait: false, log: (l) => lines.push(l) }));
    expect(again.requests.buildId).toBe(first.requests.buildId);
    expect(lines.join('\n')).toMatch(/\(0 uploaded, \d+ unchanged\)/);
    expect(lines.join('\n')).toContain('6 tables (0 created, 0 updated, 6 unchanged)');
  });

  it('dry run returns the exact requests and sends none of them', async () => {
    const { manifest, plan } = fixtureProject();
    const dry = await runEmrBuild(manifest, plan, base({ dryRun: true, runId: 'r1', env: {} }));
    expect(await listKeys()).toEqual([]);
    expect((await moto.clients.glue.send(new GetDatabasesCommand({}))).DatabaseList).toEqual([]);
    expect((await moto.clients.emr.send(new ListClustersCommand({}))).Clusters).toEqual([]);
    expect(dry.requests.emr.RunJobFlow).toEqual(runJobFlowRequest(parseEmrSettings(manifest.target), 'enterprise_lakehouse'));
    expect(dry.requests.emr.AddJobFlowSteps.Steps).toHaveLength(6);

    // A real build sends what the dry run printed.
    const real = await runEmrBuild(manifest, plan, base({ wait: false, runId: 'r1' }));
    expect(real.requests).toEqual(JSON.parse(JSON.stringify({ ...dry.requests })));
    const clusterId = real.run!.clusterId;
    const steps = (await moto.clients.emr.send(new ListStepsCommand({ ClusterId: clusterId }))).Steps.reverse();
    expect(steps.map((s: any) => s.Config.Args)).toEqual(dry.requests.emr.AddJobFlowSteps.Steps.map((s: any) => s.HadoopJarStep.Args));
    for (const t of dry.requests.glue.UpsertTable as Array<{ DatabaseName: string; TableInput: any }>) {
      const got = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: t.DatabaseName, Name: t.TableInput.Name }))).Table;
      expect(got.StorageDescriptor.Columns).toEqual(t.TableInput.StorageDescriptor.Columns);
      expect(got.Parameters).toEqual(t.TableInput.Parameters);
    }
  });

  it('runs the plan on an existing cluster, reports per-model status, writes run_results.json and CloudWatch metrics, then terminates', async () => {
    const { manifest, plan } = fixtureProject();
    const existing = await moto.clients.emr.send(
      new RunJobFlowCommand({ Name: 'shared', ReleaseLabel: 'emr-7.13.0', Instances: { KeepJobFlowAliveWhenNoSteps: true, InstanceCount: 1, MasterInstanceType: 'm5.xlarge' }, ServiceRole: 'r', JobFlowRole: 'p' }),
    );
    const rowsWritten: Record<string, number> = { 'model.stg_customer_orders': 1200, 'model.stg_order_events': 0, 'model.dim_customers': 300 };
    // Plays the driver: writes each finished step's result where the build reads it, and (as
    // Spark's CREATE OR REPLACE does) replaces the Glue schema with Spark's placeholder.
    const playDriver = async (step: ScriptedStep, state: string) => {
      const args = step.config.HadoopJarStep!.Args!;
      const resultUri = args[args.indexOf('--result') + 1]!;
      const failed = state === 'FAILED';
      const tests =
        step.nodeId === 'model.stg_customer_orders'
          ? [{ id: 'test.stg_customer_orders.not_null.order_id', name: 'stg_customer_orders.not_null.order_id', severity: 'error', status: 'pass', failures: 0 }]
          : [];
      const body = { id: step.nodeId, status: failed ? 'error' : 'success', mode: 'full', rowsWritten: rowsWritten[step.nodeId] ?? null, tests, ...(failed ? { message: 'AnalysisException: column x not found' } : {}) };
      await moto.clients.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: resultUri.replace(`s3://${BUCKET}/`, ''), Body: JSON.stringify(body) }));
      if (step.nodeId === 'model.stg_customer_orders') {
        await moto.clients.glue.send(
          new UpdateTableCommand({
            DatabaseName: 'silver',
            TableInput: { Name: 'stg_customer_orders', Parameters: { 'spark.sql.sources.provider': 'delta' }, StorageDescriptor: { Columns: [{ Name: 'col', Type: 'array<string>' }], Location: `s3://${BUCKET}/silver/stg_customer_orders` } },
          }),
        );
      }
    };
    const emr = new ScriptedEmr({ 'model.dim_customers': ['PENDING', 'RUNNING', 'FAILED'], 'model.fct_orders': ['PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED'], 'model.mart_sales': ['PENDING', 'PENDING', 'PENDING', 'PENDING', 'COMPLETED'] }, playDriver, undefined, moto.clients.emr);
    const lines: string[] = [];
    const projectDir = project();
    const result = await runEmrBuild(manifest, plan, { projectDir, env: moto.env, sleep: async () => {}, clusterId: existing.JobFlowId, terminate: true, clients: { emr }, log: (l) => lines.push(l) });

    expect(result.ok).toBe(false);
    const byId = Object.fromEntries(result.run!.results.map((r) => [r.id, r]));
    expect(byId['model.stg_customer_orders']).toMatchObject({ kind: 'model', status: 'success', rows: 1200, mode: 'full', qualityScore: 100, name: 'silver.stg_customer_orders' });
    expect(byId['test.stg_customer_orders.not_null.order_id']).toMatchObject({ kind: 'test', status: 'pass', failures: 0, attachedTo: 'model.stg_customer_orders' });
    expect(byId['model.dim_customers']).toMatchObject({ status: 'error', message: 'AnalysisException: column x not found' });
    expect(byId['model.fct_orders']).toMatchObject({ status: 'skipped', message: 'skipped: upstream model.dim_customers failed' });
    expect(byId['test.fct_orders.expression.amount']).toMatchObject({ kind: 'test', status: 'skipped' });
    expect(byId['model.mart_sales']!.status).toBe('skipped');
    expect(byId['source.snowflake.customer_orders']).toMatchObject({ kind: 'source', status: 'success' });
    expect(result.run!.summary).toMatchObject({ success: 3, error: 1, skipped: 2 });
    expect(lines.some((l) => /ERROR\s+gold\.dim_customers/.test(l))).toBe(true);

    const written = JSON.parse(readFileSync(join(projectDir, 'target', 'run_results.json'), 'utf8'));
    expect(written.results).toEqual(JSON.parse(JSON.stringify(result.run!.results)));
    expect(written.clusterId).toBe(existing.JobFlowId);

    // No new cluster; the existing one was terminated as asked.
    expect(emr.calls.some((c) => c.command === 'RunJobFlowCommand')).toBe(false);
    const state = (await moto.clients.emr.send(new DescribeClusterCommand({ ClusterId: existing.JobFlowId }))).Cluster.Status.State;
    expect(state).toMatch(/TERMINAT/);

    // The Glue schema Spark clobbered is restored after the model succeeded.
    const stg = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: 'silver', Name: 'stg_customer_orders' }))).Table;
    expect(stg.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(['order_id', 'customer_email', 'amount', 'order_date', 'updated_at']);

    // CloudWatch: per-model metrics under the project namespace.
    const ns = 'EnterpriseLakehouse/ETL';
    const metrics = await moto.clients.cloudwatch.send(new ListMetricsCommand({ Namespace: ns }));
    const names = new Set(metrics.Metrics.map((m: { MetricName: string }) => m.MetricName));
    for (const n of ['RecordsProcessed', 'ModelDuration', 'ModelFailed', 'TestsFailed', 'DataQualityScore', 'Models', 'BuildDuration']) expect(names).toContain(n);
    const stats = await moto.clients.cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: ns,
        MetricName: 'RecordsProcessed',
        Dimensions: [
          { Name: 'Project', Value: 'enterprise_lakehouse' },
          { Name: 'Model', Value: 'model.stg_customer_orders' },
        ],
        StartTime: new Date(Date.now() - 3600_000),
        EndTime: new Date(Date.now() + 3600_000),
        Period: 60,
        Statistics: ['Sum'],
      }),
    );
    expect(stats.Datapoints.reduce((s: number, d: { Sum: number }) => s + d.Sum, 0)).toBe(1200);
  });

  it('refuses to upload an artifact that holds a secret from the environment', async () => {
    const { manifest, plan } = fixtureProject();
    const mart = plan.nodes['model.mart_sales']!;
    const replace = mart.kind === 'model' ? mart.full.find((o) => o.kind === 'CreateOrReplaceTableAs') : undefined;
    if (replace?.kind !== 'CreateOrReplaceTableAs') throw new Error('mart_sales is a table');
    replace.query.sql = "SELECT 'hunter2-password' AS p";
    const err = await runEmrBuild(manifest, plan, base({ env: { ...moto.env, SNOWFLAKE_PASSWORD: 'hunter2-password' } })).catch((e) => e);
    expect(err).toBeInstanceOf(AwsTargetError);
    expect(err.code).toBe('SECRET_IN_ARTIFACT');
    expect(err.message).toContain('$SNOWFLAKE_PASSWORD');
    expect(err.message).not.toContain('hunter2');
    expect(await listKeys()).toEqual([]);
  });

  it('says which bucket is missing', async () => {
    const { manifest, plan } = fixtureProject();
    (manifest.target.settings as { bucket: string }).bucket = 'no-such-bucket';
    const err = await runEmrBuild(manifest, plan, base({ wait: false })).catch((e) => e);
    expect(err).toBeInstanceOf(AwsTargetError);
    expect(err.format()).toMatch(/no-such-bucket/);
  });

  it('keeps AWS credentials out of the request list and run results', async () => {
    const { manifest, plan } = fixtureProject();
    const result = await runEmrBuild(manifest, plan, base({ wait: false }));
    const text = JSON.stringify(result.requests) + readFileSync(result.runResultsPath!, 'utf8');
    expect(text).not.toContain(moto.env.AWS_SECRET_ACCESS_KEY);
    for (const key of await listKeys()) expect(await getText(key)).not.toContain(moto.env.AWS_SECRET_ACCESS_KEY);
  });
});
