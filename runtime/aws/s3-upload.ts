/**
 * Uploads build artifacts. Each object carries its sha256 in metadata, so re-uploading an
 * unchanged build only issues HEAD requests.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Artifact } from './artifacts.js';
import type { SdkClient } from './clients.js';
import { AwsTargetError, awsCall, explainAwsError } from './errors.js';
import { encryptedWith, sseKmsParams } from './sse-kms.js';

export interface UploadSummary {
  uploaded: number;
  unchanged: number;
}

const PARALLEL = 8;

/** `kmsKeyId`: SSE-KMS with that key on every object; an unchanged object not encrypted with it is uploaded again. */
export async function uploadArtifacts(s3: SdkClient, bucket: string, artifacts: Artifact[], kmsKeyId?: string): Promise<UploadSummary> {
  const summary: UploadSummary = { uploaded: 0, unchanged: 0 };
  let next = 0;
  const worker = async () => {
    while (next < artifacts.length) {
      const a = artifacts[next++]!;
      if (await isUnchanged(s3, bucket, a, kmsKeyId)) {
        summary.unchanged++;
        continue;
      }
      await awsCall('s3:PutObject', `s3://${bucket}/${a.key}`, () =>
        s3.send(new PutObjectCommand({ Bucket: bucket, Key: a.key, Body: a.body, ContentType: a.contentType, Metadata: { sha256: a.sha256 }, ...sseKmsParams(kmsKeyId) })),
      );
      summary.uploaded++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, artifacts.length) }, worker));
  return summary;
}

async function isUnchanged(s3: SdkClient, bucket: string, a: Artifact, kmsKeyId: string | undefined): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: a.key }));
    return head.Metadata?.sha256 === a.sha256 && encryptedWith(head, kmsKeyId);
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchBucket') throw noBucket(bucket);
    if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) {
      // HEAD cannot tell a missing key from a missing bucket; PutObject will say which.
      return false;
    }
    throw explainAwsError(err, 's3:GetObject (HEAD)', `s3://${bucket}/${a.key}`);
  }
}

export function noBucket(bucket: string): AwsTargetError {
  return new AwsTargetError(
    'S3_NO_BUCKET',
    `S3 bucket "${bucket}" does not exist or is in another account`,
    'create the bucket, or set targets.<name>.bucket in project.yaml to an existing one',
  );
}
