/**
 * The local stand-in for the replica bucket: a directory mirroring the warehouse directory as S3
 * Cross-Region Replication mirrors the lakehouse bucket into the replica bucket. Same relative
 * paths (keys); files are added and updated, never deleted (S3 replication does not replicate
 * deletes unless delete-marker replication is on, and the infra template leaves it off), so a file
 * deleted on the primary stays in the replica. Modification times are kept: local Delta time travel
 * resolves timestamps by the commit files' times.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { RestoreError } from './errors.js';

/** `targets.<local>.warehouse_dir`'s sibling `replica` (data/warehouse → data/replica), or `override`. */
export function localReplicaDir(projectDir: string, warehouseDir: string, override?: string): string {
  if (override) return resolve(projectDir, override);
  return join(dirname(resolve(projectDir, warehouseDir)), 'replica');
}

/** Where a table's files live in the replica: the same path relative to the warehouse directory. */
export function replicaPathOf(tablePath: string, warehouseDir: string, replicaDir: string): string {
  const rel = relative(warehouseDir, tablePath);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) {
    throw new RestoreError('RESTORE_REPLICA_OUTSIDE', `${tablePath} is not under the warehouse directory ${warehouseDir}, which is what the replica mirrors.`, 'keep the table under the layer roots of warehouse_dir (no absolute `location:`), or restore it from your own copy.');
  }
  return join(replicaDir, rel);
}

export interface CopySummary {
  copied: number;
  unchanged: number;
}

function* files(dir: string, prefix = ''): Generator<string> {
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) yield* files(dir, rel);
    else if (entry.isFile()) yield rel;
  }
}

/** Copies every file of `from` into `to` that is missing there or differs in size or time; deletes nothing. */
export function mirrorFiles(from: string, to: string, opts: { dryRun?: boolean } = {}): CopySummary {
  const summary: CopySummary = { copied: 0, unchanged: 0 };
  if (!existsSync(from)) return summary;
  for (const rel of files(from)) {
    const src = join(from, rel);
    const dst = join(to, rel);
    const s = statSync(src);
    if (existsSync(dst)) {
      const d = statSync(dst);
      if (d.size === s.size && d.mtimeMs === s.mtimeMs) {
        summary.unchanged++;
        continue;
      }
    }
    summary.copied++;
    if (opts.dryRun) continue;
    mkdirSync(dirname(dst), { recursive: true });
    copyFileSync(src, dst);
    utimesSync(dst, s.atime, s.mtime);
  }
  return summary;
}

/** True when `dir` holds a Delta log with at least one commit. */
export function hasDeltaLog(dir: string): boolean {
  const log = join(dir, '_delta_log');
  return existsSync(log) && readdirSync(log).some((f) => f.endsWith('.json') || f.endsWith('.checkpoint.parquet'));
}
