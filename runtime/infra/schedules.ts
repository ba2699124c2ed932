/**
 * EventBridge Scheduler: for each cadence the sources declare (compiler/config/schedule.ts), one
 * schedule that ingests the tables of that cadence and one, 30 minutes later, that builds the models
 * reading them (`--select source:<table>+`). Each starts the project's `etl` image as an ECS task
 * (universal target `ecs:runTask`), with the ingestion or build role as its task role.
 */
import { cadenceKey, schedulerExpression, type Schedule } from '../../compiler/config/schedule.js';
import { pascal, policyDocument, ref, sub, type Parameter, type Resources } from './cfn.js';
import type { InfraContext, SourceInfo } from './context.js';
import { BUILD_ROLE, INGESTION_ROLE } from './iam.js';

export const SCHEDULER_ROLE = 'SchedulerRole';
export const SCHEDULE_GROUP = 'ScheduleGroup';
export const SUBNETS_PARAMETER = 'RunnerSubnets';
const BUILD_OFFSET_MINUTES = 30;

export interface Cadence {
  key: string;
  schedule: Schedule;
  sources: SourceInfo[];
}

/** Sources grouped by cadence, in a stable order. */
export function cadences(ctx: InfraContext): Cadence[] {
  const byKey = new Map<string, Cadence>();
  for (const s of ctx.sources) {
    const key = cadenceKey(s.schedule);
    const c = byKey.get(key) ?? { key, schedule: s.schedule, sources: [] };
    c.sources.push(s);
    byKey.set(key, c);
  }
  return [...byKey.values()].sort((a, b) => a.key.localeCompare(b.key));
}

export function scheduleParameters(ctx: InfraContext): Record<string, Parameter> {
  if (ctx.infra.runner.subnets) return {};
  return { [SUBNETS_PARAMETER]: { Type: 'List<AWS::EC2::Subnet::Id>', Description: 'Subnets of the scheduled etl tasks (or set infra.runner.subnets in project.yaml)' } };
}

const runner = (ctx: InfraContext) => ({
  cluster: ctx.infra.runner.cluster ?? `${ctx.project.replace(/_/g, '-')}-etl`,
  taskDefinition: ctx.infra.runner.task_definition ?? `${ctx.project.replace(/_/g, '-')}-etl`,
});

/** The RunTask request as JSON text for Fn::Sub: `${Subnets}` and `${Role}` are filled at deploy. */
function runTaskInput(ctx: InfraContext, command: string[]): string {
  const { cluster, taskDefinition } = runner(ctx);
  const groups = ctx.infra.runner.security_groups;
  const input = {
    Cluster: cluster,
    TaskDefinition: taskDefinition,
    LaunchType: 'FARGATE',
    NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['SUBNETS'], ...(groups.length ? { SecurityGroups: groups } : {}), AssignPublicIp: 'DISABLED' } },
    Overrides: { TaskRoleArn: '${Role}', ContainerOverrides: [{ Name: ctx.infra.runner.container, Command: command }] },
  };
  return JSON.stringify(input).replace('["SUBNETS"]', '["${Subnets}"]');
}

function schedule(ctx: InfraContext, kind: 'ingest' | 'build', cadence: Cadence): Resources[string] {
  const selects = cadence.sources.flatMap((s) => ['--select', kind === 'ingest' ? s.select : `source:${s.select}+`]);
  const command = [kind, '--target', ctx.targetName, ...selects];
  const subnets = ctx.infra.runner.subnets ? ctx.infra.runner.subnets.join('","') : { 'Fn::Join': ['","', ref(SUBNETS_PARAMETER)] };
  const role = kind === 'ingest' ? INGESTION_ROLE : BUILD_ROLE;
  return {
    Type: 'AWS::Scheduler::Schedule',
    Properties: {
      Name: `${ctx.project}-${kind}-${cadence.key}`.slice(0, 64),
      GroupName: ref(SCHEDULE_GROUP),
      Description: `etl ${kind} of ${cadence.sources.map((s) => s.select).join(', ')} (${cadence.schedule})`,
      ScheduleExpression: schedulerExpression(cadence.schedule, kind === 'build' ? BUILD_OFFSET_MINUTES : 0),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: sub('arn:${AWS::Partition}:scheduler:::aws-sdk:ecs:runTask'),
        RoleArn: { 'Fn::GetAtt': [SCHEDULER_ROLE, 'Arn'] },
        Input: { 'Fn::Sub': [runTaskInput(ctx, command), { Subnets: subnets, Role: { 'Fn::GetAtt': [role, 'Arn'] } }] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
      },
    },
  };
}

function schedulerRole(ctx: InfraContext): Resources[string] {
  const { cluster, taskDefinition } = runner(ctx);
  const clusterArn = cluster.startsWith('arn:') ? cluster : sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:cluster/${cluster}`);
  const taskArn = taskDefinition.startsWith('arn:') ? taskDefinition : sub(`arn:\${AWS::Partition}:ecs:\${AWS::Region}:\${AWS::AccountId}:task-definition/${taskDefinition}:*`);
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: `${ctx.project}-etl-scheduler`,
      AssumeRolePolicyDocument: policyDocument([{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } } }]),
      Policies: [
        {
          PolicyName: 'run-etl-tasks',
          PolicyDocument: policyDocument([
            { Effect: 'Allow', Action: 'ecs:RunTask', Resource: taskArn, Condition: { ArnEquals: { 'ecs:cluster': clusterArn } } },
            // The task roles, and the task definition's execution role (named in the image's task definition).
            { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } },
          ]),
        },
      ],
    },
  };
}

export function scheduleResources(ctx: InfraContext): Resources {
  const resources: Resources = {
    [SCHEDULE_GROUP]: { Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: `${ctx.project}-etl` } },
    [SCHEDULER_ROLE]: schedulerRole(ctx),
  };
  for (const cadence of cadences(ctx)) {
    resources[pascal('ingest', cadence.key, 'schedule')] = schedule(ctx, 'ingest', cadence);
    resources[pascal('build', cadence.key, 'schedule')] = schedule(ctx, 'build', cadence);
  }
  return resources;
}
