/**
 * The GitHub Actions workflow: the reference project's file is the generator's text (so the steps the
 * workflow spec runs are the ones users get from `etl init`), and actionlint accepts both versions
 * and rejects a broken one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubWorkflow, PROJECT_WORKFLOW, REPOSITORY_WORKFLOW } from '../../cli/scaffold/github-workflow.js';
import { workflowFile } from './workflow-steps.js';

const REPO = join(import.meta.dirname, '..', '..');
const SCRATCH = join(REPO, '.etl', 'spec-workflow-file');
const ACTIONLINT = join(REPO, '.etl', 'bin', 'actionlint');

const actionlint = (file: string) => spawnSync(ACTIONLINT, ['-no-color', file], { encoding: 'utf8' });

beforeAll(() => {
  execFileSync('bash', [join(REPO, 'scripts', 'setup-actionlint.sh')], { stdio: 'inherit' });
  rmSync(SCRATCH, { recursive: true, force: true });
  mkdirSync(SCRATCH, { recursive: true });
});

describe('the GitHub Actions workflow', () => {
  it('the reference project keeps the generated workflow (regenerate with githubWorkflow(REPOSITORY_WORKFLOW))', () => {
    expect(readFileSync(workflowFile(REPO), 'utf8')).toBe(githubWorkflow(REPOSITORY_WORKFLOW));
  });

  it('actionlint accepts the reference project\'s workflow', () => {
    const r = actionlint(workflowFile(REPO));
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: '' });
  });

  it('etl init writes the workflow for a project using the tool as a dependency, and actionlint accepts it', () => {
    const dir = join(SCRATCH, 'new_project');
    execFileSync('node', [join(REPO, 'bin', 'etl.js'), 'init', dir], { encoding: 'utf8' });
    const written = readFileSync(join(dir, '.github', 'workflows', 'etl.yml'), 'utf8');
    expect(written).toBe(githubWorkflow(PROJECT_WORKFLOW));
    expect(written).toContain('ETL: npx etl');
    const r = actionlint(join(dir, '.github', 'workflows', 'etl.yml'));
    expect({ status: r.status, out: r.stdout }).toEqual({ status: 0, out: '' });
  });

  it('actionlint rejects a workflow with a mistake (a job that needs an unknown job)', () => {
    const broken = join(SCRATCH, 'broken.yml');
    writeFileSync(broken, githubWorkflow(REPOSITORY_WORKFLOW).replace('needs: production-compile', 'needs: production-compil'));
    const r = actionlint(broken);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('production-compil');
  });
});
