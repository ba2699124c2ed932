/** The record of a retention run: target/retention_results.json (what was deleted, per table and partition). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RetentionOutcome } from './run-local.js';

export function writeRetentionResults(projectDir: string, outcome: RetentionOutcome): string {
  const dir = join(projectDir, 'target');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'retention_results.json');
  writeFileSync(file, `${JSON.stringify({ generatedAt: new Date().toISOString(), ...outcome }, null, 2)}\n`);
  return file;
}
