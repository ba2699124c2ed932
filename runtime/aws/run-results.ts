/**
 * Per-model results of an EMR build: the step outcome joined with the result JSON the driver
 * wrote (records, tests, incremental or full). Written to target/run_results.json.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SdkClient } from './clients.js';
import type { ModelStatus, StepOutcome } from './step-runner.js';

export interface TestResult {
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
  model: string;
  status: 'success' | 'error' | 'skipped';
  mode?: 'full' | 'incremental';
  records: number | null;
  tests: TestResult[];
  message?: string;
  durationMs?: number;
}

export interface ModelRunResult {
  model: string;
  relation: string | null;
  status: ModelStatus;
  stepId?: string;
  stepState?: string;
  mode?: 'full' | 'incremental';
  records: number | null;
  durationMs: number | null;
  tests: TestResult[];
  /** Share of the model's tests that passed, 0-100; null without tests. */
  qualityScore: number | null;
  message?: string;
  logFile?: string;
}

export interface RunResults {
  target: 'emr';
  project: string;
  buildId: string;
  runId: string;
  clusterId: string;
  startedAt: string;
  endedAt: string;
  elapsedMs: number;
  artifactsUri: string;
  summary: Record<ModelStatus, number>;
  results: ModelRunResult[];
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

export function mergeResult(outcome: StepOutcome, relation: string | null, driver: DriverResult | undefined): ModelRunResult {
  let status: ModelStatus = outcome.status;
  let message = outcome.message;
  // The driver knows better: a step that "completed" may have skipped its model, and a failed
  // step's driver result says which test or statement failed.
  if (driver && (outcome.status === 'success' || outcome.status === 'error')) {
    status = driver.status;
    message = driver.message ?? message;
  }
  const tests = driver?.tests ?? [];
  return {
    model: outcome.modelId,
    relation,
    status,
    ...(outcome.stepId ? { stepId: outcome.stepId } : {}),
    ...(outcome.state ? { stepState: outcome.state } : {}),
    ...(driver?.mode ? { mode: driver.mode } : {}),
    records: driver?.records ?? null,
    durationMs: outcome.durationMs ?? driver?.durationMs ?? null,
    tests,
    qualityScore: qualityScore(tests),
    ...(message ? { message } : {}),
    ...(outcome.logFile ? { logFile: outcome.logFile } : {}),
  };
}

export function qualityScore(tests: TestResult[]): number | null {
  if (!tests.length) return null;
  return Math.round((1000 * tests.filter((t) => t.status === 'pass').length) / tests.length) / 10;
}

export function summarize(results: ModelRunResult[]): Record<ModelStatus, number> {
  const summary: Record<ModelStatus, number> = { success: 0, error: 0, skipped: 0, cancelled: 0, submitted: 0 };
  for (const r of results) summary[r.status]++;
  return summary;
}

export async function writeRunResults(projectDir: string, results: RunResults): Promise<string> {
  const path = join(projectDir, 'target', 'run_results.json');
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
  await rename(tmp, path);
  return path;
}
