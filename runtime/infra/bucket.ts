/**
 * The lakehouse bucket: versioned, SSE-KMS with the customer key (bucket keys on), public access
 * blocked, objects owned by the bucket owner, TLS-only, lifecycle per layer, replication to the
 * replica region. Retained when the stack is deleted.
 */
import { getAtt, policyDocument, ref, sub, type Resources } from './cfn.js';
import type { InfraContext } from './context.js';
import { keyArn } from './kms.js';
import { lifecycleRules } from './lifecycle.js';
import { replicationConfiguration } from './replica.js';

export const BUCKET = 'LakehouseBucket';

export const bucketArn = (logicalId = BUCKET) => getAtt(logicalId, 'Arn');

/** The properties every bucket of the stack shares (the replica too). */
export function securedBucketProperties(name: unknown, kmsKeyArn: unknown): Record<string, unknown> {
  return {
    BucketName: name,
    VersioningConfiguration: { Status: 'Enabled' },
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKeyArn }, BucketKeyEnabled: true }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  };
}

/** Denies plain HTTP, and uploads asking for an encryption other than SSE-KMS. */
export function securedBucketPolicy(bucketLogicalId: string): Resources[string] {
  const arn = bucketArn(bucketLogicalId);
  const objects = { 'Fn::Join': ['', [arn, '/*']] };
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: ref(bucketLogicalId),
      PolicyDocument: policyDocument([
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, objects], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Sid: 'DenyOldTls', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: [arn, objects], Condition: { NumericLessThan: { 's3:TlsVersion': '1.2' } } },
        {
          Sid: 'DenyOtherEncryption',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:PutObject',
          Resource: objects,
          // Only when the header is sent: without it, the bucket's default (SSE-KMS with the key) applies.
          Condition: { StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' }, Null: { 's3:x-amz-server-side-encryption': 'false' } },
        },
      ]),
    },
  };
}

export function bucketResources(ctx: InfraContext): Resources {
  return {
    [BUCKET]: {
      Type: 'AWS::S3::Bucket',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        ...securedBucketProperties(ctx.bucket, keyArn()),
        LifecycleConfiguration: { Rules: lifecycleRules(ctx) },
        ReplicationConfiguration: replicationConfiguration(ctx),
      },
    },
    [`${BUCKET}Policy`]: securedBucketPolicy(BUCKET),
  };
}

export const bucketObjectsArn = (logicalId = BUCKET) => sub(`\${${logicalId}.Arn}/*`);
