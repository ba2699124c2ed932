/**
 * The point a table is restored to: a Delta version, or an instant resolved as Delta resolves it
 * (the latest commit at or before it). Checked against the table's history before anything runs.
 */
import type { RestorePoint } from '../../compiler/plan/operations.js';
import { RestoreError } from './errors.js';

/** One commit of a Delta table's history. */
export interface Commit {
  version: number;
  /** Epoch milliseconds (the commit time Delta's time travel uses). */
  at: number;
}

const NAIVE = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$/;

/** `--to` as an instant: ISO-8601 with a zone, or without one (read as UTC). */
export function parseTimestamp(text: string): RestorePoint & { by: 'timestamp' } {
  const trimmed = text.trim();
  const withZone = NAIVE.test(trimmed) ? `${trimmed.replace(' ', 'T')}${trimmed.length === 10 ? 'T00:00:00' : ''}Z` : trimmed;
  const ms = Date.parse(withZone);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(ms)) {
    throw new RestoreError('RESTORE_BAD_TIMESTAMP', `--to '${text}' is not a timestamp.`, "give an ISO-8601 instant, e.g. --to 2026-01-05T06:00:00Z (without a zone it is read as UTC), or a version with --version N.");
  }
  return { by: 'timestamp', timestamp: new Date(ms).toISOString() };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The version `point` names in `history` (newest first or not), or a RestoreError saying why none. */
export function resolveVersion(point: RestorePoint, history: Commit[], table: string): number {
  const commits = [...history].sort((a, b) => a.version - b.version);
  const first = commits[0];
  const last = commits[commits.length - 1];
  if (!first || !last) throw new RestoreError('RESTORE_NEVER_BUILT', `${table} has no commits.`, 'build it first: there is nothing to restore.');
  const range = `versions ${first.version} (${iso(first.at)}) to ${last.version} (${iso(last.at)})`;
  if (point.by === 'version') {
    if (!commits.some((c) => c.version === point.version)) {
      throw new RestoreError('RESTORE_NO_SUCH_VERSION', `${table} has no version ${point.version}.`, `its history holds ${range}; run DESCRIBE HISTORY ${table} to choose one.`);
    }
    return point.version;
  }
  const at = Date.parse(point.timestamp);
  const before = commits.filter((c) => c.at <= at);
  if (!before.length) {
    throw new RestoreError(
      'RESTORE_BEFORE_FIRST_VERSION',
      `${point.timestamp} is before the first version of ${table} (version ${first.version}, committed ${iso(first.at)}).`,
      `pass --to ${iso(first.at)} or later, or --version ${first.version}; its history holds ${range}.`,
    );
  }
  return before[before.length - 1]!.version;
}
