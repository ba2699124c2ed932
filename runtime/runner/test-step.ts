/** Runs one data test: counts its failing rows, applies the thresholds, saves a sample of failures. */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ManifestTest } from '../../compiler/manifest/types.js';
import type { SparkSession } from '../engines/spark/client.js';
import { testOutcome, type TestOutcome } from './thresholds.js';

export const FAILURE_SAMPLE_ROWS = 50;

export interface TestStepResult {
  outcome: TestOutcome;
  failures: number;
  /** Path (relative to the project) of the saved sample, when there were failing rows. */
  artifact?: string;
}

const stripSemicolon = (sql: string) => sql.trim().replace(/;\s*$/, '');

export function failureFile(projectDir: string, testId: string): string {
  return join(projectDir, 'target', 'test-failures', `${testId.replace(/[^\w.-]+/g, '_')}.json`);
}

export async function runDataTest(session: SparkSession, test: ManifestTest, projectDir: string): Promise<TestStepResult> {
  const sql = stripSemicolon(test.sql);
  // One pass: the window count gives the total while LIMIT keeps the sample small.
  const sample = await session.query(`SELECT *, count(*) OVER () AS etl_failures FROM (\n${sql}\n) etl_test LIMIT ${FAILURE_SAMPLE_ROWS}`);
  const failures = Number(sample.rows[0]?.etl_failures ?? 0);
  for (const row of sample.rows) delete row.etl_failures;
  const outcome = testOutcome(failures, test);
  const file = failureFile(projectDir, test.id);
  if (failures === 0) {
    rmSync(file, { force: true });
    return { outcome, failures };
  }
  mkdirSync(join(projectDir, 'target', 'test-failures'), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify(
      { test: test.id, attachedTo: test.attachedTo, severity: test.severity, failures, sampleSize: sample.rows.length, sql, rows: sample.rows },
      null,
      2,
    ),
  );
  return { outcome, failures, artifact: relative(projectDir, file) };
}
