/**
 * Model unit tests: the engine makes each given input a temporary view typed by its declared
 * schema, runs the model's SELECT as compiled against those views, and compares the result with the
 * expected rows inside Spark (EXCEPT ALL, typed), so 1.50 = 1.5 and timestamps compare as
 * timestamps. Warehouse tables are never touched.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { UnitTestNode } from '../../compiler/manifest/types.js';
import type { EngineSession } from '../engines/engine.js';
import { UnitTestSetupError } from '../engines/spark/spark-engine.js';
import { errorResult } from './node-error.js';
import type { NodeResult } from './results.js';

function formatRow(row: Record<string, unknown>): string {
  return `{ ${Object.entries(row).map(([k, v]) => `${k}: ${v === null ? 'null' : JSON.stringify(v)}`).join(', ')} }`;
}

export async function runUnitTest(session: EngineSession, node: UnitTestNode, projectDir: string): Promise<NodeResult> {
  const t0 = Date.now();
  const base = { id: node.id, kind: 'unit_test' as const, name: node.name, startedAt: new Date(t0).toISOString() };
  try {
    const { compared, missing, unexpected } = await session.runUnitTest(node.test);
    const file = join(projectDir, 'target', 'unit-test-failures', `${node.id.replace(/[^\w.-]+/g, '_')}.json`);
    if (!missing.length && !unexpected.length) {
      rmSync(file, { force: true });
      return { ...base, status: 'pass', durationMs: Date.now() - t0 };
    }
    mkdirSync(join(projectDir, 'target', 'unit-test-failures'), { recursive: true });
    writeFileSync(file, JSON.stringify({ test: node.id, model: node.model, missing, unexpected }, null, 2));
    const diff = [
      `${missing.length} expected row${missing.length === 1 ? '' : 's'} missing, ${unexpected.length} unexpected row${unexpected.length === 1 ? '' : 's'} (compared: ${compared.join(', ')})`,
      ...missing.slice(0, 20).map((r) => `- ${formatRow(r)}`),
      ...unexpected.slice(0, 20).map((r) => `+ ${formatRow(r)}`),
    ].join('\n');
    return { ...base, status: 'fail', durationMs: Date.now() - t0, failures: missing.length + unexpected.length, message: diff, location: { file: node.file }, artifact: relative(projectDir, file) };
  } catch (e) {
    if (e instanceof UnitTestSetupError) return { ...base, status: 'error', durationMs: Date.now() - t0, message: e.message, location: { file: node.file } };
    return errorResult(e, node.id, 'unit_test', node.name, t0, node.file, projectDir);
  }
}
