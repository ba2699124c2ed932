/** Drops an environment on AWS: its Glue databases (with their tables) and the S3 objects under its roots. */
import { DeleteDatabaseCommand, EntityNotFoundException } from '@aws-sdk/client-glue';
import { DeleteObjectsCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients.js';
import type { EnvironmentContents } from './contents.js';
import type { DroppedEnvironment } from './drop-local.js';

function splitS3(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`Not an S3 URI: ${uri}`);
  return { bucket: m[1]!, prefix: m[2]!.replace(/\/?$/, '/') };
}

async function deletePrefix(clients: AwsClients, uri: string): Promise<number> {
  const { bucket, prefix } = splitS3(uri);
  let deleted = 0;
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    const keys = ((page.Contents ?? []) as Array<{ Key?: string }>).flatMap((o) => (o.Key ? [{ Key: o.Key }] : []));
    if (keys.length) await clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
    deleted += keys.length;
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return deleted;
}

export async function dropEmrEnvironment(contents: EnvironmentContents, clients: AwsClients, catalogId?: string): Promise<DroppedEnvironment> {
  for (const db of contents.databases) {
    try {
      await clients.glue.send(new DeleteDatabaseCommand({ Name: db, ...(catalogId ? { CatalogId: catalogId } : {}) }));
    } catch (e) {
      if (!(e instanceof EntityNotFoundException) && (e as { name?: string }).name !== 'EntityNotFoundException') throw e;
    }
  }
  for (const root of contents.roots) await deletePrefix(clients, root);
  return { databases: contents.databases, locations: contents.roots };
}
