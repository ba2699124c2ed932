/**
 * SSE-KMS for every S3 object the tool writes, with the project's key (`targets.<emr>.kms_key`):
 * the request parameters of the SDK writers (PutObject, multipart Upload, conditional puts) and
 * the Hadoop settings that make EMRFS (`s3://`) and S3A (`s3a://`) writes of the Spark steps use
 * the same key. Without a key, nothing is added and writes get the bucket's default encryption.
 */

export interface SseKmsParams {
  ServerSideEncryption?: 'aws:kms';
  SSEKMSKeyId?: string;
}

/** PutObject / CreateMultipartUpload parameters for the key (none without a key). */
export function sseKmsParams(kmsKeyId: string | undefined): SseKmsParams {
  return kmsKeyId ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: kmsKeyId } : {};
}

/** Hadoop settings for EMRFS and S3A, as they appear in the `emrfs-site` / `core-site` classifications. */
export function hadoopSseKmsSettings(kmsKeyId: string): { emrfs: Record<string, string>; s3a: Record<string, string> } {
  return {
    emrfs: { 'fs.s3.enableServerSideEncryption': 'true', 'fs.s3.serverSideEncryption.kms.keyId': kmsKeyId },
    s3a: { 'fs.s3a.encryption.algorithm': 'SSE-KMS', 'fs.s3a.encryption.key': kmsKeyId },
  };
}

/** The same settings as Spark `--conf` values (`spark.hadoop.` prefix), passed to every step. */
export function sparkSseKmsConf(kmsKeyId: string | undefined): Record<string, string> {
  if (!kmsKeyId) return {};
  const { emrfs, s3a } = hadoopSseKmsSettings(kmsKeyId);
  return Object.fromEntries(Object.entries({ ...emrfs, ...s3a }).map(([k, v]) => [`spark.hadoop.${k}`, v]));
}

/** The RunJobFlow `Configurations` entry: the cluster's EMRFS writes use the key too. */
export function emrfsSseKmsConfiguration(kmsKeyId: string): { Classification: string; Properties: Record<string, string> } {
  return { Classification: 'emrfs-site', Properties: hadoopSseKmsSettings(kmsKeyId).emrfs };
}

/** Whether a HEAD answer shows the object encrypted with the key (S3 answers the key's ARN for an id or alias). */
export function encryptedWith(head: { ServerSideEncryption?: string; SSEKMSKeyId?: string }, kmsKeyId: string | undefined): boolean {
  if (!kmsKeyId) return true;
  if (head.ServerSideEncryption !== 'aws:kms' || !head.SSEKMSKeyId) return false;
  if (kmsKeyId.startsWith('alias/') || kmsKeyId.includes(':alias/')) return true; // an alias resolves to a key ARN we cannot compare offline
  return head.SSEKMSKeyId === kmsKeyId || head.SSEKMSKeyId.endsWith(`/${kmsKeyId}`);
}
