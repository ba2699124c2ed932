import { describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../runtime/aws/artifacts.js';
import { buildNodes } from '../../runtime/aws/build-models.js';
import { stepRequests } from '../../runtime/aws/emr-steps.js';
import { runSteps, type StepEvent, type StepState } from '../../runtime/aws/step-runner.js';
import { fixtureProject } from './fixtures/manifest.js';
import { ScriptedEmr } from './fixtures/scripted-emr.js';

function steps() {
  const { manifest, plan } = fixtureProject();
  const nodes = buildNodes(plan);
  const { layout } = buildArtifacts({ manifest, plan, nodes, bucket: 'b', artifactsPrefix: 'etl/builds', projectDir: '/nonexistent' });
  return stepRequests(layout, nodes, { runId: 'r1', fullRefresh: false, waitTimeoutSeconds: 60 });
}

const run = (emr: ScriptedEmr, extra: Partial<Parameters<typeof runSteps>[0]> = {}) =>
  runSteps({ emr, clusterId: 'j-TEST', steps: steps(), wait: true, pollIntervalMs: 0, sleep: async () => {}, ...extra });

const statusOf = (outcomes: Awaited<ReturnType<typeof runSteps>>) => Object.fromEntries(outcomes.map((o) => [o.nodeId, o.status]));

describe('EMR step polling with scripted step states', () => {
  it('reports every model successful when every step completes', async () => {
    const emr = new ScriptedEmr({});
    const events: StepEvent[] = [];
    const outcomes = await run(emr, { onEvent: (e) => events.push(e) });
    expect(statusOf(outcomes)).toEqual({
      'source.snowflake.customer_orders': 'success',
      'model.stg_customer_orders': 'success',
      'model.stg_order_events': 'success',
      'model.dim_customers': 'success',
      'model.fct_orders': 'success',
      'model.mart_sales': 'success',
    });
    expect(outcomes.every((o) => o.durationMs! > 0)).toBe(true);
    // One submission: tested sources first, then models in plan order, ephemeral model excluded.
    expect(emr.calls.filter((c) => c.command === 'AddJobFlowStepsCommand')).toHaveLength(1);
    expect(emr.steps.map((s) => s.nodeId)).toEqual(['source.snowflake.customer_orders', 'model.stg_customer_orders', 'model.stg_order_events', 'model.dim_customers', 'model.fct_orders', 'model.mart_sales']);
    expect(events.filter((e) => e.kind === 'finished')).toHaveLength(6);
    expect(emr.calls.some((c) => c.command === 'CancelStepsCommand')).toBe(false);
  });

  it('skips the downstream of a model that fails mid-plan and cancels their pending steps', async () => {
    const emr = new ScriptedEmr({
      'model.dim_customers': ['PENDING', 'RUNNING', 'FAILED'],
      // Still pending when dim_customers fails, so cancellable.
      'model.fct_orders': ['PENDING', 'PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED'],
      'model.mart_sales': ['PENDING', 'PENDING', 'PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED'],
    });
    const outcomes = await run(emr);
    expect(statusOf(outcomes)).toEqual({
      'source.snowflake.customer_orders': 'success',
      'model.stg_customer_orders': 'success',
      'model.stg_order_events': 'success',
      'model.dim_customers': 'error',
      'model.fct_orders': 'skipped',
      'model.mart_sales': 'skipped',
    });
    const failed = outcomes.find((o) => o.nodeId === 'model.dim_customers')!;
    expect(failed.message).toContain('Spark job failed');
    expect(failed.logFile).toMatch(/stderr\.gz$/);
    expect(outcomes.find((o) => o.nodeId === 'model.mart_sales')!.message).toBe('skipped: upstream model.dim_customers failed');
    const cancels = emr.calls.filter((c) => c.command === 'CancelStepsCommand');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]!.input.StepIds).toEqual(emr.steps.filter((s) => ['model.fct_orders', 'model.mart_sales'].includes(s.nodeId)).map((s) => s.id));
  });

  it('leaves models that do not depend on the failure alone', async () => {
    const waiting: StepState[] = ['PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED'];
    const emr = new ScriptedEmr({ 'model.stg_order_events': ['PENDING', 'FAILED'], 'model.fct_orders': waiting, 'model.mart_sales': waiting });
    const outcomes = await run(emr);
    expect(statusOf(outcomes)).toMatchObject({
      'model.stg_customer_orders': 'success',
      'model.dim_customers': 'success',
      'model.stg_order_events': 'error',
      'model.fct_orders': 'skipped',
      'model.mart_sales': 'skipped',
    });
  });

  it('treats a step cancelled outside the build as cancelled and skips its downstream', async () => {
    const emr = new ScriptedEmr({
      'model.fct_orders': ['PENDING', 'CANCELLED'],
      'model.mart_sales': ['PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED'],
    });
    const outcomes = await run(emr);
    expect(statusOf(outcomes)).toMatchObject({ 'model.fct_orders': 'cancelled', 'model.mart_sales': 'skipped', 'model.dim_customers': 'success' });
    expect(outcomes.find((o) => o.nodeId === 'model.fct_orders')!.message).toMatch(/outside this build/);
  });

  it('reports a skipped step that raced ahead of its cancellation by what the step did', async () => {
    // mart_sales already RUNNING when fct_orders fails: CancelSteps cannot stop it; its own
    // driver sees the failed parent and completes without running the model.
    const emr = new ScriptedEmr({
      'model.fct_orders': ['RUNNING', 'RUNNING', 'FAILED'],
      'model.mart_sales': ['RUNNING', 'RUNNING', 'RUNNING', 'COMPLETED'],
    });
    const outcomes = await run(emr);
    expect(statusOf(outcomes)).toMatchObject({ 'model.fct_orders': 'error', 'model.mart_sales': 'success' });
    const cancel = emr.calls.find((c) => c.command === 'CancelStepsCommand')!;
    expect(cancel.input.StepIds).toHaveLength(1);
  });

  it('cancels every unfinished step when the build is aborted', async () => {
    const controller = new AbortController();
    const emr = new ScriptedEmr({}, undefined, ['PENDING', 'PENDING', 'PENDING', 'RUNNING', 'COMPLETED']);
    let polls = 0;
    const outcomes = await run(emr, {
      sleep: async () => {
        if (++polls === 1) controller.abort();
      },
      signal: controller.signal,
    });
    expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set(['cancelled']));
    expect(outcomes[0]!.message).toBe('build cancelled by the user');
    expect(emr.calls.filter((c) => c.command === 'CancelStepsCommand')[0]!.input.StepIds).toHaveLength(6);
  });

  it('returns right after submitting without --wait', async () => {
    const emr = new ScriptedEmr({});
    const outcomes = await run(emr, { wait: false });
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('submitted'));
    expect(emr.calls.map((c) => c.command)).toEqual(['AddJobFlowStepsCommand']);
  });
});
