/**
 * The customer managed key of the lakehouse: S3 objects (SSE-KMS with bucket keys), EMR local disks
 * and the alerts topic. The account root administers it, so IAM policies (iam.ts) grant its use to
 * the roles that need it; CloudWatch may use it to publish alarms to the encrypted topic. Tags come
 * from the stack (`etl infra deploy` tags the stack; CloudFormation propagates them to resources).
 */
import { getAtt, policyDocument, ref, sub, type Resources } from './cfn.js';

export const KEY = 'LakehouseKey';

function keyStatements() {
  return [
    { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
    {
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') } },
    },
  ];
}

/** A rotating symmetric key and its alias. */
export function keyResources(logicalId: string, alias: string, description: string): Resources {
  return {
    [logicalId]: {
      Type: 'AWS::KMS::Key',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        Description: description,
        EnableKeyRotation: true,
        KeySpec: 'SYMMETRIC_DEFAULT',
        KeyUsage: 'ENCRYPT_DECRYPT',
        KeyPolicy: policyDocument(keyStatements()),
      },
    },
    [`${logicalId}Alias`]: { Type: 'AWS::KMS::Alias', Properties: { AliasName: alias, TargetKeyId: ref(logicalId) } },
  };
}

export const keyArn = (logicalId = KEY) => getAtt(logicalId, 'Arn');

/** `{ k: v }` → `[{ Key: k, Value: v }]`, sorted for a stable template. */
export function cfnTags(tags: Record<string, string>) {
  return Object.entries(tags)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([Key, Value]) => ({ Key, Value }));
}
