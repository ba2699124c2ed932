/**
 * S3 (moto) under faults and races: the run lock's heartbeat is an If-Match write on the ETag, so
 * a holder that was taken over cannot overwrite the new holder; S3 calls retry 503, 500 with
 * Retry-After and dropped connections by the one policy (a fault proxy in front of moto counts
 * the attempts), and give up with the attempts and the last status when faults persist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { MOTO_ENV, startMotoServer, type MotoServer } from '../aws/moto-server.js';
import { S3ObjectStore } from '../../runtime/bronze/s3-object-store.js';
import { startFaultProxy, type FaultProxy } from '../../runtime/dev-servers/fault-proxy.js';
import { acquireRunLock, lockKey, type LockRecord } from '../../runtime/ingest/run-lock.js';
import { retryPolicyFrom, type RetryEvent } from '../../runtime/ingest/retry-policy.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { referenceJobs } from './helpers/jobs.js';

let moto: MotoServer;
let proxy: FaultProxy;
let s3: S3Client;
let dir: string;
let job: IngestionJobSpec;
const BUCKET = 'company-lakehouse';
const credentials = { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  moto = await startMotoServer();
  proxy = await startFaultProxy(moto.endpoint);
  s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: MOTO_ENV.AWS_REGION, credentials });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  dir = await mkdtemp(join(tmpdir(), 's3-faults-'));
  job = (await referenceJobs(join(dir, 'bronze')))['source.snowflake.customer_orders']!;
}, 180_000);

afterAll(async () => {
  await proxy?.stop();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A store as run-ingestion builds it (its own client, one attempt per call), through the fault proxy. */
function faultyStore(prefix: string, env: Record<string, string> = {}) {
  const retries: RetryEvent[] = [];
  const store = new S3ObjectStore(`s3://${BUCKET}/${prefix}`, {
    clientConfig: { endpoint: proxy.url, forcePathStyle: true, region: MOTO_ENV.AWS_REGION, credentials },
    retry: retryPolicyFrom({ ETL_RETRY_MAX_ATTEMPTS: '4', ETL_RETRY_BASE_MS: '5', ETL_RETRY_MAX_DELAY_MS: '1500', ...env }),
    retryHooks: { onRetry: (e) => retries.push(e) },
  });
  return { store, retries };
}

describe('run lock on S3 (moto): conditional heartbeat', () => {
  it('a heartbeat after a takeover does not overwrite the new holder (If-Match on the ETag)', async () => {
    const store = new S3ObjectStore(`s3://${BUCKET}/bronze/lock-heartbeat`, { client: s3 });
    let now = new Date('2024-01-01T00:00:00Z');
    const clock = { now: () => now, ttlMs: 60_000 };
    const lost: Array<string | undefined> = [];
    const old = await acquireRunLock(store, job, 'old-run', { ...clock, onLost: (h) => lost.push(h?.runId) });
    expect(await old.heartbeat()).toBe(true);
    now = new Date('2024-01-01T00:05:00Z');
    const stale = JSON.parse((await store.get(lockKey(job)))!.toString()) as LockRecord;
    await store.put(lockKey(job), JSON.stringify({ ...stale, host: 'another-host' }));
    const taker = await acquireRunLock(store, job, 'new-run', clock);
    expect(taker.tookOverFrom?.runId).toBe('old-run');
    const held = (await store.get(lockKey(job)))!.toString();

    expect(await old.heartbeat()).toBe(false);
    expect(lost).toEqual(['new-run']);
    expect((await store.get(lockKey(job)))!.toString()).toBe(held);
    await old.release();
    expect(JSON.parse((await store.get(lockKey(job)))!.toString()).runId).toBe('new-run');
    now = new Date('2024-01-01T00:06:00Z');
    expect(await taker.heartbeat()).toBe(true);
    await taker.release();
    expect(await store.get(lockKey(job))).toBeUndefined();
  }, 60_000);

  it('S3 refuses a write on a stale ETag, and one on a key that is gone', async () => {
    const store = new S3ObjectStore(`s3://${BUCKET}/bronze/etag`, { client: s3 });
    await store.put('k.json', 'one');
    const read = (await store.getVersioned('k.json'))!;
    expect(read.version).toMatch(/^"[0-9a-f]+"$/);
    await store.put('k.json', 'two');
    expect(await store.putIfVersion('k.json', 'three', read.version)).toBe(false);
    expect((await store.get('k.json'))!.toString()).toBe('two');
    const fresh = (await store.getVersioned('k.json'))!;
    expect(await store.putIfVersion('k.json', 'three', fresh.version)).toBe(true);
    expect((await store.get('k.json'))!.toString()).toBe('three');
    expect(await store.putIfVersion('gone.json', 'x', fresh.version)).toBe(false);
  }, 60_000);
});

describe('S3 calls under the retry policy (fault proxy in front of moto)', () => {
  it('retries 503, 500 with Retry-After and dropped connections; each object lands once', async () => {
    const { store, retries } = faultyStore('bronze/faults');
    proxy.faults.clear();
    proxy.faults.next(1, { status: 503 });
    proxy.faults.next(1, { status: 500, retryAfter: 1 });
    proxy.faults.next(1, { drop: true });
    const before = proxy.faults.attempts('/bronze/faults/a.json');
    await store.put('a.json', '{"a":1}');
    expect(proxy.faults.attempts('/bronze/faults/a.json') - before).toBe(4);
    expect(retries.map((r) => r.failure.status ?? r.failure.code)).toEqual([503, 500, expect.any(String)]);
    expect(retries[1]!.delayMs).toBeGreaterThanOrEqual(1000);

    proxy.faults.next(2, { status: 503 });
    expect((await store.get('a.json'))!.toString()).toBe('{"a":1}');
    proxy.faults.next(1, { drop: true });
    expect(await store.list()).toEqual(['a.json']);
    // A 403 is not retried.
    proxy.faults.next(1, { status: 403 });
    const n = proxy.faults.attempts('/bronze/faults/b.json');
    await expect(store.put('b.json', 'x')).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
    expect(proxy.faults.attempts('/bronze/faults/b.json') - n).toBe(1);
  }, 60_000);

  it('gives up when S3 keeps failing, naming the attempts and the last status', async () => {
    const { store } = faultyStore('bronze/persistent', { ETL_RETRY_MAX_ATTEMPTS: '3' });
    proxy.faults.clear();
    proxy.faults.next(Infinity, { status: 503 });
    const before = proxy.faults.attempts('/bronze/persistent/');
    const put = store.put('x.json', 'x');
    await expect(put).rejects.toMatchObject({ details: { code: 'INGEST_RETRIES_EXHAUSTED' } });
    await expect(put).rejects.toThrow(/S3 put s3:\/\/company-lakehouse\/bronze\/persistent\/x\.json failed: gave up after 3 attempts; last response HTTP 503/);
    expect(proxy.faults.attempts('/bronze/persistent/') - before).toBe(3);
    proxy.faults.clear();
  }, 60_000);
});
