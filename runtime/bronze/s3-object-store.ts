/**
 * Bronze on S3 through @aws-sdk/client-s3. Large bodies go through lib-storage's multipart Upload;
 * an S3 PUT (single or completed multipart) is atomic, so readers never see half an object.
 */
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStore } from './object-store.js';

export interface S3StoreOptions {
  client?: S3Client;
  clientConfig?: S3ClientConfig;
  /** Bodies above this size are uploaded in parts of this size (S3 minimum 5 MiB). */
  partSize?: number;
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly partSize: number;

  constructor(url: string, options: S3StoreOptions = {}) {
    const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(url);
    if (!m) throw new Error(`not an S3 URL: ${url} (expected s3://bucket/prefix)`);
    this.bucket = m[1]!;
    this.prefix = m[2] ? m[2].replace(/\/?$/, '/') : '';
    this.client = options.client ?? new S3Client(options.clientConfig ?? {});
    this.partSize = Math.max(options.partSize ?? 8 * 1024 * 1024, 5 * 1024 * 1024);
  }

  get url(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.prefix + key, Body: body },
      partSize: this.partSize,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async putIfAbsent(key: string, body: string): Promise<boolean> {
    // S3 conditional write: If-None-Match: * fails with 412 when the key exists.
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: body, IfNoneMatch: '*' }));
      return true;
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'PreconditionFailed' || e.$metadata?.httpStatusCode === 412) return false;
      throw err;
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
  }

  async list(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix + prefix, ContinuationToken: token }),
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
