/**
 * `etl infra deploy`: creates or updates the replica stack, then the primary, through change sets
 * (named IAM roles need CAPABILITY_NAMED_IAM). `dryRun` creates each change set, reports its
 * changes and deletes it (and the empty stack a first dry run leaves in REVIEW_IN_PROGRESS).
 * Templates over CloudFormation's 51,200-byte body limit are uploaded to `templateBucket` first.
 */
import { createHash } from 'node:crypto';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  type Change,
} from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ENDPOINT_ENV } from '../aws/clients.js';
import { AwsTargetError, explainAwsError } from '../aws/errors.js';
import type { Template } from './cfn.js';
import { cfnTags } from './kms.js';
import type { InfraTemplates } from './template.js';

const BODY_LIMIT = 51_200;

export interface StackChange {
  action: string;
  logicalId: string;
  type: string;
  replacement?: string;
}

export interface StackDeployment {
  stack: string;
  region: string;
  kind: 'create' | 'update';
  changes: StackChange[];
  status: 'dry-run' | 'no-changes' | 'deployed';
}

export interface DeployOptions {
  stackName: string;
  dryRun: boolean;
  /** Bucket (in the primary's region) that holds templates too large to send inline. */
  templateBucket?: string;
  parameters: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

interface StackTarget {
  stack: string;
  region: string;
  template: Template;
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

const client = (region: string, env: NodeJS.ProcessEnv) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'; // as runtime/aws/clients.ts
  const endpoint = env[ENDPOINT_ENV] || undefined;
  return new CloudFormationClient({ region, ...(endpoint ? { endpoint } : {}), maxAttempts: 5 });
};

async function call<T>(action: string, resource: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explainAwsError(err, action, resource);
  }
}

async function stackExists(cfn: CloudFormationClient, stack: string): Promise<boolean> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
    const status = out.Stacks?.[0]?.StackStatus;
    return status !== undefined && status !== 'REVIEW_IN_PROGRESS';
  } catch (err) {
    if (/does not exist/i.test((err as Error).message ?? '')) return false;
    throw explainAwsError(err, 'cloudformation:DescribeStacks', stack);
  }
}

async function templateSource(target: StackTarget, options: DeployOptions, env: NodeJS.ProcessEnv): Promise<{ TemplateBody: string } | { TemplateURL: string }> {
  const body = JSON.stringify(target.template);
  if (Buffer.byteLength(body) <= BODY_LIMIT) return { TemplateBody: body };
  const bucket = options.templateBucket;
  if (!bucket) throw new AwsTargetError('INFRA_TEMPLATE_TOO_LARGE', `The template of ${target.stack} is ${Buffer.byteLength(body)} bytes, over CloudFormation's ${BODY_LIMIT}-byte inline limit`, `Pass --template-bucket with an existing bucket in ${target.region} to upload it to.`);
  const key = `etl/infra/${target.stack}-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.json`;
  const endpoint = env[ENDPOINT_ENV] || undefined;
  const s3 = new S3Client({ region: target.region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) });
  await call('s3:PutObject', `s3://${bucket}/${key}`, () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', ServerSideEncryption: 'aws:kms' })));
  // CloudFormation reads the template itself; with an emulator endpoint it resolves the same URL.
  return { TemplateURL: `https://${bucket}.s3.${target.region}.amazonaws.com/${key}` };
}

async function waitForChangeSet(cfn: CloudFormationClient, stack: string, name: string, options: DeployOptions): Promise<{ changes: Change[]; empty: boolean }> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const changes: Change[] = [];
  for (;;) {
    const out = await call('cloudformation:DescribeChangeSet', stack, () => cfn.send(new DescribeChangeSetCommand({ StackName: stack, ChangeSetName: name })));
    if (out.Status === 'CREATE_COMPLETE') {
      changes.push(...(out.Changes ?? []));
      if (!out.NextToken) return { changes, empty: false };
    }
    if (out.Status === 'FAILED') {
      if (/didn't contain changes|No updates/i.test(out.StatusReason ?? '')) return { changes: [], empty: true };
      throw new AwsTargetError('INFRA_CHANGE_SET_FAILED', `Change set of ${stack} failed: ${out.StatusReason ?? 'no reason given'}`);
    }
    if (Date.now() > deadline) throw new AwsTargetError('INFRA_TIMEOUT', `Change set of ${stack} not ready in time (${out.Status})`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 3000));
  }
}

async function waitForStack(cfn: CloudFormationClient, stack: string, options: DeployOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
  for (;;) {
    const out = await call('cloudformation:DescribeStacks', stack, () => cfn.send(new DescribeStacksCommand({ StackName: stack })));
    const s = out.Stacks?.[0];
    const status = s?.StackStatus ?? 'UNKNOWN';
    if (/_COMPLETE$/.test(status) && !/ROLLBACK/.test(status)) return;
    if (/FAILED$|ROLLBACK_COMPLETE$/.test(status)) throw new AwsTargetError('INFRA_DEPLOY_FAILED', `Stack ${stack} ended in ${status}: ${s?.StackStatusReason ?? 'see its events in the CloudFormation console'}`);
    if (Date.now() > deadline) throw new AwsTargetError('INFRA_TIMEOUT', `Stack ${stack} still ${status}`);
    await new Promise((r) => setTimeout(r, options.pollMs ?? 5000));
  }
}

const changeOf = (c: Change): StackChange => ({
  action: c.ResourceChange?.Action ?? 'Unknown',
  logicalId: c.ResourceChange?.LogicalResourceId ?? '?',
  type: c.ResourceChange?.ResourceType ?? '?',
  ...(c.ResourceChange?.Replacement ? { replacement: c.ResourceChange.Replacement } : {}),
});

async function deployStack(target: StackTarget, options: DeployOptions): Promise<StackDeployment> {
  const env = options.env ?? process.env;
  const cfn = client(target.region, env);
  const exists = await stackExists(cfn, target.stack);
  const name = `etl-${Date.now()}`;
  const source = await templateSource(target, options, env);
  options.onProgress?.(`${target.stack} (${target.region}): creating change set ${name}`);
  await call('cloudformation:CreateChangeSet', target.stack, () =>
    cfn.send(
      new CreateChangeSetCommand({
        StackName: target.stack,
        ChangeSetName: name,
        ChangeSetType: exists ? 'UPDATE' : 'CREATE',
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        // Stack tags reach every resource that takes tags (cost allocation: project, team, cost_center).
        Tags: cfnTags(target.tags),
        Parameters: Object.entries(target.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
        ...source,
      }),
    ),
  );
  const { changes, empty } = await waitForChangeSet(cfn, target.stack, name, options);
  const base = { stack: target.stack, region: target.region, kind: exists ? ('update' as const) : ('create' as const), changes: changes.map(changeOf) };
  if (options.dryRun || empty) {
    await call('cloudformation:DeleteChangeSet', target.stack, () => cfn.send(new DeleteChangeSetCommand({ StackName: target.stack, ChangeSetName: name })));
    // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS: remove it too.
    if (!exists) await call('cloudformation:DeleteStack', target.stack, () => cfn.send(new DeleteStackCommand({ StackName: target.stack })));
    return { ...base, status: empty ? 'no-changes' : 'dry-run' };
  }
  options.onProgress?.(`${target.stack}: executing ${changes.length} changes`);
  await call('cloudformation:ExecuteChangeSet', target.stack, () => cfn.send(new ExecuteChangeSetCommand({ StackName: target.stack, ChangeSetName: name })));
  await waitForStack(cfn, target.stack, options);
  return { ...base, status: 'deployed' };
}

/** The replica stack first (the primary's replication rule names its bucket and key), then the primary. */
export async function deployInfra(templates: InfraTemplates, options: DeployOptions): Promise<StackDeployment[]> {
  const { context } = templates;
  const declared = new Set(Object.keys(templates.primary.Parameters ?? {}));
  const unknown = Object.keys(options.parameters).filter((k) => !declared.has(k));
  if (unknown.length) throw new AwsTargetError('INFRA_UNKNOWN_PARAMETER', `Unknown template parameter ${unknown.join(', ')}`, `The template declares: ${[...declared].join(', ')}.`);
  const replica = await deployStack({ stack: `${options.stackName}-replica`, region: context.replicaRegion, template: templates.replica, parameters: {}, tags: context.tags }, options);
  const primary = await deployStack({ stack: options.stackName, region: context.region, template: templates.primary, parameters: options.parameters, tags: context.tags }, options);
  return [replica, primary];
}
