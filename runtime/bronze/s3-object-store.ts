/**
 * Bronze on S3 through @aws-sdk/client-s3. Large bodies go through lib-storage's multipart Upload;
 * an S3 PUT (single or completed multipart) is atomic, so readers never see half an object.
 *
 * Every call runs under the ingestion retry policy (runtime/ingest/retry-policy.ts): the client
 * the store builds makes one attempt per call (`maxAttempts: 1`) with the policy's connect and
 * request timeouts, and the store retries 429/5xx, dropped connections and timeouts with the
 * policy's backoff and Retry-After. A client passed in (tests) keeps its own retry settings.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStore } from './object-store.js';
import { sseKmsParams, type SseKmsParams } from '../aws/sse-kms.js';
import { DEFAULT_RETRY_POLICY, networkFailure, statusFailure, withRetry, type Failure, type RetryHooks, type RetryPolicy } from '../ingest/retry-policy.js';

export interface S3StoreOptions {
  client?: S3Client;
  clientConfig?: S3ClientConfig;
  /** Bodies above this size are uploaded in parts of this size (S3 minimum 5 MiB). */
  partSize?: number;
  retry?: RetryPolicy;
  retryHooks?: RetryHooks;
  /** SSE-KMS with this key (id, ARN or alias) on every write: single, multipart and conditional puts. */
  kmsKeyId?: string;
}

interface SdkError {
  name?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string> };
}

const statusOf = (err: unknown) => (err as SdkError)?.$metadata?.httpStatusCode ?? (err as SdkError)?.$response?.statusCode;

/** An SDK error as the policy sees it: a status (with Retry-After) when S3 answered, else a network failure. */
export function s3Failure(err: unknown): Failure {
  const status = statusOf(err);
  if (status !== undefined) return statusFailure(status, (err as SdkError).$response?.headers ?? {});
  return networkFailure(err);
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;
  private readonly policy: RetryPolicy;
  private readonly hooks: RetryHooks;
  private readonly sse: SseKmsParams;

  constructor(url: string, options: S3StoreOptions = {}) {
    const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) throw new Error(`not an S3 URL: ${url} (expected s3://bucket/prefix)`);
    this.bucket = m[1]!;
    this.prefix = m[2] ? m[2].replace(/\/?$/, '/') : '';
    this.policy = options.retry ?? DEFAULT_RETRY_POLICY;
    this.hooks = options.retryHooks ?? {};
    this.sse = sseKmsParams(options.kmsKeyId);
    this.client =
      options.client ??
      new S3Client({
        maxAttempts: 1,
        requestHandler: { connectionTimeout: this.policy.connectTimeoutMs, requestTimeout: this.policy.requestTimeoutMs },
        ...options.clientConfig,
      });
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
  }

  get url(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  private retry<T>(op: string, key: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(`S3 ${op} ${this.url}${key}`, this.policy, fn, s3Failure, this.hooks);
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    // A failed upload is started over whole (leavePartsOnError: false cleans its parts up).
    await this.retry('put', key, async () => {
      const upload = new Upload({
        client: this.client,
        params: { Bucket: this.bucket, Key: this.prefix + key, Body: body, ...this.sse },
        partSize: this.partSize,
        queueSize: 2,
        leavePartsOnError: false,
      });
      await upload.done();
    });
  }

  async putIfAbsent(key: string, body: string): Promise<boolean> {
    // S3 conditional write: If-None-Match: * fails with 412 when the key exists. A retry after a
    // dropped connection may see our own first write as that key (the run lock checks its token).
    return this.conditional('put-if-absent', key, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: body, IfNoneMatch: '*', ...this.sse })));
  }

  async putIfVersion(key: string, body: string, version: string): Promise<boolean> {
    // If-Match: the ETag read with the record; 412 when another writer replaced it, 404 when it is gone.
    return this.conditional('put-if-match', key, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: body, IfMatch: version, ...this.sse })));
  }

  private async conditional(op: string, key: string, send: () => Promise<unknown>): Promise<boolean> {
    try {
      await this.retry(op, key, send);
      return true;
    } catch (err) {
      const status = statusOf(err);
      if ((err as SdkError).name === 'PreconditionFailed' || status === 412 || status === 404 || (err as SdkError).name === 'NoSuchKey') return false;
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    return (await this.getVersioned(key))?.body;
  }

  async getVersioned(key: string): Promise<{ body: Buffer; version: string } | undefined> {
    try {
      return await this.retry('get', key, async () => {
        const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
        return { body: Buffer.from(await out.Body!.transformToByteArray()), version: out.ETag ?? '' };
      });
    } catch (err) {
      if (err instanceof NoSuchKey || (err as SdkError).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.retry('delete', key, () => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })));
  }

  async list(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.retry('list', prefix, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token })),
      );
      for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key.slice(this.prefix.length));
      token = out.IsTruncated ? out.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}

export function isS3Url(location: string): boolean {
  return /^s3a?:\/\//.test(location);
}
