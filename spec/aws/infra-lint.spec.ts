/**
 * `etl infra generate` on the reference project: the JSON and YAML templates of both stacks pass
 * cfn-lint (PyPI, installed by scripts/setup-moto.sh) with no errors and no warnings; mistakes in
 * project.yaml's `infra:` and in a source's `schedule:` are located diagnostics.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { readProjectConfig } from '../../compiler/load/project-config.js';
import { infraTemplates, renderTemplate } from '../../runtime/infra/template.js';
import { plain, repoRoot, runEtl } from '../compiler/helpers.js';
import { ensureMotoInstalled } from './moto-server.js';

const CFN_LINT = path.join(repoRoot, '.etl', 'venv-moto', 'bin', 'cfn-lint');
const dir = mkdtempSync(path.join(tmpdir(), 'etl-infra-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cfnLint(files: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(CFN_LINT, ['--format', 'json', ...files], { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('etl infra generate', () => {
  it('writes templates cfn-lint accepts without errors or warnings', async () => {
    if (!existsSync(CFN_LINT)) ensureMotoInstalled();
    if (!existsSync(CFN_LINT)) throw new Error(`cfn-lint missing at ${CFN_LINT}: run scripts/setup-moto.sh`);
    const files = { json: path.join(dir, 'primary.json'), yaml: path.join(dir, 'primary.yaml'), replica: path.join(dir, 'replica.yaml') };
    // The CLI writes one; the YAML forms come from the same generator in process (a CLI run costs a compile).
    const res = await runEtl(['infra', 'generate', '--target', 'emr', '--out', files.json], 120_000);
    expect(res.stderr).toMatch(/^wrote .*primary\.json: \d+ resources for us-east-1$/m);
    expect(res.code).toBe(0);
    const compiled = await compileProject({ projectDir: repoRoot, target: 'emr' });
    const templates = infraTemplates(readProjectConfig(repoRoot, [])!, compiled.manifest);
    writeFileSync(files.yaml, renderTemplate(templates.primary, 'yaml'));
    writeFileSync(files.replica, renderTemplate(templates.replica, 'yaml'));
    expect(JSON.parse(readFileSync(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(templates.primary)));
    const json = JSON.parse(readFileSync(files.json, 'utf8'));
    expect(Object.keys(json.Resources).length).toBeGreaterThan(60);
    const lint = await cfnLint(Object.values(files));
    expect(JSON.parse(lint.stdout || '[]')).toEqual([]);
    expect(lint.code).toBe(0);
  }, 300_000);

  it('reports an infra: retention S3 would refuse at its place in project.yaml', async () => {
    const result = await compileProject({ projectDir: path.join(repoRoot, 'spec/aws/fixtures/infra-bad-config') });
    expect(plain(result.diagnostics)).toEqual([
      {
        code: 'ETL102',
        severity: 'error',
        message: "Invalid project.yaml at 'infra.retention.gold.archive_days': archive_days must be at least infrequent_access_days + 30 (S3 keeps objects 30 days in STANDARD_IA)",
        file: 'project.yaml',
        line: 17,
        column: 77,
        hint: 'See the configuration reference in README.md.',
      },
    ]);
  });

  it('reports a schedule EventBridge Scheduler cannot run at its value in the source file', async () => {
    const result = await compileProject({ projectDir: path.join(repoRoot, 'spec/aws/fixtures/infra-bad-schedule') });
    expect(plain(result.diagnostics)).toEqual([
      {
        code: 'ETL118',
        severity: 'error',
        message: "Invalid schedule of table kafka.order_events: expected 'hourly', 'daily' or a cron string: give day-of-month or day-of-week, not both (EventBridge Scheduler cannot combine them)",
        file: 'sources/kafka.ts',
        line: 12,
        column: 17,
        hint: 'See "Sources (sources/*.ts)" in README.md for each system\'s keys.',
      },
    ]);
  });
});
