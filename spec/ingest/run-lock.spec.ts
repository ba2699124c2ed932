/** One ingestion run per bronze table: the lock, its takeover when the holder is gone, and runJob refusing to start. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { acquireRunLock, lockKey, type LockRecord } from '../../runtime/ingest/run-lock.js';
import { runJob } from '../../runtime/ingest/run-ingestion.js';
import { referenceJobs } from './helpers/jobs.js';

let dir: string;
let job: IngestionJobSpec;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-lock-'));
  job = (await referenceJobs(join(dir, 'bronze')))['source.kafka.order_events']!;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const record = (over: Partial<LockRecord>): string =>
  JSON.stringify({ runId: 'other', host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString(), heartbeatAt: new Date().toISOString(), ...over });

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('ingestion run lock', () => {
  it('keeps a second run out while the first holds the table, and lets it in after release', async () => {
    const store = new LocalObjectStore(join(dir, 't1'));
    const first = await acquireRunLock(store, job, 'run-1');
    expect(first.key).toBe('_etl/lock.json');
    await expect(acquireRunLock(store, job, 'run-2')).rejects.toThrow(/another ingestion run holds this table \(run run-1/);
    await first.release();
    const second = await acquireRunLock(store, job, 'run-2');
    await second.release();
    expect(await store.get(lockKey(job))).toBeUndefined();
    // No temporary files left beside the lock.
    expect(await readdir(join(dir, 't1', '_etl'))).toEqual([]);
  });

  it('of two runs racing for a free table, exactly one gets it', async () => {
    const store = new LocalObjectStore(join(dir, 't2'));
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => acquireRunLock(store, job, `run-${i}`)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'fulfilled') await r.value.release();
  });

  it('takes over a lock whose process is gone (a crash on this host) or whose heartbeat is too old', async () => {
    const store = new LocalObjectStore(join(dir, 't3'));
    await store.put(lockKey(job), record({ runId: 'crashed', pid: deadPid() }));
    const lock = await acquireRunLock(store, job, 'run-3');
    expect(lock.tookOverFrom?.runId).toBe('crashed');
    await lock.release();

    await store.put(lockKey(job), record({ runId: 'far-away', host: 'another-host', pid: 1, heartbeatAt: new Date(Date.now() - 3_600_000).toISOString() }));
    const late = await acquireRunLock(store, job, 'run-4', { ttlMs: 600_000 });
    expect(late.tookOverFrom?.runId).toBe('far-away');
    await late.release();

    await store.put(lockKey(job), record({ runId: 'alive-elsewhere', host: 'another-host', pid: 1 }));
    await expect(acquireRunLock(store, job, 'run-5')).rejects.toMatchObject({ details: { code: 'INGEST_LOCKED' } });
    await store.delete(lockKey(job));
  });

  it('runJob refuses to start while another run holds the table, touching nothing', async () => {
    const location = join(dir, 't4');
    const store = new LocalObjectStore(location);
    await store.put(lockKey(job), record({ runId: 'busy', host: 'another-host', pid: 1 }));
    const ctx = { job: { ...job, bronze: { ...job.bronze, location } }, store, runId: 'mine', startedAt: new Date(), env: { ETL_KAFKA_BROKERS: '127.0.0.1:1' }, progress: () => {} };
    await expect(runJob(ctx)).rejects.toThrow(/run busy/);
    expect(await store.list()).toEqual(['_etl/lock.json']);
    expect(JSON.parse((await store.get(lockKey(job)))!.toString()).runId).toBe('busy');
  });
});
