/**
 * `etl restore --from-replica` on an EMR target: copies the table's objects back from the replica
 * bucket (`<bucket>-replica` in `infra.replica_region`, as `etl infra generate` names it, or
 * --replica) under the table's prefix in the lakehouse bucket, with the S3 client (CopyObject, SSE-KMS
 * with the target's `kms_key`). Same keys, nothing deleted. The Glue entry is untouched (a lost
 * table's files do not remove it; `etl build` re-registers a missing one). Time travel on EMR runs on
 * the cluster: a RestoreTable operation is printed with --dry-run, not submitted by this command.
 */
import { CopyObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { renderOperation } from '../../compiler/emit/spark-dialect.js';
import { op, relationName } from '../../compiler/plan/operations.js';
import { readProjectConfig } from '../../compiler/load/project-config.js';
import { createAwsClients, type AwsClients, type SdkClient } from '../aws/clients.js';
import { awsCall } from '../aws/errors.js';
import { parseEmrSettings } from '../aws/settings.js';
import { locationResolver } from '../plan/locations.js';
import { RestoreError } from './errors.js';
import type { RestoreOutcome, RestoreRequest } from './restore-local.js';
import { restoreTarget } from './target.js';
import { replicaName } from '../infra/context.js';

export interface AwsRestoreOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  request: RestoreRequest;
  /** Clients for the lakehouse region and the replica region (tests inject moto's). */
  clients?: { primary: AwsClients; replica: AwsClients };
}

/** The replica bucket's name, as the infra template names it. */
export const replicaBucketOf = replicaName;

function splitS3(uri: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new RestoreError('RESTORE_REPLICA_OUTSIDE', `${uri} is not an s3:// location.`, 'on an EMR target, tables and the replica live in S3.');
  return { bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, '') };
}

async function listKeys(s3: SdkClient, bucket: string, prefix: string): Promise<Map<string, number>> {
  const keys = new Map<string, number>();
  let token: string | undefined;
  do {
    const page = await awsCall('s3:ListBucket', `s3://${bucket}/${prefix}`, () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
    for (const o of (page.Contents ?? []) as Array<{ Key?: string; Size?: number }>) if (o.Key) keys.set(o.Key, o.Size ?? 0);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export async function restoreOnAws(opts: AwsRestoreOptions): Promise<RestoreOutcome> {
  const { manifest, request, projectDir } = opts;
  const target = restoreTarget(manifest, opts.plan, request.model, projectDir);
  const settings = parseEmrSettings(manifest.target);
  const locate = locationResolver(manifest.target, projectDir);
  const location = locate(target.location);
  const relation = relationName(target.relation);
  const statements = request.point ? renderOperation(op({ kind: 'RestoreTable', relation: target.relation, to: request.point }), locate).map((s) => s.sql) : [];
  if (request.point && !request.dryRun) {
    throw new RestoreError(
      'RESTORE_UNSUPPORTED',
      `Time travel of ${relation} runs on the EMR cluster, which \`etl restore\` does not submit to.`,
      `run \`${statements[0]}\` as an EMR step (or in an EMR notebook); --dry-run prints it. --from-replica alone brings back the latest replicated version.`,
    );
  }
  if (!request.fromReplica) return { model: request.model, relation, location, statements, dryRun: request.dryRun };

  const primary = splitS3(location);
  if (primary.bucket !== settings.bucket) {
    throw new RestoreError('RESTORE_REPLICA_OUTSIDE', `${location} is not in the lakehouse bucket ${settings.bucket}, which is what the replica bucket mirrors.`, 'keep the table under the layer roots in the target bucket, or restore it from your own copy.');
  }
  const config = readProjectConfig(projectDir, []);
  const replicaRegion = config?.infra?.replica_region ?? 'us-west-2';
  const replica = splitS3(request.replica ?? `s3://${replicaBucketOf(settings.bucket)}`);
  const replicaPrefix = [replica.prefix, primary.prefix].filter(Boolean).join('/');
  const clients = opts.clients ?? { primary: createAwsClients(settings.region), replica: createAwsClients(replicaRegion) };

  const copies = await listKeys(clients.replica.s3, replica.bucket, `${replicaPrefix}/`);
  if (![...copies.keys()].some((k) => k.startsWith(`${replicaPrefix}/_delta_log/`))) {
    throw new RestoreError('RESTORE_NO_REPLICA', `No replica of ${relation} at s3://${replica.bucket}/${replicaPrefix}/ (no Delta log there).`, `deploy the replication rule (\`etl infra deploy\`: replica bucket in ${replicaRegion}); without a replica only time travel on the primary is possible.`);
  }
  const present = await listKeys(clients.primary.s3, primary.bucket, `${primary.prefix}/`);
  const sse = settings.kms_key ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: settings.kms_key } : {};
  let copied = 0;
  let unchanged = 0;
  for (const [key, size] of copies) {
    const dest = `${primary.prefix}${key.slice(replicaPrefix.length)}`;
    if (present.get(dest) === size) {
      unchanged++;
      continue;
    }
    copied++;
    if (request.dryRun) continue;
    const source = `${replica.bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    await awsCall('s3:PutObject (copy)', `s3://${primary.bucket}/${dest}`, () => clients.primary.s3.send(new CopyObjectCommand({ Bucket: primary.bucket, Key: dest, CopySource: source, ...sse })));
  }
  return { model: request.model, relation, location, replica: { location: `s3://${replica.bucket}/${replicaPrefix}`, copied, unchanged }, statements, dryRun: request.dryRun };
}
