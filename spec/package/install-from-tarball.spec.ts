/**
 * The path a new user takes, end to end, with the package as npm publishes it: `npm pack` (which
 * builds dist/), the tarball installed into an empty directory offline (from the npm cache the
 * repository's own install filled), then in that directory `npx etl init`, `npx etl compile`,
 * `npx tsc --noEmit` (and a wrong column caught at its line), `npx etl ingest --dev-sources`,
 * `npx etl build` on local Spark and `npx etl docs generate`. Nothing here runs the repository's
 * sources: every `etl` is the installed package's bin, on its compiled JavaScript.
 *
 * Starters: snowflake, salesforce and files (the Kafka starter needs a broker install the package
 * does not ship; its compile and typing are covered by the init checks below).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../compiler/helpers.js';
import { writeOfflineInstall } from './offline-install.js';

const WORK = path.join(repoRoot, '.etl', 'spec-package');
const dir = path.join(WORK, `run-${process.pid}`);
const shop = path.join(dir, 'shop');

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 240_000): Promise<Ran> {
  // The repository's own variables (a checkout's ETL_FROM_SOURCE) stay out; Spark is the one
  // scripts/setup-spark.sh installed for this repository.
  const env = { ...process.env, NO_COLOR: '1', ETL_FROM_SOURCE: '', ETL_SPARK_INSTALL_DIR: repoRoot, npm_config_update_notifier: 'false' };
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const npx = (args: string[], cwd = shop, timeoutMs?: number) => sh('npx', ['--offline', '--no-install', ...args], cwd, timeoutMs);
const tsc = () => npx(['tsc', '--noEmit', '--pretty', 'false']);
const show = (r: Ran) => `exit ${r.code}\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-4000)}`;

let tarball = '';

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  for (const old of readdirSync(WORK)) rmSync(path.join(WORK, old), { recursive: true, force: true });
  mkdirSync(shop, { recursive: true });
  const packed = await sh('npm', ['pack', '--json', '--pack-destination', dir], repoRoot);
  expect(packed.code, show(packed)).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string }>;
  tarball = path.join(dir, info!.filename);
  writeOfflineInstall(repoRoot, shop, tarball);
  const installed = await sh('npm', ['ci', '--offline', '--no-audit', '--no-fund'], shop);
  expect(installed.code, show(installed)).toBe(0);
}, 600_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the package, installed from its tarball', () => {
  it('holds the compiled tool, its bin, the schema, the engine installers and README, and nothing of the reference project or the specs', async () => {
    const listed = await sh('tar', ['tzf', tarball], dir);
    expect(listed.code).toBe(0);
    const files = listed.stdout.trim().split('\n').map((f) => f.replace(/^package\//, ''));
    const top = [...new Set(files.map((f) => f.split('/')[0]))].sort();
    expect(top).toEqual(['README.md', 'bin', 'dist', 'npm-shrinkwrap.json', 'package.json', 'schemas', 'scripts']);
    // The installers of the local engines (into the package's own .etl/), nothing else of scripts/.
    expect(files.filter((f) => f.startsWith('scripts/')).sort()).toEqual(['scripts/setup-kafka.sh', 'scripts/setup-spark.sh']);
    expect(files).toContain('dist/cli/index.js');
    expect(files).toContain('dist/compiler/api/index.d.ts');
    expect(files).toContain('dist/oclif.manifest.json');
    expect(files).toContain('schemas/project.schema.json');
    // Compiled only: no TypeScript sources other than declarations, no project or spec files.
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(spec|models|sources|macros|exposures|tests|data|bench)\//.test(f) || f.endsWith('project.yaml'))).toEqual([]);
    // The shrinkwrap pins run-time dependencies only, and is not left in the checkout.
    expect(existsSync(path.join(repoRoot, 'npm-shrinkwrap.json'))).toBe(false);
  });

  it('etl init writes a project; compile, tsc, ingest --dev-sources, build on Spark and docs run from the package', async () => {
    const installedTool = readFileSync(path.join(shop, 'node_modules/lakehouse-etl/package.json'), 'utf8');
    expect(JSON.parse(installedTool)).toMatchObject({ name: 'lakehouse-etl', bin: { etl: './bin/etl.js' } });
    expect(existsSync(path.join(shop, 'node_modules/lakehouse-etl/cli'))).toBe(false);

    // The project goes into the directory that installed the tool; its package.json is kept.
    const init = await npx(['etl', 'init', '.', '--name', 'shop', '--sources', 'snowflake,salesforce,files']);
    expect(init.code, show(init)).toBe(0);
    expect(init.stderr).toContain('kept the existing package.json');
    for (const f of ['project.yaml', 'tsconfig.json', '.gitignore', 'README.md', 'sources/shop.ts', 'sources/crm.ts', 'sources/landing.ts', 'models/gold/daily_revenue.ts', '.github/workflows/etl.yml']) {
      expect(existsSync(path.join(shop, f)), f).toBe(true);
    }
    expect(readFileSync(path.join(shop, 'project.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=node_modules/lakehouse-etl/schemas/project.schema.json');
    expect(readFileSync(path.join(shop, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['target/', '.etl/', 'data/']));

    const compiled = await npx(['etl', 'compile', '--json']);
    expect(compiled.code, show(compiled)).toBe(0);
    const summary = JSON.parse(compiled.stdout) as { models: number; diagnostics: unknown[] };
    expect(summary.diagnostics).toEqual([]);
    expect(summary.models).toBe(6);
    expect(existsSync(path.join(shop, '.etl/types/project.d.ts'))).toBe(true);

    // tsc resolves lakehouse-etl to the package's declarations and the generated typings.
    const typed = await tsc();
    expect(typed.stdout + typed.stderr).toBe('');
    expect(typed.code).toBe(0);
    const model = path.join(shop, 'models/gold/daily_revenue.ts');
    const good = readFileSync(model, 'utf8');
    const line = good.split('\n').findIndex((l) => l.includes('${o.c.amount}')) + 1;
    writeFileSync(model, good.replace('${o.c.amount}', '${o.c.amout}'));
    const wrong = await tsc();
    writeFileSync(model, good);
    expect(wrong.code).not.toBe(0);
    const errors = wrong.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^models/gold/daily_revenue\\.ts\\(${line},\\d+\\): error TS2551: Property 'amout' does not exist`));

    const ingested = await npx(['etl', 'ingest', '--dev-sources', '--rows', '200']);
    expect(ingested.code, show(ingested)).toBe(0);
    const lastRun = JSON.parse(readFileSync(path.join(shop, 'target/ingest/last_run.json'), 'utf8')) as { jobs?: Array<{ status?: string; source?: string }> };
    expect(JSON.stringify(lastRun)).not.toMatch(/"status":\s*"(failed|error)"/);
    for (const table of ['shop/orders', 'crm/accounts', 'landing/customers']) {
      const files = readdirSync(path.join(shop, 'data/warehouse/bronze', table), { recursive: true }).map(String);
      expect(files.some((f) => f.endsWith('.parquet')), `bronze ${table}: ${files.join(', ')}`).toBe(true);
    }

    const built = await npx(['etl', 'build', '--json'], shop, 420_000);
    expect(built.code, show(built)).toBe(0);
    const results = JSON.parse(readFileSync(path.join(shop, 'target/run_results.json'), 'utf8')) as { results: Array<{ id: string; status: string }> };
    const models = results.results.filter((r) => r.id.startsWith('model.'));
    expect(models.map((r) => r.id).sort()).toEqual(['model.accounts_by_industry', 'model.customers_by_country', 'model.daily_revenue', 'model.stg_accounts', 'model.stg_customers', 'model.stg_orders']);
    expect(models.every((r) => r.status === 'success'), JSON.stringify(models)).toBe(true);

    const docs = await npx(['etl', 'docs', 'generate']);
    expect(docs.code, show(docs)).toBe(0);
    expect(existsSync(path.join(shop, 'target/docs/index.html'))).toBe(true);
  }, 900_000);
});
