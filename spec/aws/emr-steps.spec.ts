import { describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../runtime/aws/artifacts.js';
import { buildNodes } from '../../runtime/aws/build-models.js';
import { runEmrBuild } from '../../runtime/aws/emr-build.js';
import { stepRequests } from '../../runtime/aws/emr-steps.js';
import { parseEmrSettings } from '../../runtime/aws/settings.js';
import { fixtureProject } from './fixtures/manifest.js';

function steps(opts: { fullRefresh?: boolean; select?: string[]; settings?: Record<string, unknown> } = {}) {
  const { manifest, plan } = fixtureProject();
  Object.assign(manifest.target.settings, opts.settings ?? {});
  const settings = parseEmrSettings(manifest.target);
  const nodes = buildNodes(plan, opts.select);
  const { layout } = buildArtifacts({ manifest, plan, nodes, bucket: settings.bucket, artifactsPrefix: settings.artifacts_prefix, projectDir: '/nonexistent' });
  return { layout, steps: stepRequests(layout, nodes, { runId: 'r9', fullRefresh: Boolean(opts.fullRefresh), waitTimeoutSeconds: 600, sparkConf: settings.spark_conf }) };
}

describe('EMR step definitions', () => {
  it('runs the uploaded driver on the uploaded step spec, writing a per-run result', () => {
    const { layout, steps: all } = steps();
    const mart = all.find((s) => s.nodeId === 'model.mart_sales')!;
    const root = `s3://company-lakehouse/etl/builds/${layout.buildId}`;
    expect(mart.step.HadoopJarStep!.Args).toEqual([
      'spark-submit', '--deploy-mode', 'cluster',
      '--conf', 'spark.yarn.maxAppAttempts=1',
      '--conf', 'spark.app.name=etl:mart_sales',
      '--conf', 'spark.sql.session.timeZone=UTC',
      '--py-files', `${root}/driver/etl_engine.py`,
      `${root}/driver/etl_driver.py`,
      '--step', `${root}/steps/model.mart_sales.json`,
      '--result', `${root}/results/r9/model.mart_sales.json`,
      '--run-id', 'r9',
      '--wait-timeout', '600',
      // Its plan edges: both parents (the edge to fct_orders' test is the step of fct_orders).
      '--requires', `${root}/results/r9/model.fct_orders.json`,
      '--requires', `${root}/results/r9/model.stg_customer_orders.json`,
    ]);
    expect(mart.step.Name).toBe(`etl ${layout.buildId.slice(0, 8)} mart_sales`);
  });

  it('passes --full-refresh and the target spark_conf to every step', () => {
    const { steps: all } = steps({ fullRefresh: true, settings: { spark_conf: { 'spark.sql.shuffle.partitions': 200 } } });
    for (const s of all) {
      const args = s.step.HadoopJarStep!.Args!;
      expect(args.at(-1)).toBe('--full-refresh');
      expect(args).toContain('spark.sql.shuffle.partitions=200');
    }
  });

  it('waits only for the selected upstream models and tested sources', () => {
    const { steps: all } = steps({ select: ['model.fct_orders', 'model.stg_customer_orders'] });
    expect(all.map((s) => [s.nodeId, s.requires])).toEqual([
      ['source.snowflake.customer_orders', []],
      ['model.stg_customer_orders', ['source.snowflake.customer_orders']],
      // dim_customers and stg_order_events are not selected: read as they are.
      ['model.fct_orders', ['model.stg_customer_orders']],
    ]);
  });

  it('takes the steps and their edges from plan.json as it is', () => {
    const { plan } = fixtureProject();
    const nodes = buildNodes(plan);
    const mart = plan.nodes['model.mart_sales']!;
    // mart_sales waits in the plan for fct_orders' test and stg_customer_orders' test: tests run in
    // their node's step, so those edges are the steps of fct_orders and stg_customer_orders.
    expect(mart.dependsOn).toContain('test.fct_orders.expression.amount');
    expect(nodes.find((n) => n.id === 'model.mart_sales')!.requires).toEqual(['model.fct_orders', 'model.stg_customer_orders']);
    // The ephemeral int_order_enriched is not a plan node: fct_orders waits for its parent.
    expect(nodes.find((n) => n.id === 'model.fct_orders')!.requires).toEqual(['model.dim_customers', 'model.stg_customer_orders', 'model.stg_order_events']);
    // Only the tested source gets a step; the Kafka source is read as Glue has it.
    expect(nodes.filter((n) => n.kind === 'source').map((n) => [n.id, n.tests.map((t) => t.id)])).toEqual([
      ['source.snowflake.customer_orders', ['test.snowflake.customer_orders.freshness_error']],
    ]);
  });

  it('refuses a plan and a manifest from different compiles', async () => {
    const { manifest, plan } = fixtureProject();
    delete manifest.models['model.mart_sales'];
    const err = await runEmrBuild(manifest, plan, { projectDir: '/nonexistent', dryRun: true, env: {} }).catch((e) => e);
    expect(err).toMatchObject({ code: 'EMR_PLAN_MISMATCH' });
    expect(err.message).toContain('model.mart_sales');
  });

  it('keeps the build id when nothing changed and changes it with an operation', () => {
    const a = steps().layout.buildId;
    expect(steps().layout.buildId).toBe(a);
    const { manifest, plan } = fixtureProject();
    const mart = plan.nodes['model.mart_sales']!;
    if (mart.kind !== 'model') throw new Error('mart_sales is a model');
    mart.post = [{ kind: 'Optimize', relation: mart.relation, zorderBy: ['order_date'] }];
    const nodes = buildNodes(plan);
    expect(buildArtifacts({ manifest, plan, nodes, bucket: 'company-lakehouse', artifactsPrefix: 'etl/builds', projectDir: '/nonexistent' }).layout.buildId).not.toBe(a);
  });
});
