/**
 * Spark runtime figures: time to a ready Spark, per-model overhead (trivial models), the build plus
 * tests of the reference project on a warm Spark at sample scales, and with --dbt the same small
 * projects run by dbt-spark (session method, same pyspark and Delta jars; scripts/setup-dbt-spark-bench.sh),
 * interleaved with ours. Every figure carries the machine's load average. Prints a table; asserts nothing.
 *
 *   node --import tsx bench/spark-bench.ts [--models 10] [--scales 1,3] [--threads 4] [--rebuild] [--dbt] [--rounds 2]
 *   (--scales '' measures only start-up and per-model overhead)
 * Targets (issue 14, idle machine): reference project at scale 1, build plus tests on a warm Spark
 * <= 30 s; per-node overhead of a trivial model <= 0.3 s.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileProject } from '../compiler/index.js';
import { acquireSpark } from '../runtime/engines/spark/engine.js';
import { startThriftServer, stopProcess } from '../runtime/engines/spark/launcher.js';
import { sparkPaths } from '../runtime/engines/spark/paths.js';
import type { Reporter } from '../runtime/runner/events.js';
import { dbtProject, etlProject } from './dbt-spark-project.js';
import { run } from '../runtime/runner/run.js';
import { PROJECT_PARTS } from '../compiler/cache/input-stamp.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '10' },
    scales: { type: 'string', default: '1,3' },
    threads: { type: 'string', default: '4' },
    rebuild: { type: 'boolean', default: false },
    dbt: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '2' },
  },
});
const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.etl', 'bench-spark');
const threads = Number(values.threads);
const silent: Reporter = { emit() {}, close() {} };
const figures: Array<[string, string]> = [];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const load = () => loadavg()[0]!.toFixed(1);
const note = (k: string, v: string) => {
  const line = `${v} (load ${load()})`;
  figures.push([k, line]);
  process.stderr.write(`${k}: ${line}\n`);
};

async function withSpark<T>(name: string, fn: (host: string, port: number) => Promise<T>): Promise<T> {
  const t0 = Date.now();
  // A fresh metastore: the projects below are regenerated, so old catalog entries would point at deleted files.
  rmSync(join(OUT, name), { recursive: true, force: true });
  const server = await startThriftServer(sparkPaths(join(OUT, name)), { master: 'local[2]', conf: { 'spark.sql.shuffle.partitions': '4' } });
  note(`time to a ready Spark (${name})`, secs(Date.now() - t0));
  try {
    return await fn(server.host, server.port);
  } finally {
    await stopProcess(server.pid);
  }
}

async function buildProject(dir: string, host: string, port: number, opts: { fullRefresh?: boolean; exclude?: string[]; select?: string[]; threads?: number } = {}) {
  const compiled = await compileProject({ projectDir: dir });
  if (!compiled.ok) throw new Error(`${dir} does not compile: ${compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ')}`);
  const engine = await acquireSpark({ projectDir: dir, server: { host, port } });
  const t0 = Date.now();
  const results = await run({
    command: 'build',
    projectDir: dir,
    manifest: compiled.manifest,
    plan: compiled.plan,
    spark: engine,
    reporter: silent,
    threads: opts.threads ?? threads,
    fullRefresh: !!opts.fullRefresh,
    exclude: opts.exclude ?? [],
    select: opts.select ?? [],
  });
  const ms = Date.now() - t0;
  await engine.release();
  const models = results.results.filter((r) => r.kind === 'model');
  return {
    ms,
    models: models.length,
    failed: models.filter((r) => r.status !== 'success').length,
    rows: models.reduce((n, r) => n + (r.rows ?? 0), 0),
    tests: results.results.filter((r) => r.kind === 'test').length,
    testsFailed: results.results.filter((r) => r.kind === 'test' && r.status === 'error').length,
  };
}

function trivialProject(n: number, materialized: 'table' | 'view'): string {
  const dir = join(OUT, `trivial-${materialized}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'models', 'silver'), { recursive: true });
  writeFileSync(
    join(dir, 'project.yaml'),
    `name: bench_trivial\nversion: 1\nlayers:\n  bronze: { database: bronze }\n  silver: { database: silver }\n  gold: { database: gold }\ndefault_target: local\ntargets:\n  local:\n    kind: local\n    warehouse_dir: data/warehouse\n`,
  );
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'models', 'silver', `${materialized}_${i}.sql`), `{{config materialized="${materialized}"}}\nSELECT ${i} AS id\n`);
  return dir;
}

function referenceProject(scale: number): string {
  const dir = join(OUT, `reference-scale-${scale}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of PROJECT_PARTS) {
    if (existsSync(join(REPO, part))) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  }
  execFileSync('node', ['--import', 'tsx', join(REPO, 'scripts', 'generate-sample-data.ts'), '--scale', String(scale), '--now', '--project', dir, '--out', join(dir, 'data', 'warehouse')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

const n = Number(values.models);
note('machine', `${cpus().length} cores, ${threads} threads`);
await withSpark('trivial', async (host, port) => {
  for (const kind of ['view', 'table'] as const) {
    const dir = trivialProject(n, kind);
    const first = await buildProject(dir, host, port);
    const second = await buildProject(dir, host, port);
    note(`${n} trivial ${kind} models, first build`, `${secs(first.ms)} (${(first.ms / n).toFixed(0)} ms/model at ${threads} threads)`);
    note(`${n} trivial ${kind} models, rebuild`, `${secs(second.ms)} (${(second.ms / n).toFixed(0)} ms/model)`);
  }
  // Per-node overhead: one model at a time, so nothing overlaps (target <= 300 ms on an idle machine).
  const dir = trivialProject(n, 'view');
  await buildProject(dir, host, port);
  const serial = await buildProject(dir, host, port, { threads: 1 });
  note(`per-node time of a trivial view model, warm Spark, 1 thread`, `${(serial.ms / n).toFixed(0)} ms`);
});
for (const scale of values.scales!.split(',').filter(Boolean).map(Number)) {
  const dir = referenceProject(scale);
  await withSpark(`reference-${scale}`, async (host, port) => {
    const first = await buildProject(dir, host, port);
    note(`reference project, scale ${scale}, first build + tests`, `${secs(first.ms)}: ${first.models} models (${first.failed} not built), ${first.rows.toLocaleString('en-US')} rows written, ${first.tests} tests (${first.testsFailed} errors)`);
    const again = await buildProject(dir, host, port);
    note(`reference project, scale ${scale}, build + tests on a warm Spark (target 30 s)`, `${secs(again.ms)}: ${again.rows.toLocaleString('en-US')} rows written`);
  });
}
if (values.dbt) await sideBySide(n, Number(values.rounds));
note('load average at end', load());
process.stdout.write(`\n| figure | value |\n| --- | --- |\n${figures.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);

/**
 * Ours against dbt-spark on the same models, interleaved round by round. dbt's session method starts
 * Spark inside each `dbt` command, so its per-node time is (N models - 1 model) / (N - 1), which
 * leaves its start-up out; ours runs on a warm Spark.
 */
async function sideBySide(count: number, rounds: number): Promise<void> {
  const dbt = join(REPO, '.etl', 'venv-dbt-spark', 'bin', 'dbt');
  if (!existsSync(dbt)) throw new Error('dbt-spark is not installed: bash scripts/setup-dbt-spark-bench.sh');
  const dbtRun = (dir: string, args: string[]) => {
    const t0 = Date.now();
    execFileSync(dbt, [...args, '--profiles-dir', dir, '--project-dir', dir], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    return Date.now() - t0;
  };
  await withSpark('side-by-side', async (host, port) => {
    for (const kind of ['view', 'table'] as const) {
      for (let round = 1; round <= rounds; round++) {
        const ours = etlProject(join(OUT, `etl-${kind}`), count, kind);
        await buildProject(ours, host, port, { threads: 1 });
        const oursRun = await buildProject(ours, host, port, { threads: 1, exclude: ['orders'] });
        const oursTests = await buildProject(ours, host, port, { threads: 1, select: ['orders'] });
        const theirs = dbtProject(join(OUT, `dbt-${kind}`), count, kind, join(REPO, '.etl', 'jars'));
        dbtRun(theirs, ['run']);
        const one = dbtRun(theirs, ['run', '--select', 'm_0']);
        const all = dbtRun(theirs, ['run', '--exclude', 'orders']);
        const withTests = dbtRun(theirs, ['build', '--select', 'orders']);
        note(`round ${round}: per-node time, ${count} trivial ${kind} models, 1 thread`, `ours ${(oursRun.ms / count).toFixed(0)} ms, dbt-spark ${((all - one) / (count - 1)).toFixed(0)} ms`);
        note(`round ${round}: 1,000-row table + 4 tests`, `ours ${secs(oursTests.ms)} (warm Spark), dbt-spark build ${secs(withTests - one)} (its ${secs(one)} for one model taken off)`);
      }
    }
  });
}
