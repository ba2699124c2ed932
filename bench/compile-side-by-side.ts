/**
 * lakehouse-etl next to dbt-core on the same generated project (bench/generate-project.ts, and its
 * dbt twin from bench/dbt-project.ts), both through their CLIs in child processes, interleaved:
 * cold (no caches, no target/), nothing changed, one model edited. Each run prints its wall and CPU
 * time and the machine's load average when it started; the ratio is dbt's wall time over ours.
 * dbt-core and dbt-duckdb come from `scripts/setup-dbt-bench.sh` (.etl/venv-dbt); without them only
 * lakehouse-etl is timed.
 *
 *   npm run bench -- --dbt [--sizes 1000,10000] [--seed 42]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { emitDbtProject } from './dbt-project.js';

interface Run {
  tool: 'lakehouse-etl' | 'dbt-core';
  scenario: Scenario;
  wallMs: number;
  cpuMs?: number;
  load: number;
  ok: boolean;
  note: string;
}

type Scenario = 'cold' | 'nothing changed' | 'one model edited';

const fmtS = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** Runs a command, timing it with GNU time when present (CPU = user + sys of the child and its children). */
function timed(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): { wallMs: number; cpuMs?: number; ok: boolean; tail: string } {
  const gnuTime = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const res = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '__TIME__ %e %U %S', cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 })
    : spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = performance.now() - t0;
  const m = /__TIME__ ([\d.]+) ([\d.]+) ([\d.]+)/.exec(res.stderr ?? '');
  // eslint-disable-next-line no-control-regex
  const lines = `${res.stdout ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').filter((l) => /[A-Za-z]{3}/.test(l));
  return { wallMs, ...(m ? { cpuMs: (Number(m[2]) + Number(m[3])) * 1000 } : {}), ok: res.status === 0, tail: (lines[lines.length - 1] ?? res.stderr ?? '').trim().slice(0, 160) };
}

/** The model file both tools get edited: the same gold model, by sorted path. */
function editTarget(modelsDir: string): string {
  const files = readdirSync(modelsDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.sql') && e.parentPath.includes(`${path.sep}gold`))
    .map((e) => path.relative(modelsDir, path.join(e.parentPath, e.name)))
    .sort();
  return files[Math.floor(files.length / 2)]!;
}

const appendComment = (file: string, n: number) => writeFileSync(file, `${readFileSync(file, 'utf8').trimEnd()}\n-- edited for the benchmark (${n})\n`);

export async function sideBySide(root: string, sizes: number[], seed: number): Promise<void> {
  const dbt = path.join(root, '.etl/venv-dbt/bin/dbt');
  const haveDbt = existsSync(dbt);
  if (!haveDbt) process.stdout.write('dbt-core not installed (bash scripts/setup-dbt-bench.sh): timing lakehouse-etl only.\n');
  const dbtEnv = { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DBT_VERSION_CHECK: 'false', DO_NOT_TRACK: '1' };
  const etlEnv = { ...process.env };
  delete etlEnv.ETL_NO_CACHE;
  for (const models of sizes) {
    const base = mkdtempSync(path.join(tmpdir(), `etl-vs-dbt-${models}-`));
    const etlDir = path.join(base, 'etl');
    const dbtDir = path.join(base, 'dbt');
    const gen = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/generate-project.ts'), '--models', String(models), '--seed', String(seed), '--out', etlDir], { cwd: root, encoding: 'utf8' });
    if (gen.status !== 0) throw new Error(`generate-project failed:\n${gen.stderr}`);
    emitDbtProject(etlDir, dbtDir);
    const edited = editTarget(path.join(etlDir, 'models'));
    // Input files written within 2 s of a compile's start are not trusted by its stamps: let them age.
    await new Promise((r) => setTimeout(r, 2500));
    const runs: Run[] = [];
    const etl = (scenario: Scenario) => {
      const load = loadavg()[0]!;
      const r = timed(process.execPath, [path.join(root, 'bin/etl.js'), 'compile', '--project', etlDir], root, etlEnv);
      runs.push({ tool: 'lakehouse-etl', scenario, load, ...r, note: r.tail });
      progress(runs[runs.length - 1]!);
    };
    const dbtRun = (scenario: Scenario) => {
      if (!haveDbt) return;
      const load = loadavg()[0]!;
      const r = timed(dbt, ['compile', '--project-dir', dbtDir, '--profiles-dir', dbtDir], dbtDir, dbtEnv);
      runs.push({ tool: 'dbt-core', scenario, load, ...r, note: r.tail });
      progress(runs[runs.length - 1]!);
    };
    process.stdout.write(`\n${models} models (${base}); edited model: models/${edited}\n`);
    rmSync(path.join(etlDir, '.etl'), { recursive: true, force: true });
    rmSync(path.join(etlDir, 'target'), { recursive: true, force: true });
    rmSync(path.join(dbtDir, 'target'), { recursive: true, force: true });
    etl('cold');
    dbtRun('cold');
    etl('nothing changed');
    dbtRun('nothing changed');
    appendComment(path.join(etlDir, 'models', edited), 1);
    appendComment(path.join(dbtDir, 'models', edited), 1);
    etl('one model edited');
    dbtRun('one model edited');
    printRuns(runs);
    rmSync(base, { recursive: true, force: true });
  }
}

const progress = (r: Run) => process.stdout.write(`  ${r.tool}, ${r.scenario}: ${fmtS(r.wallMs)} wall${r.cpuMs !== undefined ? `, ${fmtS(r.cpuMs)} cpu` : ''}, load ${r.load.toFixed(1)}${r.ok ? '' : ' FAILED'}\n`);

function printRuns(runs: Run[]): void {
  const scenarios: Scenario[] = ['cold', 'nothing changed', 'one model edited'];
  const cell = (r: Run | undefined) => (r ? `${fmtS(r.wallMs)}${r.cpuMs !== undefined ? ` (cpu ${fmtS(r.cpuMs)})` : ''} @ load ${r.load.toFixed(1)}${r.ok ? '' : ' FAILED'}` : '-');
  const rows = scenarios.map((s) => {
    const ours = runs.find((r) => r.tool === 'lakehouse-etl' && r.scenario === s);
    const theirs = runs.find((r) => r.tool === 'dbt-core' && r.scenario === s);
    const ratio = ours && theirs ? `${(theirs.wallMs / ours.wallMs).toFixed(1)}x (cpu ${theirs.cpuMs && ours.cpuMs ? (theirs.cpuMs / ours.cpuMs).toFixed(1) : '-'}x)` : '-';
    return [s, cell(ours), cell(theirs), ratio];
  });
  const headers = ['scenario', 'lakehouse-etl compile', 'dbt-core compile', 'dbt / etl'];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`${[line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')}\n`);
  for (const r of runs) process.stdout.write(`  ${r.tool}, ${r.scenario}: ${r.note}\n`);
}
