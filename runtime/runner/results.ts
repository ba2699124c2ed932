/** Per-node results of a run and `target/run_results.json`. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'warn' | 'pass' | 'fail';
export type NodeKind = 'source' | 'model' | 'test' | 'unit_test';

export interface NodeResult {
  id: string;
  kind: NodeKind;
  name: string;
  status: NodeStatus;
  startedAt?: string;
  durationMs: number;
  /** Rows written (models) or failing rows (tests). */
  rows?: number;
  failures?: number;
  message?: string;
  /** Where in the user's files the error points, when known. */
  location?: { file: string; line?: number; column?: number };
  /** full | incremental, for models. */
  mode?: 'full' | 'incremental' | 'view' | 'ephemeral';
  /** File under target/ with a sample of failing rows (tests) or a diff (unit tests). */
  artifact?: string;
}

export interface RunResults {
  command: 'build' | 'test';
  generatedAt: string;
  elapsedMs: number;
  args: Record<string, unknown>;
  success: boolean;
  results: NodeResult[];
}

export const FAILED_STATUSES: ReadonlySet<NodeStatus> = new Set(['error', 'fail']);

export function runSucceeded(results: NodeResult[]): boolean {
  return !results.some((r) => FAILED_STATUSES.has(r.status));
}

export function writeRunResults(projectDir: string, run: RunResults): string {
  const dir = join(projectDir, 'target');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'run_results.json');
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(run, null, 2));
  renameSync(tmp, file);
  return file;
}
