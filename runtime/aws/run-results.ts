/**
 * Per-node results of an EMR build: each step's outcome joined with the result JSON its driver
 * wrote (rows written, tests, full or incremental). target/run_results.json has the local runner's
 * shape (runtime/runner/results.ts: a flat list of model, source and test nodes) plus the EMR
 * build's own fields, so the docs site and `--failed`-style readers handle both targets alike.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { NodeResult, NodeStatus } from '../runner/results.js';
import type { BuildNode } from './build-models.js';
import type { SdkClient } from './clients.js';
import type { StepOutcome } from './step-runner.js';

/** A test's outcome as the driver reports it. */
export interface DriverTestResult {
  id: string;
  name: string;
  severity: 'error' | 'warn';
  status: 'pass' | 'warn' | 'fail' | 'error';
  failures?: number;
  message?: string;
  durationMs?: number;
}

/** What the driver writes (see driver/etl_driver.py). */
export interface DriverResult {
  /** Plan node id. */
  id: string;
  status: 'success' | 'error' | 'skipped';
  mode?: 'full' | 'incremental';
  /** Rows the step's operations wrote, from Delta's commit metrics; null for views and sources. */
  rowsWritten: number | null;
  /** Engine work-arounds the step took (`replace-table-by-write`, `merge-from-staging`). */
  workarounds?: string[];
  tests: DriverTestResult[];
  message?: string;
  durationMs?: number;
}

/** The local statuses, plus a step cancelled outside the build and one submitted with --no-wait. */
export type EmrNodeStatus = NodeStatus | 'cancelled' | 'submitted';

export interface EmrNodeResult extends Omit<NodeResult, 'status'> {
  status: EmrNodeStatus;
  stepId?: string;
  stepState?: string;
  logFile?: string;
  /** Models and sources: share of their tests that passed, 0-100 (absent without tests). */
  qualityScore?: number;
  /** Tests: the model or source they check. */
  attachedTo?: string;
}

/** One step's node with its tests. */
export interface NodeOutcome {
  node: EmrNodeResult;
  tests: EmrNodeResult[];
}

export interface EmrRunResults {
  command: 'build';
  generatedAt: string;
  elapsedMs: number;
  args: Record<string, unknown>;
  success: boolean;
  results: EmrNodeResult[];
  target: 'emr';
  project: string;
  buildId: string;
  runId: string;
  clusterId: string;
  startedAt: string;
  artifactsUri: string;
  /** Models and sources by status. */
  summary: Record<string, number>;
}

export async function fetchDriverResult(s3: SdkClient, bucket: string, key: string): Promise<DriverResult | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await out.Body.transformToString()) as DriverResult;
  } catch (err) {
    // No result: the step never ran the driver (cancelled while pending, or failed to start).
    if (['NoSuchKey', 'NotFound'].includes((err as { name?: string }).name ?? '')) return undefined;
    throw err;
  }
}

export function mergeResult(outcome: StepOutcome, node: BuildNode, driver: DriverResult | undefined): NodeOutcome {
  let status: EmrNodeStatus = outcome.status;
  let message = outcome.message;
  // The driver knows better: a step that "completed" may have skipped its model, and a failed
  // step's driver result says which test or statement failed.
  if (driver && (outcome.status === 'success' || outcome.status === 'error')) {
    status = driver.status;
    message = driver.message ?? message;
  }
  const ran = driver?.tests ?? [];
  const score = qualityScore(ran);
  const result: EmrNodeResult = {
    id: node.id,
    kind: node.kind,
    name: node.relation,
    status,
    ...(outcome.startedAt ? { startedAt: outcome.startedAt.toISOString() } : {}),
    durationMs: outcome.durationMs ?? driver?.durationMs ?? 0,
    ...(driver?.rowsWritten !== null && driver?.rowsWritten !== undefined ? { rows: driver.rowsWritten } : {}),
    ...(message ? { message } : {}),
    ...(driver?.mode ? { mode: driver.mode } : {}),
    ...(outcome.stepId ? { stepId: outcome.stepId } : {}),
    ...(outcome.state ? { stepState: outcome.state } : {}),
    ...(outcome.logFile ? { logFile: outcome.logFile } : {}),
    ...(score !== undefined ? { qualityScore: score } : {}),
  };
  const tests: EmrNodeResult[] = ran.map((t) => ({
    id: t.id,
    kind: 'test',
    name: t.name,
    status: t.status,
    durationMs: t.durationMs ?? 0,
    ...(t.failures !== undefined ? { failures: t.failures } : {}),
    ...(t.message ? { message: t.message } : {}),
    attachedTo: node.id,
  }));
  // Tests that never ran are reported skipped, as the local build does (not while still submitted).
  if (status !== 'submitted') {
    const seen = new Set(ran.map((t) => t.id));
    for (const { id, name } of node.tests.filter((t) => !seen.has(t.id))) {
      tests.push({ id, kind: 'test', name, status: 'skipped', durationMs: 0, message: `${node.kind} ${node.name} did not run (${status})`, attachedTo: node.id });
    }
  }
  return { node: result, tests };
}

export function qualityScore(tests: DriverTestResult[]): number | undefined {
  if (!tests.length) return undefined;
  return Math.round((1000 * tests.filter((t) => t.status === 'pass').length) / tests.length) / 10;
}

export function summarize(outcomes: NodeOutcome[]): Record<string, number> {
  const summary: Record<string, number> = { success: 0, error: 0, skipped: 0, cancelled: 0, submitted: 0 };
  for (const { node } of outcomes) summary[node.status] = (summary[node.status] ?? 0) + 1;
  return summary;
}

export function runSucceeded(results: EmrNodeResult[]): boolean {
  return !results.some((r) => r.status === 'error' || r.status === 'fail' || r.status === 'cancelled');
}

export async function writeRunResults(projectDir: string, results: EmrRunResults): Promise<string> {
  const path = join(projectDir, 'target', 'run_results.json');
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}
