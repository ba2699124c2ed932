/**
 * `etl restore --from-replica` on an EMR target (moto): the table's objects under the replica bucket
 * (`<bucket>-replica`, as the infra template names it) are copied back under the table's prefix in the
 * lakehouse bucket, with the same keys; a missing replica and time travel (which runs on the cluster)
 * are refused with their diagnostic.
 */
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { RestoreError } from '../../runtime/restore/errors.js';
import { replicaBucketOf, restoreOnAws } from '../../runtime/restore/restore-aws.js';
import type { RestoreRequest } from '../../runtime/restore/restore-local.js';
import { useMoto } from './moto-env.js';

const BUCKET = 'company-lakehouse';
const PROJECT = resolve(import.meta.dirname, 'fixtures', 'project');
const moto = useMoto(BUCKET);
let compiled: { manifest: Manifest; plan: Plan };

beforeAll(async () => {
  const result = await compileProject({ projectDir: PROJECT, target: 'emr' });
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics, null, 2));
  compiled = result;
}, 120_000);

const request = (r: Partial<RestoreRequest>): RestoreRequest => ({ model: 'daily_revenue', fromReplica: true, dryRun: false, ...r });
const restore = (r: Partial<RestoreRequest>) => restoreOnAws({ projectDir: PROJECT, ...compiled, request: request(r), clients: { primary: moto.clients, replica: moto.clients } });
const keys = async (bucket: string, prefix: string) => ((await moto.clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map((o: { Key: string }) => o.Key).sort();

async function refused(r: Partial<RestoreRequest>) {
  try {
    await restore(r);
  } catch (e) {
    if (e instanceof RestoreError) return e.diagnostic;
    throw e;
  }
  throw new Error('not refused');
}

describe('etl restore --from-replica on S3', () => {
  it('copies the table\'s replicated objects back under its prefix, same keys and bytes', async () => {
    const replica = replicaBucketOf(BUCKET);
    expect(replica).toBe('company-lakehouse-replica');
    await moto.clients.s3.send(new CreateBucketCommand({ Bucket: replica }));
    const files = { 'gold/daily_revenue/_delta_log/00000000000000000000.json': '{"commitInfo":{}}\n', 'gold/daily_revenue/part-00000-a.snappy.parquet': 'PAR1...', 'gold/other/_delta_log/00000000000000000000.json': '{}' };
    for (const [Key, Body] of Object.entries(files)) await moto.clients.s3.send(new PutObjectCommand({ Bucket: replica, Key, Body }));

    expect(await refused({ fromReplica: false, point: { by: 'version', version: 0 } })).toMatchObject({ code: 'RESTORE_UNSUPPORTED', hint: expect.stringContaining('RESTORE TABLE `gold`.`daily_revenue` TO VERSION AS OF 0') });
    const dry = await restore({ dryRun: true });
    expect(dry.replica).toMatchObject({ copied: 2, unchanged: 0 });
    expect(await keys(BUCKET, 'gold/')).toEqual([]);

    const out = await restore({});
    expect(out).toMatchObject({ relation: 'gold.daily_revenue', location: `s3://${BUCKET}/gold/daily_revenue`, replica: { location: `s3://${replica}/gold/daily_revenue`, copied: 2, unchanged: 0 } });
    expect(await keys(BUCKET, 'gold/')).toEqual(['gold/daily_revenue/_delta_log/00000000000000000000.json', 'gold/daily_revenue/part-00000-a.snappy.parquet']);
    const body = await (await moto.clients.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'gold/daily_revenue/part-00000-a.snappy.parquet' }))).Body.transformToString();
    expect(body).toBe('PAR1...');
    expect((await restore({})).replica).toMatchObject({ copied: 0, unchanged: 2 });
  });

  it('refuses when the replica holds no Delta log of the table', async () => {
    await moto.clients.s3.send(new CreateBucketCommand({ Bucket: replicaBucketOf(BUCKET) }));
    expect(await refused({})).toMatchObject({ code: 'RESTORE_NO_REPLICA', message: expect.stringContaining(`s3://${replicaBucketOf(BUCKET)}/gold/daily_revenue/`) });
    expect(await refused({ model: 'daily_revenu' })).toMatchObject({ code: 'RESTORE_UNKNOWN_MODEL', hint: expect.stringContaining('daily_revenue') });
  });
});
