/**
 * Roles: EMR's service role and the instance profile of its nodes, the role scheduled ingestion
 * runs with, the role scheduled builds run with (both ECS task roles of the `etl` image). Each is
 * granted the bucket prefixes, Glue databases, key and metric namespace it uses, and no more.
 */
import { getAtt, policyDocument, ref, sub, assumedBy, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';
import { keyArn } from './kms.js';

export const EMR_SERVICE_ROLE = 'EmrServiceRole';
export const EMR_INSTANCE_ROLE = 'EmrInstanceRole';
export const EMR_INSTANCE_PROFILE = 'EmrInstanceProfile';
export const INGESTION_ROLE = 'IngestionRole';
export const BUILD_ROLE = 'BuildRole';

type Statement = Record<string, unknown>;

const s3 = (ctx: InfraContext, key: string) => sub(`arn:\${AWS::Partition}:s3:::${ctx.bucket}${key}`);
const glue = (what: string) => sub(`arn:\${AWS::Partition}:glue:\${AWS::Region}:\${AWS::AccountId}:${what}`);

function bucketStatements(ctx: InfraContext, prefixes: string[]): Statement[] {
  return [
    { Sid: 'ListLakehouse', Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation', 's3:ListBucketVersions'], Resource: s3(ctx, '') },
    { Sid: 'ReadWriteObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: prefixes.map((p) => s3(ctx, `/${p}*`)) },
    { Sid: 'UseLakehouseKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:DescribeKey'], Resource: keyArn() },
  ];
}

function glueStatement(databases: string[]): Statement {
  return {
    Sid: 'GlueCatalog',
    Effect: 'Allow',
    Action: ['glue:GetDatabase', 'glue:GetDatabases', 'glue:CreateDatabase', 'glue:DeleteDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:CreateTable', 'glue:UpdateTable', 'glue:DeleteTable', 'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchCreatePartition', 'glue:CreatePartition', 'glue:BatchDeletePartition'],
    // `<db>__<env>` are pull-request environments (etl --env).
    Resource: [glue('catalog'), ...databases.flatMap((d) => [glue(`database/${d}`), glue(`database/${d}__*`), glue(`table/${d}/*`), glue(`table/${d}__*/*`)])],
  };
}

function metricsStatement(ctx: InfraContext): Statement {
  return { Sid: 'PutMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': ctx.namespace } } };
}

const allPrefixes = (ctx: InfraContext): string[] =>
  ctx.layers.map((l) => (l.prefix ? `${l.prefix}/` : '')).filter(Boolean).concat(`${ctx.artifactsPrefix}/`, 'envs/', ...(ctx.logsPrefix ? [`${ctx.logsPrefix}/`] : []));

function role(name: string, service: string, statements: Statement[], extra: Record<string, unknown> = {}): Resources[string] {
  return { Type: 'AWS::IAM::Role', Properties: { RoleName: name, AssumeRolePolicyDocument: assumedBy(service), Policies: [{ PolicyName: 'lakehouse', PolicyDocument: policyDocument(statements) }], ...extra } };
}

function emrControlStatements(): Statement[] {
  return [
    {
      Sid: 'RunEmr',
      Effect: 'Allow',
      Action: ['elasticmapreduce:RunJobFlow', 'elasticmapreduce:AddJobFlowSteps', 'elasticmapreduce:DescribeCluster', 'elasticmapreduce:DescribeStep', 'elasticmapreduce:ListSteps', 'elasticmapreduce:ListClusters', 'elasticmapreduce:CancelSteps', 'elasticmapreduce:TerminateJobFlows', 'elasticmapreduce:AddTags'],
      Resource: '*',
    },
    { Sid: 'PassEmrRoles', Effect: 'Allow', Action: 'iam:PassRole', Resource: [getAtt(EMR_SERVICE_ROLE, 'Arn'), getAtt(EMR_INSTANCE_ROLE, 'Arn')] },
  ];
}

export function iamResources(ctx: InfraContext): Resources {
  const databases = ctx.layers.map((l) => l.database);
  const bronze = ctx.layers.find((l) => l.layer === 'bronze');
  return {
    [EMR_SERVICE_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: `${ctx.project}-emr-service`,
        AssumeRolePolicyDocument: assumedBy('elasticmapreduce.amazonaws.com'),
        ManagedPolicyArns: [sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonElasticMapReduceRole')],
        // EBS volumes of the nodes are encrypted with the key (emr-security.ts).
        Policies: [{ PolicyName: 'ebs-encryption', PolicyDocument: policyDocument([{ Effect: 'Allow', Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:DescribeKey', 'kms:Decrypt', 'kms:Encrypt'], Resource: keyArn() }]) }],
      },
    },
    [EMR_INSTANCE_ROLE]: role(`${ctx.project}-emr-ec2`, 'ec2.amazonaws.com', [...bucketStatements(ctx, allPrefixes(ctx)), glueStatement(databases), metricsStatement(ctx)]),
    [EMR_INSTANCE_PROFILE]: { Type: 'AWS::IAM::InstanceProfile', Properties: { InstanceProfileName: `${ctx.project}-emr-ec2`, Roles: [ref(EMR_INSTANCE_ROLE)] } },
    [INGESTION_ROLE]: role(`${ctx.project}-etl-ingestion`, 'ecs-tasks.amazonaws.com', [
      ...bucketStatements(ctx, [bronze?.prefix ? `${bronze.prefix}/` : '', `${ctx.artifactsPrefix}/`].filter(Boolean)),
      glueStatement(bronze ? [bronze.database] : []),
      metricsStatement(ctx),
    ]),
    [BUILD_ROLE]: role(`${ctx.project}-etl-build`, 'ecs-tasks.amazonaws.com', [...bucketStatements(ctx, allPrefixes(ctx)), glueStatement(databases), metricsStatement(ctx), ...emrControlStatements()]),
  };
}
