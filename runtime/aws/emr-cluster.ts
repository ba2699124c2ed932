/**
 * The EMR cluster a build runs on: an existing one by id, or one created from project.yaml
 * with Spark, Delta and the Glue Data Catalog as Spark's metastore.
 */
import {
  DescribeClusterCommand,
  RunJobFlowCommand,
  TerminateJobFlowsCommand,
  type RunJobFlowCommandInput,
} from '@aws-sdk/client-emr';
import type { SdkClient } from './clients.js';
import { AwsTargetError, awsCall } from './errors.js';
import type { EmrSettings } from './settings.js';
import { emrfsSseKmsConfiguration } from './sse-kms.js';

export function runJobFlowRequest(settings: EmrSettings, projectName: string): RunJobFlowCommandInput {
  const c = settings.cluster;
  const taskType = c.task_instance_type ?? c.core_instance_type;
  return {
    Name: c.name ?? `${projectName}-etl`,
    ReleaseLabel: c.release,
    ...(c.log_uri ? { LogUri: c.log_uri } : {}),
    Applications: [{ Name: 'Spark' }, { Name: 'Hadoop' }],
    Configurations: [
      // EMR 7 ships Delta; this puts its jars on Spark's class path.
      { Classification: 'delta-defaults', Properties: { 'delta.enabled': 'true' } },
      {
        Classification: 'spark-defaults',
        Properties: {
          'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
          'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
          'spark.sql.adaptive.enabled': 'true',
        },
      },
      // Glue Data Catalog as Spark's metastore, so `silver.x` resolves to the tables the build registers.
      {
        Classification: 'spark-hive-site',
        Properties: { 'hive.metastore.client.factory.class': 'com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory' },
      },
      // SSE-KMS with the project's key on every EMRFS write of the cluster (targets.<emr>.kms_key).
      ...(settings.kms_key ? [emrfsSseKmsConfiguration(settings.kms_key)] : []),
    ],
    Instances: {
      InstanceGroups: [
        { Name: 'primary', InstanceRole: 'MASTER', Market: 'ON_DEMAND', InstanceType: c.primary_instance_type, InstanceCount: 1 },
        { Name: 'core', InstanceRole: 'CORE', Market: 'ON_DEMAND', InstanceType: c.core_instance_type, InstanceCount: c.core_instance_count },
        ...(c.task_spot_instance_count > 0
          ? [{ Name: 'task-spot', InstanceRole: 'TASK' as const, Market: 'SPOT' as const, InstanceType: taskType, InstanceCount: c.task_spot_instance_count }]
          : []),
      ],
      // Steps are added after creation, so the cluster must wait for them.
      KeepJobFlowAliveWhenNoSteps: true,
      TerminationProtected: false,
      ...(c.subnet_id ? { Ec2SubnetId: c.subnet_id } : {}),
      ...(c.ec2_key_name ? { Ec2KeyName: c.ec2_key_name } : {}),
    },
    ...(c.managed_scaling
      ? {
          ManagedScalingPolicy: {
            ComputeLimits: {
              UnitType: 'Instances',
              MinimumCapacityUnits: c.managed_scaling.min_units,
              MaximumCapacityUnits: c.managed_scaling.max_units,
              // Core (HDFS) nodes stay on demand at their count; growth comes from spot task nodes.
              MaximumOnDemandCapacityUnits: Math.min(c.managed_scaling.max_units, c.core_instance_count),
              MaximumCoreCapacityUnits: Math.min(c.managed_scaling.max_units, c.core_instance_count),
            },
          },
        }
      : {}),
    ...(c.idle_timeout_seconds ? { AutoTerminationPolicy: { IdleTimeout: c.idle_timeout_seconds } } : {}),
    StepConcurrencyLevel: c.step_concurrency,
    ServiceRole: c.service_role,
    JobFlowRole: c.instance_profile,
    ...(c.security_configuration ? { SecurityConfiguration: c.security_configuration } : {}),
    VisibleToAllUsers: true,
    Tags: Object.entries({ 'managed-by': 'lakehouse-etl', project: projectName, ...c.tags })
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([Key, Value]) => ({ Key, Value })),
  };
}

const USABLE = new Set(['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING']);

/** Checks that an existing cluster can take steps. */
export async function checkCluster(emr: SdkClient, clusterId: string): Promise<{ state: string; stepConcurrency: number }> {
  const out = await awsCall('elasticmapreduce:DescribeCluster', clusterId, () => emr.send(new DescribeClusterCommand({ ClusterId: clusterId })));
  const state: string = out.Cluster?.Status?.State ?? 'UNKNOWN';
  if (!USABLE.has(state)) {
    throw new AwsTargetError(
      'EMR_CLUSTER_NOT_USABLE',
      `EMR cluster ${clusterId} is ${state} and cannot run steps`,
      'set targets.<name>.cluster.existing_cluster_id to a running cluster, or null to create one',
    );
  }
  return { state, stepConcurrency: out.Cluster?.StepConcurrencyLevel ?? 1 };
}

export async function createCluster(emr: SdkClient, request: RunJobFlowCommandInput): Promise<string> {
  const out = await awsCall('elasticmapreduce:RunJobFlow', request.Name, () => emr.send(new RunJobFlowCommand(request)));
  if (!out.JobFlowId) throw new AwsTargetError('EMR_NO_CLUSTER_ID', 'RunJobFlow returned no cluster id');
  return out.JobFlowId as string;
}

export async function terminateCluster(emr: SdkClient, clusterId: string): Promise<void> {
  await awsCall('elasticmapreduce:TerminateJobFlows', clusterId, () => emr.send(new TerminateJobFlowsCommand({ JobFlowIds: [clusterId] })));
}
