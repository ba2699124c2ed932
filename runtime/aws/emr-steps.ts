/**
 * EMR step definitions: one step per model (and per tested source), each a `spark-submit` of the
 * build's driver (with its engine module) on the node's step spec. A step names the result files
 * of the steps it requires; the driver waits for them and skips its node unless all succeeded, so
 * the dependency semantics hold on the cluster even if this process goes away after submitting.
 */
import type { StepConfig } from '@aws-sdk/client-emr';
import { keys, s3Uri, type BuildLayout } from './build-layout.js';
import type { BuildNode } from './build-models.js';

export interface StepRequest {
  /** Model or source id. */
  nodeId: string;
  requires: string[];
  resultKey: string;
  step: StepConfig;
}

export interface StepOptions {
  runId: string;
  fullRefresh: boolean;
  /** Seconds a step waits for the results of the models it requires. */
  waitTimeoutSeconds: number;
  /** Extra Spark settings for every step (targets.<emr>.spark_conf). */
  sparkConf?: Record<string, string>;
}

export function stepRequests(layout: BuildLayout, nodes: BuildNode[], opts: StepOptions): StepRequest[] {
  const driver = s3Uri(layout, keys.driver(layout));
  const engine = s3Uri(layout, keys.driverEngine(layout));
  return nodes.map(({ id, name, requires }) => {
    const resultKey = keys.result(layout, opts.runId, id);
    const args = [
      'spark-submit',
      '--deploy-mode',
      'cluster',
      // A retried attempt could append twice; the build reports the failure instead.
      '--conf',
      'spark.yarn.maxAppAttempts=1',
      '--conf',
      `spark.app.name=etl:${name}`,
      // As the local engine: timestamps mean the same thing on every target.
      '--conf',
      'spark.sql.session.timeZone=UTC',
      ...Object.entries(opts.sparkConf ?? {}).flatMap(([k, v]) => ['--conf', `${k}=${v}`]),
      '--py-files',
      engine,
      driver,
      '--step',
      s3Uri(layout, keys.stepSpec(layout, id)),
      '--result',
      s3Uri(layout, resultKey),
      '--run-id',
      opts.runId,
      '--wait-timeout',
      String(opts.waitTimeoutSeconds),
      ...requires.flatMap((p) => ['--requires', s3Uri(layout, keys.result(layout, opts.runId, p))]),
      ...(opts.fullRefresh ? ['--full-refresh'] : []),
    ];
    return {
      nodeId: id,
      requires,
      resultKey,
      step: {
        Name: `etl ${layout.buildId.slice(0, 8)} ${name}`.slice(0, 256),
        // The build decides what to skip; EMR must not stop the remaining steps on its own.
        ActionOnFailure: 'CONTINUE',
        HadoopJarStep: { Jar: 'command-runner.jar', Args: args },
      },
    };
  });
}
