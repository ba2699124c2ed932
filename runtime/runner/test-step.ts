/** Runs one data test node: counts its failing rows, applies its thresholds, saves a sample of failures. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { formatThreshold, testOutcome, type TestOutcome } from '../../compiler/plan/thresholds.js';
import type { TestNode } from '../../compiler/manifest/types.js';
import type { EngineSession } from '../engines/engine.js';
import type { NodeResult } from './results.js';

export const FAILURE_SAMPLE_ROWS = 50;

export interface TestStepResult {
  outcome: TestOutcome;
  failures: number;
  /** Path (relative to the project) of the saved sample, when there were failing rows. */
  artifact?: string;
}

export function failureFile(projectDir: string, testId: string): string {
  return join(projectDir, 'target', 'test-failures', `${testId.replace(/[^\w.-]+/g, '_')}.json`);
}

export async function runDataTest(session: EngineSession, node: TestNode, projectDir: string): Promise<TestStepResult> {
  const { failures, sample } = await session.runDataTest(node.test, FAILURE_SAMPLE_ROWS);
  if (failures === 0) return passedDataTest(node, projectDir);
  const outcome = testOutcome(failures, node.test);
  const file = failureFile(projectDir, node.id);
  mkdirSync(join(projectDir, 'target', 'test-failures'), { recursive: true });
  const { severity, warnIf, errorIf } = node.test;
  const rows = maskClassified(sample, node.test.maskColumns);
  const record = { test: node.id, attachedTo: node.attachedTo, severity, warnIf: formatThreshold(warnIf), errorIf: formatThreshold(errorIf), failures, sampleSize: sample.length, masked: node.test.maskColumns, sql: node.test.query.sql, rows };
  writeFileSync(file, JSON.stringify(record, null, 2));
  return { outcome, failures, artifact: relative(projectDir, file) };
}

/** A test that found no failing rows (its own query, or its share of a combined scan): no sample is kept. */
export function passedDataTest(node: TestNode, projectDir: string): TestStepResult {
  rmSync(failureFile(projectDir, node.id), { force: true });
  return { outcome: testOutcome(0, node.test), failures: 0 };
}

/** A test node's result from its step. */
export function testNodeResult(node: TestNode, r: TestStepResult, t0: number, durationMs: number): NodeResult {
  return {
    id: node.id,
    kind: node.kind,
    name: node.name,
    startedAt: new Date(t0).toISOString(),
    status: r.outcome,
    durationMs,
    failures: r.failures,
    ...(r.artifact ? { artifact: r.artifact } : {}),
    ...(r.outcome !== 'pass' ? { message: describeFailures(node, r) } : {}),
  };
}

/** Classified values (PII, sensitive, restricted) never reach target/ or CI logs: `***` in their place. */
export function maskClassified(rows: Array<Record<string, unknown>>, mask: string[]): Array<Record<string, unknown>> {
  if (mask.length === 0) return rows;
  const masked = new Set(mask);
  return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, masked.has(k.toLowerCase()) && v !== null && v !== undefined ? '***' : v])));
}

export function describeFailures(node: TestNode, r: TestStepResult): string {
  const t = node.test;
  return `${r.failures} failing row${r.failures === 1 ? '' : 's'} (severity ${t.severity}, warn_if ${formatThreshold(t.warnIf)}, error_if ${formatThreshold(t.errorIf)})${r.artifact ? `; sample in ${r.artifact}` : ''}`;
}
