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

  it('a heartbeat after a takeover does not overwrite the new holder (conditional on the holder token)', async () => {
    const store = new LocalObjectStore(join(dir, 't5'));
    let now = new Date('2024-01-01T00:00:00Z');
    const clock = { now: () => now, ttlMs: 60_000 };
    const lost: Array<string | undefined> = [];
    const old = await acquireRunLock(store, job, 'old-run', { ...clock, onLost: (h) => lost.push(h?.runId) });
    expect(await old.heartbeat()).toBe(true);
    // The old holder stalls past the TTL; a run elsewhere sees the stale heartbeat and takes over.
    now = new Date('2024-01-01T00:05:00Z');
    const stale = JSON.parse((await store.get(lockKey(job)))!.toString()) as LockRecord;
    await store.put(lockKey(job), JSON.stringify({ ...stale, host: 'another-host' }));
    const taker = await acquireRunLock(store, job, 'new-run', clock);
    expect(taker.tookOverFrom?.runId).toBe('old-run');
    const held = (await store.get(lockKey(job)))!.toString();
    // The old holder wakes up: its heartbeat must leave the new record alone and report the loss.
    expect(await old.heartbeat()).toBe(false);
    expect(old.lost).toBe(true);
    expect(lost).toEqual(['new-run']);
    expect((await store.get(lockKey(job)))!.toString()).toBe(held);
    await old.release();
    expect(JSON.parse((await store.get(lockKey(job)))!.toString()).runId).toBe('new-run');
    // The new holder's heartbeats go on.
    now = new Date('2024-01-01T00:06:00Z');
    expect(await taker.heartbeat()).toBe(true);
    expect(JSON.parse((await store.get(lockKey(job)))!.toString()).heartbeatAt).toBe('2024-01-01T00:06:00.000Z');
    await taker.release();
    expect(await readdir(join(dir, 't5', '_etl'))).toEqual([]);
  });

  it('a heartbeat whose record changed since it was read does not write (compare-and-swap on the version)', async () => {
    const store = new LocalObjectStore(join(dir, 't6'));
    const lock = await acquireRunLock(store, job, 'run-6');
    const read = (await store.getVersioned(lockKey(job)))!;
    await store.put(lockKey(job), record({ runId: 'someone-else' }));
    expect(await store.putIfVersion(lockKey(job), 'overwritten', read.version)).toBe(false);
    expect(JSON.parse((await store.get(lockKey(job)))!.toString()).runId).toBe('someone-else');
    expect(await store.putIfVersion('_etl/absent.json', 'x', read.version)).toBe(false);
    expect(await lock.heartbeat()).toBe(false);
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
