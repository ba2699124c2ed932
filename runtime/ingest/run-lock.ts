/**
 * One ingestion run per bronze table at a time. Two runs of the same table would read the same
 * cursor window (or race on its state) and land it twice; the lock object beside the table state,
 * created only if absent (a hard link locally, an S3 conditional write), keeps the second one out.
 *
 * A lock whose holder is gone is taken over: on the same host when its process no longer exists
 * (a crash, a SIGKILL), anywhere when its heartbeat is older than the time-to-live. The holder
 * refreshes the heartbeat while it runs, and only while the lock is still its own: each holder
 * writes a random token, and a heartbeat rewrites the record only if it still carries that token
 * and has not changed since it was read (S3: If-Match on the ETag; locally: checked, then renamed
 * into place). A holder that was taken over stops its heartbeat instead of overwriting the new
 * holder, and reports the loss.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { IngestError } from '../bronze/errors.js';
import type { ObjectStore } from '../bronze/object-store.js';

export interface LockRecord {
  runId: string;
  /** This holder's random token: a heartbeat or release touches the lock only while it names it. */
  token?: string;
  host: string;
  pid: number;
  acquiredAt: string;
  heartbeatAt: string;
}

export interface RunLock {
  readonly key: string;
  /** Refreshes the record if it still is this holder's; false (and no more heartbeats) once it is not. */
  heartbeat(): Promise<boolean>;
  /** Whether a heartbeat found the lock taken over. */
  readonly lost: boolean;
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a run that is gone (default 10 minutes). */
  ttlMs?: number;
  now?: () => Date;
  /** Told once when a heartbeat finds the lock taken over by another run. */
  onLost?: (holder: LockRecord | undefined) => void;
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
  const token = randomBytes(12).toString('hex');
  let acquiredAt: string | undefined;
  const record = (): LockRecord => {
    const at = now().toISOString();
    return { runId, token, host: hostname(), pid: process.pid, acquiredAt: acquiredAt ?? at, heartbeatAt: at };
  };
  let tookOverFrom: LockRecord | undefined;
  for (let attempt = 0; ; attempt++) {
    const mine = record();
    if (await store.putIfAbsent(key, JSON.stringify(mine, null, 2))) {
      acquiredAt = mine.acquiredAt;
      break;
    }
    const body = await store.get(key);
    if (!body) continue; // released between our attempt and the read: try again
    const holder = parseRecord(body);
    if (holder.token === token) {
      // Our own write, seen again: a retried conditional put whose first try had landed.
      acquiredAt = holder.acquiredAt;
      break;
    }
    const reason = staleReason(holder, now(), ttlMs);
    if (!reason || attempt >= 2) throw lockedError(job, store, key, holder, ttlMs);
    tookOverFrom = holder;
    await store.delete(key);
  }
  return heldLock(store, key, token, record, ttlMs, options.onLost, tookOverFrom);
}

function parseRecord(body: Buffer): LockRecord {
  try {
    return JSON.parse(body.toString('utf8')) as LockRecord;
  } catch {
    return { runId: '?', host: '?', pid: -1, acquiredAt: '?', heartbeatAt: '1970-01-01T00:00:00Z' };
  }
}

function lockedError(job: IngestionJobSpec, store: ObjectStore, key: string, holder: LockRecord, ttlMs: number): IngestError {
  return new IngestError(`${job.id}: another ingestion run holds this table (run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt})`, {
    code: 'INGEST_LOCKED',
    where: `${store.url}/${key}`,
    hint: `wait for that run to finish; if it is gone, its lock is taken over ${Math.round(ttlMs / 60_000)} min after its last heartbeat (${holder.heartbeatAt}), or at once on its own host`,
  });
}

/** The held lock: heartbeats (on a timer and on demand) and release, each only while the record is ours. */
function heldLock(
  store: ObjectStore,
  key: string,
  token: string,
  record: () => LockRecord,
  ttlMs: number,
  onLost: LockOptions['onLost'],
  tookOverFrom: LockRecord | undefined,
): RunLock & { tookOverFrom?: LockRecord } {
  let lost = false;
  let timer: NodeJS.Timeout | undefined;
  const heartbeat = async (): Promise<boolean> => {
    if (lost) return false;
    const current = await store.getVersioned(key);
    const holder = current ? parseRecord(current.body) : undefined;
    // Conditional on the holder: the token must still be ours and the record unchanged since read.
    if (current && holder?.token === token && (await store.putIfVersion(key, JSON.stringify(record(), null, 2), current.version))) return true;
    lost = true;
    if (timer) clearInterval(timer);
    onLost?.(holder?.token === token ? undefined : holder);
    return false;
  };
  timer = setInterval(() => void heartbeat().catch(() => {}), Math.max(1000, Math.floor(ttlMs / 4)));
  timer.unref();
  return {
    key,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    heartbeat,
    get lost() {
      return lost;
    },
    async release() {
      clearInterval(timer);
      const body = await store.get(key);
      // Only our own lock: a run that outlived its TTL may have lost it to another.
      if (body && parseRecord(body).token === token) await store.delete(key);
    },
  };
}
