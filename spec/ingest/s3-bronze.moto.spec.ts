/** Bronze on S3 (moto's server): atomic puts, multipart for large files, the commit protocol, recovery. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { MOTO_ENV, startMotoServer, type MotoServer } from '../aws/moto-server.js';
import { S3ObjectStore } from '../../runtime/bronze/s3-object-store.js';
import { BronzeTable } from '../../runtime/bronze/bronze-table.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSnowflakeJob } from '../../connectors/snowflake/ingest.js';
import { referenceJobs } from './helpers/jobs.js';
import { acquireRunLock } from '../../runtime/ingest/run-lock.js';

let moto: MotoServer;
let s3: S3Client;
let snowflake: SnowflakeServer | undefined;
let dir: string;
const BUCKET = 'company-lakehouse';

beforeAll(async () => {
  moto = await startMotoServer();
  s3 = new S3Client({
    endpoint: moto.endpoint,
    forcePathStyle: true,
    region: MOTO_ENV.AWS_REGION,
    credentials: { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY },
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  dir = await mkdtemp(join(tmpdir(), 's3-bronze-'));
}, 180_000);

afterAll(async () => {
  await snowflake?.stop();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('S3 bronze store (moto)', () => {
  it('puts, lists, reads and deletes; large bodies go up in multipart parts', async () => {
    const store = new S3ObjectStore(`s3://${BUCKET}/bronze/test`, { client: s3, partSize: 5 * 1024 * 1024 });
    await store.put('a/x.json', '{"a":1}');
    const big = new Uint8Array(12 * 1024 * 1024).map((_, i) => i % 251);
    await store.put('a/big.bin', big);
    expect(await store.list('a/')).toEqual(['a/big.bin', 'a/x.json']);
    expect((await store.get('a/x.json'))!.toString()).toBe('{"a":1}');
    expect(Buffer.compare(await store.get('a/big.bin') as Buffer, Buffer.from(big))).toBe(0);
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'bronze/test/a/big.bin' }));
    expect(head.ETag).toMatch(/-3"$/); // a multipart upload of 3 parts
    await store.delete('a/x.json');
    expect(await store.get('a/x.json')).toBeUndefined();
  }, 60_000);

  it('creates an object only if absent (S3 conditional write), which the run lock relies on', async () => {
    const store = new S3ObjectStore(`s3://${BUCKET}/bronze/lock-test`, { client: s3 });
    expect(await store.putIfAbsent('_etl/lock.json', '{"runId":"a"}')).toBe(true);
    expect(await store.putIfAbsent('_etl/lock.json', '{"runId":"b"}')).toBe(false);
    expect((await store.get('_etl/lock.json'))!.toString()).toBe('{"runId":"a"}');
    const job = (await referenceJobs(`s3://${BUCKET}/bronze`))['source.snowflake.customer_orders']!;
    const tableStore = new S3ObjectStore(job.bronze.location, { client: s3 });
    const lock = await acquireRunLock(tableStore, job, 'run-a');
    await expect(acquireRunLock(tableStore, job, 'run-b')).rejects.toThrow(/run run-a/);
    await lock.release();
    expect(await tableStore.get('_etl/lock.json')).toBeUndefined();
  }, 60_000);

  it('lands a Snowflake table in S3 with manifests and state, and rolls back a crashed batch', async () => {
    const jobs = await referenceJobs(`s3://${BUCKET}/bronze`);
    const job = jobs['source.snowflake.customer_orders']!;
    expect(job.bronze.location).toBe(`s3://${BUCKET}/bronze/snowflake/customer_orders`);
    const rows = generateRows(job.columns, { rows: 400, timeColumn: 'updated_at', days: 4, seed: 2 });
    snowflake = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(job, rows)]), users: { ETL: { password: 'pw' } } });
    (job.connection as Record<string, unknown>).auth = { kind: 'password', username: { env: 'U' }, password: { env: 'P' } };
    const store = new S3ObjectStore(job.bronze.location, { client: s3 });
    const result = await runSnowflakeJob({
      job,
      store,
      runId: 'r1',
      startedAt: new Date('2024-03-02T00:00:00Z'),
      env: { ETL_SNOWFLAKE_ACCESS_URL: snowflake.url, U: 'etl', P: 'pw' },
      progress: () => {},
    });
    expect(result.rows).toBe(400);
    const keys = await store.list();
    const files = keys.filter((k) => k.endsWith('.parquet'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((k) => /^ingest_date=\d{4}-\d{2}-\d{2}\/w\d{8}T\d{12}-\d{5}\.parquet$/.test(k))).toBe(true);
    let total = 0;
    for (const key of files) {
      const body = (await store.get(key))!;
      total += (await parquetReadObjects({ file: body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer })).length;
    }
    expect(total).toBe(400);
    const table = new BronzeTable(store, job);
    expect((await table.manifests()).reduce((n, m) => n + m.rows, 0)).toBe(400);

    // A crashed batch: its files were recorded in flight, no manifest. Recovery deletes them.
    const state = await table.readState();
    await store.put('ingest_date=2024-03-01/w20240301T000000000000-00000.parquet', 'partial');
    await table.writeState({ ...state, inflight: { batchId: 'w20240301T000000000000', files: ['ingest_date=2024-03-01/w20240301T000000000000-00000.parquet'] } });
    const recovered = await table.recover();
    expect(recovered.recovered).toBe('rolled-back');
    expect(await store.get('ingest_date=2024-03-01/w20240301T000000000000-00000.parquet')).toBeUndefined();
    expect(recovered.state.cursor).toBe(state.cursor);
  }, 120_000);
});
