/**
 * `etl init --sources`: every starter compiles clean together, the project's package.json and
 * tsconfig.json are what a new project needs, and an unknown system is a usage error. (The package
 * spec runs a project made by the installed tool through tsc, ingest, Spark and docs.)
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runEtl } from '../compiler/helpers.js';

const dir = path.join(repoRoot, '.etl', 'spec-init', `run-${process.pid}`);
mkdirSync(dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('etl init --sources', () => {
  it('writes one starter per system; all four compile clean together', async () => {
    const project = path.join(dir, 'all');
    const init = await runEtl(['init', project, '--sources', 'snowflake,salesforce,kafka,files', '--json']);
    expect(init.code, init.stderr).toBe(0);
    const files = (JSON.parse(init.stdout) as { files: string[] }).files;
    expect(files).toEqual(expect.arrayContaining(['sources/shop.ts', 'sources/crm.ts', 'sources/events.ts', 'sources/landing.ts', 'landing/customers/part-0001.jsonl', 'models/gold/daily_page_views.ts', 'tsconfig.json', 'package.json', 'README.md', '.gitignore']));

    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; scripts: Record<string, string> };
    const tool = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(pkg.devDependencies['lakehouse-etl']).toBe(`^${tool.version}`);
    expect(Object.keys(pkg.scripts)).toEqual(expect.arrayContaining(['compile', 'build', 'test', 'docs']));
    const tsconfig = JSON.parse(readFileSync(path.join(project, 'tsconfig.json'), 'utf8')) as { include: string[]; compilerOptions: Record<string, unknown> };
    expect(tsconfig.include).toContain('.etl/types');
    expect(tsconfig.compilerOptions.moduleResolution).toBe('NodeNext');

    const compiled = await runEtl(['compile', '--project', project, '--json'], 120_000);
    expect(compiled.code, compiled.stderr).toBe(0);
    const summary = JSON.parse(compiled.stdout) as { models: number; diagnostics: unknown[] };
    expect(summary.diagnostics).toEqual([]);
    expect(summary.models).toBe(8);
    expect(existsSync(path.join(project, '.etl/types/project.d.ts'))).toBe(true);
  }, 180_000);

  it('rejects an unknown source system with a usage error and writes nothing', async () => {
    const project = path.join(dir, 'bad');
    const init = await runEtl(['init', project, '--sources', 'snowflake,oracle']);
    expect(init.code).toBe(2);
    expect(init.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/--sources: unknown source system 'oracle'; choose from snowflake, salesforce, kafka, files/);
    expect(existsSync(path.join(project, 'project.yaml'))).toBe(false);
  }, 60_000);
});
