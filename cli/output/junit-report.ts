/**
 * `--junit FILE` of `etl build` and `etl test`: the run's results written as JUnit XML, each node
 * placed by the plan it ran (a test in the suite of the model or source it is attached to) and a
 * failing data test's sample read from the file the runner saved under target/test-failures/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Plan } from '../../compiler/manifest/types.js';
import type { NodeResult, RunResults } from '../../runtime/runner/results.js';
import { junitXml, type CaseInfo } from './junit.js';

/** What this report reads of a saved failure sample (runtime/runner/test-step.ts writes it). */
const FailureSampleSchema = z.object({ rows: z.array(z.record(z.string(), z.unknown())) });

export function describeByPlan(plan: Plan): (r: NodeResult) => CaseInfo {
  return (r) => {
    const node = plan.nodes[r.id];
    if (!node) return { suite: `${r.kind}s` };
    const file = node.file ? { file: node.file } : {};
    switch (node.kind) {
      case 'model':
        return { suite: 'models', ...file };
      case 'source':
        return { suite: 'sources', ...file };
      case 'test':
        return { suite: node.attachedTo, ...file };
      case 'unit_test':
        return { suite: node.model, ...file };
    }
  };
}

export function failureSample(projectDir: string): (r: NodeResult) => Array<Record<string, unknown>> | undefined {
  return (r) => {
    if (!r.artifact) return undefined;
    try {
      const parsed = FailureSampleSchema.safeParse(JSON.parse(readFileSync(path.resolve(projectDir, r.artifact), 'utf8')));
      return parsed.success ? parsed.data.rows : undefined;
    } catch {
      return undefined;
    }
  };
}

export function writeJunitReport(file: string, run: RunResults, plan: Plan, projectDir: string): void {
  const xml = junitXml(run, { describe: describeByPlan(plan), sampleOf: failureSample(projectDir) });
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, xml);
}

/** The `onResults` callback of a run for `--junit FILE` (undefined without the flag). */
export function junitWriter(file: string | undefined, compiled: { plan: Plan; projectDir: string }): ((run: RunResults) => void) | undefined {
  return file ? (run) => writeJunitReport(file, run, compiled.plan, compiled.projectDir) : undefined;
}
