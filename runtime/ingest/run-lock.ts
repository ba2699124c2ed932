/**
 * One ingestion run per bronze table at a time. Two runs of the same table would read the same
 * cursor window (or race on its state) and land it twice; the lock object beside the table state,
 * created only if absent (a hard link locally, an S3 conditional write), keeps the second one out.
 *
 * A lock whose holder is gone is taken over: on the same host when its process no longer exists
 * (a crash, a SIGKILL), anywhere when its heartbeat is older than the time-to-live. The holder
 * refreshes the heartbeat while it runs.
 */
import { hostname } from 'node:os';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { IngestError } from '../bronze/errors.js';
import type { ObjectStore } from '../bronze/object-store.js';

export interface LockRecord {
  runId: string;
  host: string;
  pid: number;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface RunLock {
  readonly key: string;
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a run that is gone (default 10 minutes). */
  ttlMs?: number;
  now?: () => Date;
}

/** The lock's key: next to the table state, under the table's `_etl/` folder. */
export function lockKey(job: IngestionJobSpec): string {
  const state = job.bronze.stateKey;
  return `${state.slice(0, state.lastIndexOf('/') + 1)}lock.json`;
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Why `holder` no longer holds the lock, or undefined while it does. */
function staleReason(holder: LockRecord, now: Date, ttlMs: number): string | undefined {
  if (holder.host === hostname() && holder.pid !== process.pid && processGone(holder.pid)) return `its process ${holder.pid} is gone`;
  const age = now.getTime() - Date.parse(holder.heartbeatAt);
  if (!(age <= ttlMs)) return `no heartbeat for ${Math.round(age / 1000)} s`;
  return undefined;
}

export async function acquireRunLock(store: ObjectStore, job: IngestionJobSpec, runId: string, options: LockOptions = {}): Promise<RunLock & { tookOverFrom?: LockRecord }> {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const now = options.now ?? (() => new Date());
  const key = lockKey(job);
  const record = (): LockRecord => {
    const at = now().toISOString();
    return { runId, host: hostname(), pid: process.pid, acquiredAt: acquiredAt ?? at, heartbeatAt: at };
  };
  let acquiredAt: string | undefined;
  let tookOverFrom: LockRecord | undefined;
  for (let attempt = 0; ; attempt++) {
    const mine = record();
    if (await store.putIfAbsent(key, JSON.stringify(mine, null, 2))) {
      acquiredAt = mine.acquiredAt;
      break;
    }
    const body = await store.get(key);
    if (!body) continue; // released between our attempt and the read: try again
    let holder: LockRecord;
    try {
      holder = JSON.parse(body.toString('utf8')) as LockRecord;
    } catch {
      holder = { runId: '?', host: '?', pid: -1, acquiredAt: '?', heartbeatAt: '1970-01-01T00:00:00Z' };
    }
    const reason = staleReason(holder, now(), ttlMs);
    if (!reason || attempt >= 2) {
      throw new IngestError(
        `${job.id}: another ingestion run holds this table (run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt})`,
        {
          code: 'INGEST_LOCKED',
          where: `${store.url}/${key}`,
          hint: `wait for that run to finish; if it is gone, its lock is taken over ${Math.round(ttlMs / 60_000)} min after its last heartbeat (${holder.heartbeatAt}), or at once on its own host`,
        },
      );
    }
    tookOverFrom = holder;
    await store.delete(key);
  }

  // Heartbeat: rewrite the record while the run lasts, so other hosts can tell it is alive.
  const timer = setInterval(() => {
    void store.put(key, JSON.stringify(record(), null, 2)).catch(() => {});
  }, Math.max(1000, Math.floor(ttlMs / 4)));
  timer.unref();
  return {
    key,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    async release() {
      clearInterval(timer);
      const body = await store.get(key);
      // Only our own lock: a run that outlived its TTL may have lost it to another.
      if (body && (JSON.parse(body.toString('utf8')) as LockRecord).runId === runId) await store.delete(key);
    },
  };
}
