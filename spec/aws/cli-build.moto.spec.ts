/**
 * `etl build --target emr` through the real CLI: the compiler, the dispatch in build.ts, the AWS
 * target against moto, and what a person sees (no stack traces for configuration mistakes).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GetTablesCommand } from '@aws-sdk/client-glue';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useMoto } from './moto-env.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const moto = useMoto('company-lakehouse');
let project: string;

// A copy of spec/aws/fixtures/project (the build writes target/ into it), inside the repository so
// the project's `lakehouse-etl` imports resolve; .etl/ is gitignored.
beforeAll(() => {
  mkdirSync(join(ROOT, '.etl', 'tmp'), { recursive: true });
  project = mkdtempSync(join(ROOT, '.etl', 'tmp', 'aws-cli-'));
  cpSync(join(import.meta.dirname, 'fixtures', 'project'), project, { recursive: true });
});
afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

function etl(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = execFile('node', [join(ROOT, 'bin', 'etl.js'), ...args], { cwd: project, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, maxBuffer: 64 << 20, timeout: 180_000 }, (_e, stdout, stderr) =>
      res({ code: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

describe('etl build --target emr (CLI)', () => {
  it('--dry-run prints the requests as JSON without credentials or network', async () => {
    // An endpoint nothing listens on: any request sent would fail the command.
    const { code, stdout, stderr } = await etl(['build', '--target', 'emr', '--dry-run'], { ETL_AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' });
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const requests = JSON.parse(stdout);
    expect(requests.glue.CreateDatabase.map((d: any) => d.DatabaseInput.Name)).toEqual(['bronze', 'silver', 'gold']);
    expect(requests.emr.RunJobFlow.ReleaseLabel).toBe('emr-7.13.0');
    expect(requests.emr.AddJobFlowSteps.Steps.length).toBeGreaterThan(0);
    expect(requests.s3.PutObject.every((p: any) => p.Key.startsWith(`etl/builds/${requests.buildId}/`))).toBe(true);
  }, 200_000);

  it('--select limits the steps to the selected models', async () => {
    const { code, stdout } = await etl(['build', '--target', 'emr', '--dry-run', '--select', 'daily_revenue'], { ETL_AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_EC2_METADATA_DISABLED: 'true' });
    expect(code).toBe(0);
    const steps = JSON.parse(stdout).emr.AddJobFlowSteps.Steps;
    expect(steps.map((s: { Name: string }) => s.Name.split(' ').at(-1))).toEqual(['daily_revenue']);
    // stg_orders is not selected, so daily_revenue reads it as it is and waits for nothing.
    expect(steps[0].HadoopJarStep.Args).not.toContain('--requires');
  }, 200_000);

  it('registers the tables, uploads the artifacts and submits a step per model against moto', async () => {
    const { code, stdout, stderr } = await etl(['build', '--target', 'emr', '--no-wait'], moto.env);
    expect(stderr).not.toMatch(/error/i);
    expect(code).toBe(0);
    const submitted = stdout.split('\n').filter((l) => l.trim().startsWith('submitted '));
    expect(submitted.map((l) => l.trim().split(' ')[1])).toEqual(['silver.stg_orders', 'gold.daily_revenue']);
    expect(stdout).toMatch(/Done: 0 success, 0 error, 0 skipped, 0 cancelled, \d+ submitted/);
    const names = async (db: string) => (await moto.clients.glue.send(new GetTablesCommand({ DatabaseName: db }))).TableList.map((t: { Name: string }) => t.Name);
    expect(await names('bronze')).toEqual(['shop_orders']);
    expect(await names('silver')).toEqual(['stg_orders']);
    expect(await names('gold')).toEqual(['daily_revenue']);
    const objects = await moto.clients.s3.send(new ListObjectsV2Command({ Bucket: 'company-lakehouse', Prefix: 'etl/builds/' }));
    expect(objects.KeyCount).toBeGreaterThan(submitted.length);
    const runResults = JSON.parse(readFileSync(join(project, 'target', 'run_results.json'), 'utf8'));
    expect(runResults.target).toBe('emr');
    expect(runResults.results).toHaveLength(submitted.length);
  }, 200_000);

  it('refuses EMR-only flags on a local target instead of starting a local build', async () => {
    const { code, stderr } = await etl(['build', '--dry-run'], { ETL_AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    expect(code).toBe(2);
    expect(stderr).toContain('--dry-run only apply to an EMR target; target "local" is local');
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 200_000);

  it('explains bad EMR settings with their project.yaml keys and no stack trace', async () => {
    const yamlPath = join(project, 'project.yaml');
    const original = readFileSync(yamlPath, 'utf8');
    writeFileSync(yamlPath, original.replace('core_instance_count: 2', 'core_instance_count: 0').replace('release: emr-7.13.0', 'release: emr-6.15.0'));
    try {
      const { code, stderr } = await etl(['build', '--target', 'emr', '--dry-run'], moto.env);
      expect(code).toBe(1);
      expect(stderr).toContain('targets.emr.cluster.core_instance_count');
      expect(stderr).toContain('targets.emr.cluster.release');
      // The compiler validates the target's settings now: the build stops before the EMR path.
      expect(stderr).toMatch(/nothing was (sent to AWS|run)/);
      expect(stderr).not.toMatch(/^\s+at /m);
    } finally {
      writeFileSync(yamlPath, original);
    }
  }, 200_000);
});
