/**
 * `etl ls` with nothing changed since the last compile loads none of the compile pipeline: the
 * result is reused (compiler/cache/reuse.ts) before compiler/compile.ts imports compile-full.ts, and
 * the CLI imports compiler modules by name, not through the compiler/index.ts barrel. Every module
 * the process loads is recorded by module hooks (import-recorder.mjs); the compile before it and the
 * same run after an edit show the recorder sees the pipeline when it does load. Nothing about time
 * is asserted.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, repoRoot, type RunResult } from './helpers.js';

const recorder = path.join(repoRoot, 'spec/compiler/import-recorder.mjs');
let dir: string;
let clock = 0;

/** Dated in the past (a file written just now is not trusted by the input stamps), each at its own time. */
async function dated(file: string): Promise<void> {
  const at = new Date(Date.now() - 60_000 + clock++ * 10);
  await utimes(file, at, at);
}

/**
 * Runs one command's module (cli/commands/NAME.ts) as oclif runs it, through tsx, with every module the
 * process loads recorded: its result and the loaded files, repository-relative. Not through bin/etl.js:
 * in a checkout whose dist/ is stale, bin/etl.js runs the sources with every command imported
 * (cli/all-commands.ts); the compiled build imports only the command run (cli/index.ts).
 */
async function recordedCommand(name: string, args: string[]): Promise<RunResult & { loaded: string[] }> {
  const log = path.join(dir, `.imports-${clock++}.txt`);
  await writeFile(log, '');
  const script = `const { default: C } = await import(${JSON.stringify(`./cli/commands/${name}.ts`)}); await C.run(${JSON.stringify(args)}, import.meta.url);`;
  const run = await new Promise<RunResult>((resolve) => {
    const argv = ['--import', 'tsx', '--import', recorder, '--input-type=module', '-e', script];
    execFile(process.execPath, argv, { cwd: repoRoot, timeout: 120_000, env: { ...process.env, NO_COLOR: '1', ETL_SPEC_IMPORTS: log } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
  const urls = (await readFile(log, 'utf8')).split('\n').filter((u) => u.startsWith('file:'));
  const loaded = [...new Set(urls.map((u) => path.relative(repoRoot, new URL(u).pathname)))];
  return { ...run, loaded };
}

/** The tool's own modules loaded, by path without extension. */
const own = (loaded: string[]) => loaded.filter((f) => !f.startsWith('node_modules/') && !f.startsWith('..')).map((f) => f.replace(/\.(ts|js)$/, ''));
/** What a reused compile, its report and the selection need of the compiler. */
const REUSE_PATH = ['compiler/compile', 'compiler/version', 'compiler/own-files', 'compiler/cache/', 'compiler/diagnostics/', 'compiler/environments/defer', 'compiler/plan/select', 'compiler/plan/state-compare'];
const PIPELINE_PACKAGES = ['node_modules/handlebars/', 'node_modules/esbuild/', 'node_modules/csv-parse/', 'node_modules/yaml/'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-ls-imports-'));
  await cp(fixture('lineage'), dir, { recursive: true, filter: (src) => !src.includes('/.etl') && !src.includes('/target') });
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) if (e.isFile()) await dated(path.join(e.parentPath, e.name));
  const compiled = await recordedCommand('compile', ['--project', dir]);
  expect(compiled.stderr).toBe('');
  expect(compiled.code).toBe(0);
  expect(own(compiled.loaded)).toContain('compiler/compile-full');
}, 180_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('etl ls start-up', () => {
  it('with nothing changed, lists the models from the reused result without loading the pipeline', async () => {
    const ls = await recordedCommand('ls', ['--project', dir, '--select', '+top_customers', '--output', 'name']);
    expect(ls.stderr).toBe('');
    expect(ls.code).toBe(0);
    expect(ls.stdout.trim().split('\n').sort()).toEqual(['customer_orders', 'stg_customers', 'stg_orders', 'top_customers']);
    const compiler = own(ls.loaded).filter((m) => m.startsWith('compiler/'));
    expect(compiler).toContain('compiler/compile');
    expect(compiler).toContain('compiler/cache/reuse');
    expect(compiler.filter((m) => !REUSE_PATH.some((p) => m === p || (p.endsWith('/') && m.startsWith(p))))).toEqual([]);
    expect(ls.loaded.filter((f) => PIPELINE_PACKAGES.some((p) => f.startsWith(p)))).toEqual([]);
  }, 120_000);

  it('after an edit, compiles in full through compile-full and lists the edited graph', async () => {
    const model = path.join(dir, 'models/gold/top_customers.sql');
    await writeFile(model, `${await readFile(model, 'utf8')}\n-- edited\n`);
    await dated(model);
    const ls = await recordedCommand('ls', ['--project', dir, '--select', '+top_customers', '--output', 'name']);
    expect(ls.code).toBe(0);
    expect(ls.stdout.trim().split('\n').sort()).toEqual(['customer_orders', 'stg_customers', 'stg_orders', 'top_customers']);
    const modules = own(ls.loaded);
    expect(modules).toContain('compiler/compile-full');
    expect(modules).toContain('compiler/phases/load');
  }, 120_000);
});
