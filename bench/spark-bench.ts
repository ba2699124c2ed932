/**
 * Spark runtime figures: time to a ready Spark, per-model overhead (trivial models), and the build of
 * the reference project at two sample-data scales. Prints a table; asserts nothing.
 *
 *   node --import tsx bench/spark-bench.ts [--models 10] [--scales 1,3] [--threads 4] [--rebuild]
 *   (--scales '' measures only start-up and per-model overhead)
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
import { run } from '../runtime/runner/run.js';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: '10' },
    scales: { type: 'string', default: '1,3' },
    threads: { type: 'string', default: '4' },
    rebuild: { type: 'boolean', default: false },
  },
});
const REPO = resolve(import.meta.dirname, '..');
const OUT = join(REPO, '.etl', 'bench-spark');
const threads = Number(values.threads);
const silent: Reporter = { emit() {}, close() {} };
const figures: Array<[string, string]> = [];
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const note = (k: string, v: string) => {
  figures.push([k, v]);
  process.stderr.write(`${k}: ${v}\n`);
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

async function buildProject(dir: string, host: string, port: number, opts: { fullRefresh?: boolean; exclude?: string[] } = {}) {
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
    threads,
    fullRefresh: !!opts.fullRefresh,
    exclude: opts.exclude ?? [],
  });
  const models = results.results.filter((r) => r.kind === 'model');
  return {
    ms: Date.now() - t0,
    models: models.length,
    failed: models.filter((r) => r.status !== 'success').length,
    rows: models.reduce((n, r) => n + (r.rows ?? 0), 0),
    tests: results.results.filter((r) => r.kind === 'test').length,
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
  for (const part of ['project.yaml', 'sources', 'models', 'macros', 'tests']) {
    if (existsSync(join(REPO, part))) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  }
  execFileSync('node', ['--import', 'tsx', join(REPO, 'scripts', 'generate-sample-data.ts'), '--scale', String(scale), '--now', '--project', dir, '--out', join(dir, 'data', 'warehouse')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

const n = Number(values.models);
note('machine', `${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} at start, ${threads} threads`);
await withSpark('trivial', async (host, port) => {
  for (const kind of ['view', 'table'] as const) {
    const dir = trivialProject(n, kind);
    const first = await buildProject(dir, host, port);
    const second = await buildProject(dir, host, port);
    note(`${n} trivial ${kind} models, first build`, `${secs(first.ms)} (${(first.ms / n).toFixed(0)} ms/model at ${threads} threads)`);
    note(`${n} trivial ${kind} models, rebuild`, `${secs(second.ms)} (${(second.ms / n).toFixed(0)} ms/model)`);
  }
});
for (const scale of values.scales!.split(',').filter(Boolean).map(Number)) {
  const dir = referenceProject(scale);
  await withSpark(`reference-${scale}`, async (host, port) => {
    const first = await buildProject(dir, host, port);
    note(`reference project, scale ${scale}, first build`, `${secs(first.ms)}: ${first.models} models (${first.failed} not built), ${first.rows.toLocaleString('en-US')} rows written, ${first.tests} tests`);
    if (!values.rebuild) return;
    const again = await buildProject(dir, host, port);
    note(`reference project, scale ${scale}, second build (no new data)`, `${secs(again.ms)}: ${again.rows.toLocaleString('en-US')} rows written`);
  });
}
note('load average at end', loadavg()[0]!.toFixed(1));
process.stdout.write(`\n| figure | value |\n| --- | --- |\n${figures.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
