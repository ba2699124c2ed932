/**
 * `etl infra deploy` of the reference project on moto's CloudFormation: a dry run changes nothing,
 * then the replica and primary stacks are created, and the resources moto's CloudFormation builds
 * are read back through their own APIs (bucket encryption, key, roles, instance profile, topic,
 * EMR security configuration, dashboard). moto 5.2.5 creates no AWS::CloudWatch::Alarm,
 * AWS::Scheduler::*, AWS::Glue::Database or AWS::S3::BucketPolicy from a template, and applies only
 * BucketEncryption and Tags of an AWS::S3::Bucket (moto/cloudformation/parsing.py, moto/s3/models.py):
 * lifecycle, replication, versioning, public access block, alarms and schedules are checked in the
 * template CloudFormation stored for the stack (GetTemplate), which is what AWS would build.
 */
import { CloudFormationClient, DescribeStackResourcesCommand, DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetDashboardCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeSecurityConfigurationCommand, EMRClient } from '@aws-sdk/client-emr';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { KMSClient, ListAliasesCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { CreateBucketCommand, GetBucketEncryptionCommand, S3Client } from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEtl } from '../compiler/helpers.js';
import { MOTO_ENV, startMotoServer, type MotoServer } from './moto-server.js';

const STACK = 'lakehouse-spec';
const PROJECT = 'enterprise_lakehouse';
const deployArgs = ['infra', 'deploy', '--stack', STACK, '--template-bucket', 'cfn-templates', '--parameter', 'RunnerSubnets=subnet-0abc,subnet-0def'];

describe('etl infra deploy on moto', () => {
  let moto: MotoServer;
  const saved = { ...process.env };
  const client = <T>(make: (config: { region: string; endpoint: string }) => T, region = 'us-east-1') => make({ region, endpoint: moto.endpoint });

  beforeAll(async () => {
    moto = await startMotoServer();
    Object.assign(process.env, MOTO_ENV, { ETL_AWS_ENDPOINT_URL: moto.endpoint, ETL_INFRA_POLL_MS: '200', AWS_EC2_METADATA_DISABLED: 'true' });
    await new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: 'cfn-templates' }));
  }, 120_000);
  afterAll(async () => {
    process.env = saved;
    await moto?.stop();
  });

  it('a dry run prints the change sets and leaves no stack', async () => {
    const res = await runEtl([...deployArgs, '--dry-run'], 180_000);
    expect(res.stderr).not.toMatch(/Error|Warning/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^${STACK}-replica \\(us-west-2\\): dry-run, create, 4 changes$`, 'm'));
    expect(res.stdout).toMatch(new RegExp(`^${STACK} \\(us-east-1\\): dry-run, create, \\d+ changes$`, 'm'));
    expect(res.stdout).toMatch(/^ {2}Add +LakehouseBucket \(AWS::S3::Bucket\)$/m);
    const cfn = client((c) => new CloudFormationClient(c));
    await expect(cfn.send(new DescribeStacksCommand({ StackName: STACK }))).rejects.toThrow(/does not exist/);
  }, 240_000);

  it('creates the stacks: encrypted buckets, key, roles, topic, EMR security, dashboard', async () => {
    const res = await runEtl(deployArgs, 180_000);
    expect(res.stderr).not.toMatch(/Error|Warning/);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^${STACK} \\(us-east-1\\): deployed, create`, 'm'));

    // moto's change-set path stores no stack Outputs: resources are found by their names.
    const stack = (await client((c) => new CloudFormationClient(c)).send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
    expect(stack?.Tags).toEqual([{ Key: 'cost_center', Value: 'analytics' }, { Key: 'project', Value: PROJECT }, { Key: 'team', Value: 'data-platform' }]);
    const kms = client((c) => new KMSClient(c));
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    expect(aliases.map((a) => a.AliasName)).toContain(`alias/${PROJECT}-lakehouse`);
    // moto keeps a template's KeyPolicy as an object and then fails DescribeKey/GetKeyPolicy on the
    // key (json.loads of a dict): the key is found by its alias, its policy checked in the template.
    const keyId = aliases.find((a) => a.AliasName === `alias/${PROJECT}-lakehouse`)?.TargetKeyId;
    expect((await kms.send(new ListKeysCommand({}))).Keys?.map((k) => k.KeyId)).toContain(keyId);
    const key = { KeyMetadata: { KeyId: keyId, Arn: `arn:aws:kms:us-east-1:123456789012:key/${keyId}` } };
    const enc = await client((c) => new S3Client({ ...c, forcePathStyle: true })).send(new GetBucketEncryptionCommand({ Bucket: 'company-lakehouse' }));
    const rule = enc.ServerSideEncryptionConfiguration?.Rules?.[0];
    expect(rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('aws:kms');
    expect(rule?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID).toBe(key.KeyMetadata!.Arn);
    const replicaEnc = await client((c) => new S3Client({ ...c, forcePathStyle: true }), 'us-west-2').send(new GetBucketEncryptionCommand({ Bucket: 'company-lakehouse-replica' }));
    expect(replicaEnc.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('aws:kms');

    const iam = client((c) => new IAMClient(c));
    const trust = async (name: string) => decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: name }))).Role!.AssumeRolePolicyDocument!);
    expect(await trust(`${PROJECT}-emr-service`)).toContain('elasticmapreduce.amazonaws.com');
    expect(await trust(`${PROJECT}-emr-ec2`)).toContain('ec2.amazonaws.com');
    expect(await trust(`${PROJECT}-etl-ingestion`)).toContain('ecs-tasks.amazonaws.com');
    expect(await trust(`${PROJECT}-etl-build`)).toContain('ecs-tasks.amazonaws.com');
    expect(await trust(`${PROJECT}-etl-scheduler`)).toContain('scheduler.amazonaws.com');
    expect(await trust(`${PROJECT}-s3-replication`)).toContain('s3.amazonaws.com');
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: `${PROJECT}-etl-ingestion` }))).PolicyNames).toEqual(['lakehouse']);
    const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: `${PROJECT}-emr-ec2` }));
    expect(profile.InstanceProfile?.Roles?.map((r) => r.RoleName)).toEqual([`${PROJECT}-emr-ec2`]);

    const sns = client((c) => new SNSClient(c));
    const topicArn = (await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn).find((arn) => arn?.endsWith(`:${PROJECT}-alerts`));
    const topic = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
    expect(topic.Attributes?.TopicArn).toMatch(new RegExp(`:${PROJECT}-alerts$`));
    expect(topic.Attributes?.KmsMasterKeyId).toBe(key.KeyMetadata!.Arn);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions).toEqual([]);

    const sec = await client((c) => new EMRClient(c)).send(new DescribeSecurityConfigurationCommand({ Name: `${PROJECT}-lakehouse` }));
    // moto keeps the configuration as Python's repr of the template's object, not as JSON.
    const text = sec.SecurityConfiguration!;
    expect(text).toMatch(/'EnableAtRestEncryption': True/);
    expect(text).toMatch(/'EnableInTransitEncryption': True/);
    expect(text).toContain(`'S3EncryptionConfiguration': {'EncryptionMode': 'SSE-KMS', 'AwsKmsKey': '${key.KeyMetadata.Arn}'}`);

    const dashboard = await client((c) => new CloudWatchClient(c)).send(new GetDashboardCommand({ DashboardName: `${PROJECT}-lakehouse` }));
    const body = JSON.parse(dashboard.DashboardBody!);
    expect(body.widgets[0].properties.metrics[0].slice(0, 2)).toEqual(['EnterpriseLakehouse/ETL', 'ModelFreshnessMinutes']);
  }, 240_000);

  it('the stored template has the lifecycle, replication, alarms on the topic and one schedule pair per cadence', async () => {
    const cfn = client((c) => new CloudFormationClient(c));
    const template = JSON.parse((await cfn.send(new GetTemplateCommand({ StackName: STACK }))).TemplateBody!);
    const resources = template.Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
    const keyProps = resources.LakehouseKey!.Properties;
    expect(keyProps.EnableKeyRotation).toBe(true);
    expect(keyProps.KeyPolicy.Statement.map((st: { Sid: string }) => st.Sid)).toEqual(['AccountAdministers', 'CloudWatchAlarmsPublishToEncryptedTopic']);
    const bucket = resources.LakehouseBucket!.Properties;
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    const rules = Object.fromEntries(bucket.LifecycleConfiguration.Rules.map((r: { Id: string }) => [r.Id, r]));
    expect(Object.keys(rules)).toEqual(['bronze-storage', 'silver-storage', 'gold-storage', 'build-artifacts', 'emr-logs']);
    expect(rules['bronze-storage'].ExpirationInDays).toBe(2557); // 7 years (SOX)
    expect(rules['silver-storage'].ExpirationInDays).toBeUndefined(); // Delta tables keep their current files
    expect(rules['gold-storage'].NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 3653 });
    expect(rules['gold-storage'].Transitions.map((t: { StorageClass: string }) => t.StorageClass)).toEqual(['STANDARD_IA', 'GLACIER_IR']);
    expect(rules['gold-storage'].NoncurrentVersionTransitions.map((t: { StorageClass: string }) => t.StorageClass)).toEqual(['GLACIER', 'DEEP_ARCHIVE']);
    const replication = bucket.ReplicationConfiguration.Rules[0];
    expect(replication.Destination.Bucket).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:s3:::company-lakehouse-replica' });
    expect(replication.Destination.ReplicationTime).toEqual({ Status: 'Enabled', Time: { Minutes: 15 } });
    expect(replication.DeleteMarkerReplication).toEqual({ Status: 'Disabled' });

    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBe(12 * 3 + 2 + 9); // 12 gold models x (freshness, quality, tests), build failed, no build, 9 source tables
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: 'AlertsTopic' }]);
    const freshness = alarms.find((a) => a.Properties.AlarmName === `${PROJECT}-freshness-mart_daily_revenue`)!;
    expect(freshness.Properties.Threshold).toBe(120); // infra.sla_minutes default: the 2-hour SLA
    expect(freshness.Properties.MetricName).toBe('ModelFreshnessMinutes');

    const schedules = Object.values(resources).filter((r) => r.Type === 'AWS::Scheduler::Schedule');
    const byName = Object.fromEntries(schedules.map((s) => [s.Properties.Name, s.Properties.ScheduleExpression]));
    expect(byName).toEqual({
      [`${PROJECT}-ingest-hourly`]: 'cron(0 * * * ? *)',
      [`${PROJECT}-build-hourly`]: 'cron(30 * * * ? *)',
      [`${PROJECT}-ingest-daily`]: 'cron(0 2 * * ? *)',
      [`${PROJECT}-build-daily`]: 'cron(30 2 * * ? *)',
      [`${PROJECT}-ingest-cron-x_15-x-x-x-x`]: 'cron(*/15 * * * ? *)',
      [`${PROJECT}-build-cron-x_15-x-x-x-x`]: 'cron(*/15 * * * ? *)',
    });

    const created = (await cfn.send(new DescribeStackResourcesCommand({ StackName: STACK }))).StackResources!.map((r) => r.ResourceType).filter(Boolean).sort(); // skipped types come back without one
    expect(new Set(created)).toEqual(new Set(['AWS::CloudWatch::Dashboard', 'AWS::EMR::SecurityConfiguration', 'AWS::IAM::InstanceProfile', 'AWS::IAM::Role', 'AWS::KMS::Alias', 'AWS::KMS::Key', 'AWS::S3::Bucket', 'AWS::SNS::Topic']));
  }, 60_000);
});
