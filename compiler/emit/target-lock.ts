/**
 * One writer at a time on target/: `target/.lock` holds the writer's pid, host and start time.
 *
 * - Taking it: the holder record is written to a private temp file and hard-linked to the lock
 *   name; link() fails when the lock exists, so taking is atomic and the lock is never seen half
 *   written.
 * - A lock whose holder is dead (same host, the pid no longer exists) is taken over. The takeover
 *   itself runs under a second, short-lived lock (`.lock.takeover`), so two processes that both find
 *   the dead holder cannot both remove the lock (one of them would remove the other's new lock).
 * - A live holder is waited for, briefly; then a clear error names it and says what to do.
 *
 * `git`'s index.lock and Cargo's build-directory lock work the same way; we add pid takeover because
 * a killed compile (Ctrl+C twice, an OOM kill, a CI timeout) must not wedge the next one.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ArtifactError } from './artifact-paths.js';

export const LOCK_FILE = '.lock';
const TAKEOVER_FILE = '.lock.takeover';
/** A takeover lasts microseconds; one older than this was left by a process killed inside it. */
const STALE_TAKEOVER_MS = 10_000;

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  token: string;
}

export interface TargetLock {
  readonly file: string;
  release(): void;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up (default 60 s). */
  waitMs?: number;
  /** Poll interval while waiting (default 50 ms). */
  pollMs?: number;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockHolder>;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? (h as LockHolder) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists on this machine (EPERM: it exists, owned by someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const deadHere = (h: LockHolder) => h.host === hostname() && h.pid !== process.pid && !alive(h.pid);

/** Creates `file` holding `holder`, atomically; false when it already exists. */
function createExclusive(file: string, holder: LockHolder): boolean {
  const tmp = `${file}.${holder.pid}.${holder.token}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

const unlinkQuiet = (file: string) => {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
};

/** Removes the lock if (and only if) it is still held by the dead holder `seen`; true when it did. */
function takeOver(dir: string, lockFile: string, seen: LockHolder, me: LockHolder): boolean {
  const mutex = path.join(dir, TAKEOVER_FILE);
  if (!createExclusive(mutex, me)) {
    const other = readHolder(mutex);
    const age = (() => {
      try {
        return Date.now() - statSync(mutex).mtimeMs;
      } catch {
        return 0;
      }
    })();
    if ((other && deadHere(other)) || age > STALE_TAKEOVER_MS) unlinkQuiet(mutex);
    return false; // someone else is taking over; the caller polls again
  }
  try {
    const still = readHolder(lockFile);
    if (still && still.token === seen.token && deadHere(still)) unlinkSync(lockFile);
    return true;
  } finally {
    unlinkQuiet(mutex);
  }
}

function busyError(dir: string, holder: LockHolder | undefined, waitedMs: number): ArtifactError {
  const who = holder ? `process ${holder.pid} on ${holder.host} (since ${holder.since})` : 'another process';
  return new ArtifactError(
    `${dir} is being written by ${who}; waited ${Math.round(waitedMs / 1000)} s for it to finish.`,
    `Wait for that etl to finish and run again. If no etl is running, delete ${path.join(dir, LOCK_FILE)}.`,
  );
}

/** Takes the write lock on `dir` (created when missing), waiting briefly for a live holder. */
export async function lockTarget(dir: string, opts: LockOptions = {}): Promise<TargetLock> {
  const waitMs = opts.waitMs ?? 60_000;
  const pollMs = opts.pollMs ?? 50;
  const file = path.join(dir, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  const started = Date.now();
  for (;;) {
    if (createExclusive(file, me)) break;
    const holder = readHolder(file);
    if (holder && deadHere(holder) && takeOver(dir, file, holder, me)) continue;
    if (Date.now() - started >= waitMs) throw busyError(dir, holder, Date.now() - started);
    await sleep(pollMs);
  }
  return {
    file,
    release() {
      // Only our own lock: after a takeover (we were thought dead) the lock is someone else's.
      if (readHolder(file)?.token === me.token) unlinkQuiet(file);
    },
  };
}
