/**
 * Reads a local Delta table's transaction log (`_delta_log/`) directly: its latest version and the
 * commit metrics Delta wrote for each commit (the same `commitInfo.operationMetrics` DESCRIBE
 * HISTORY shows). On a local warehouse this replaces two DESCRIBE HISTORY statements per model,
 * each a Spark job replaying the log; remote locations still ask Spark.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const COMMIT_FILE = /^(\d{20})\.json$/;
const CHECKPOINT_FILE = /^(\d{20})\.checkpoint(\.\d+\.\d+)?\.parquet$/;

/** The part of a commit's `commitInfo` action the row counts come from. */
const CommitInfoSchema = z.object({
  operation: z.string(),
  operationMetrics: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type CommitInfo = z.infer<typeof CommitInfoSchema>;

export function deltaLogPresent(tablePath: string): boolean {
  const log = join(tablePath, '_delta_log');
  return existsSync(log) && readdirSync(log).some((f) => COMMIT_FILE.test(f) || CHECKPOINT_FILE.test(f));
}

/** The latest committed version, or undefined when the table has no log. */
export function latestVersion(tablePath: string): number | undefined {
  const log = join(tablePath, '_delta_log');
  if (!existsSync(log)) return undefined;
  let latest: number | undefined;
  for (const f of readdirSync(log)) {
    const m = COMMIT_FILE.exec(f) ?? CHECKPOINT_FILE.exec(f);
    if (m) latest = Math.max(latest ?? -1, Number(m[1]));
  }
  return latest;
}

/** The commitInfo of one version, or undefined when its commit file is gone (log clean-up) or has none. */
export function commitInfo(tablePath: string, version: number): CommitInfo | undefined {
  const file = join(tablePath, '_delta_log', `${String(version).padStart(20, '0')}.json`);
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{"commitInfo"')) continue;
    const parsed = CommitInfoSchema.safeParse((JSON.parse(line) as { commitInfo: unknown }).commitInfo);
    return parsed.success ? parsed.data : undefined;
  }
  return undefined;
}

/** Rows a commit wrote, as the runner reports them: inserted plus updated for MERGE, output rows for writes. */
export function rowsOfCommit(c: CommitInfo): number {
  const m = c.operationMetrics ?? {};
  const n = (k: string) => Number(m[k] ?? 0);
  if (c.operation === 'MERGE') return n('numTargetRowsInserted') + n('numTargetRowsUpdated');
  if (c.operation === 'OPTIMIZE' || c.operation === 'VACUUM START' || c.operation === 'VACUUM END') return 0;
  return n('numOutputRows');
}

/**
 * Rows written by the commits after `since` (-1: all), read from the log; undefined when a commit
 * between is not readable here (the caller then asks Spark).
 */
export function rowsWrittenSince(tablePath: string, since: number): number | undefined {
  const latest = latestVersion(tablePath);
  // A table that existed before the run with a long history: as many commit files as DESCRIBE HISTORY LIMIT 50 read.
  if (latest === undefined || latest - since > 50) return undefined;
  let total = 0;
  for (let v = since + 1; v <= latest; v++) {
    const info = commitInfo(tablePath, v);
    if (!info) return undefined;
    total += rowsOfCommit(info);
  }
  return total;
}
