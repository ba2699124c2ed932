/** Per-node results of a run and `target/run_results.json`. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatementTiming } from '../engines/engine.js';

export type NodeStatus = 'success' | 'error' | 'skipped' | 'warn' | 'pass' | 'fail';
/** `hook`: project.yaml's on_run_start / on_run_end (runtime/runner/hooks.ts). */
export type NodeKind = 'source' | 'model' | 'test' | 'unit_test' | 'hook';

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
  /** With `--profile`: each statement the node sent and its time; the rest of the node's time is the tool's. */
  profile?: NodeProfile;
}

export interface NodeProfile {
  statements: StatementTiming[];
  /** Sum of the statements' wall time, and what the node spent outside them. */
  statementMs: number;
  otherMs: number;
}

export interface RunResults {
  command: 'build' | 'test' | 'seed';
  generatedAt: string;
  elapsedMs: number;
  args: Record<string, unknown>;
  success: boolean;
  results: NodeResult[];
  /** With `--profile`: statements sent and their time, summed per kind of statement. */
  profile?: RunProfile;
}

export interface RunProfile {
  statements: number;
  statementMs: number;
  /** By the statement's leading words (`DESCRIBE HISTORY`, `CREATE TABLE`...), most time first. */
  byKind: Array<{ kind: string; count: number; ms: number }>;
}

/** Leading keywords of a statement: what kind of work it is, without names or values. */
export function statementKind(statement: string): string {
  const words = statement.trim().split(/\s+/).map((w) => w.toUpperCase());
  const keyword = (w: string | undefined) => w !== undefined && /^[A-Z_]+$/.test(w) && !['IF', 'IN', 'AS', 'FROM'].includes(w);
  const out: string[] = [];
  for (const w of words) {
    if (!keyword(w) || out.length === 4) break;
    out.push(w);
  }
  return out.join(' ') || '?';
}

export function runProfile(results: NodeResult[]): RunProfile | undefined {
  const profiled = results.filter((r) => r.profile);
  if (!profiled.length) return undefined;
  const byKind = new Map<string, { kind: string; count: number; ms: number }>();
  let statements = 0;
  let statementMs = 0;
  for (const r of profiled) {
    for (const s of r.profile!.statements) {
      const kind = statementKind(s.statement);
      const k = byKind.get(kind) ?? byKind.set(kind, { kind, count: 0, ms: 0 }).get(kind)!;
      k.count++;
      k.ms += s.ms;
      statements++;
      statementMs += s.ms;
    }
  }
  const rounded = [...byKind.values()].map((k) => ({ ...k, ms: Math.round(k.ms) })).sort((a, b) => b.ms - a.ms);
  return { statements, statementMs: Math.round(statementMs), byKind: rounded };
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
