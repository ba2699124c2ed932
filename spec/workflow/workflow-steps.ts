/**
 * Runs the steps of the project's GitHub Actions workflow as the workflow writes them: each step's
 * `run:` text, found by job and step id in `.github/workflows/etl.yml`, run by bash in a project
 * directory with the workflow's `env:` (and the runner's variables the steps read) set.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';

const stepSchema = z.object({ id: z.string().optional(), run: z.string().optional() }).passthrough();
const workflowSchema = z.object({
  env: z.record(z.string(), z.union([z.string(), z.number()])),
  jobs: z.record(z.string(), z.object({ steps: z.array(stepSchema) }).passthrough()),
});
export type Workflow = z.infer<typeof workflowSchema>;

export function readWorkflow(file: string): Workflow {
  return workflowSchema.parse(parse(readFileSync(file, 'utf8')));
}

export function stepRun(workflow: Workflow, job: string, id: string): string {
  const step = workflow.jobs[job]?.steps.find((s) => s.id === id);
  if (!step?.run) throw new Error(`The workflow has no step ${job}.${id} with a run: command`);
  return step.run;
}

export interface StepResult {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * The workflow's env values hold `${{ ... }}` expressions the runner evaluates; the spec gives the
 * values they evaluate to in `values`, and every other variable keeps the workflow's literal value.
 */
export function runStep(workflow: Workflow, job: string, id: string, cwd: string, values: Record<string, string>): StepResult {
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const [k, v] of Object.entries(workflow.env)) env[k] = String(v);
  Object.assign(env, values);
  const r = spawnSync('bash', ['-eo', 'pipefail', '-c', stepRun(workflow, job, id)], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=spec', '-c', 'user.email=spec@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
}

export const workflowFile = (repo: string) => join(repo, '.github', 'workflows', 'etl.yml');
