/**
 * Start-up of the `etl` command: median wall time of `etl --help`, `etl --version` and `etl ls` on
 * the reference project, packaged (compiled JavaScript, laid out as an installed package: package.json,
 * bin/, dist/ and the repository's node_modules, no sources) against the TypeScript sources through
 * tsx (a checkout with ETL_FROM_SOURCE=1). Runs are interleaved; the machine's load is printed with
 * each figure. Builds dist/ first (scripts/build.sh).
 *
 *   node --import tsx bench/startup-bench.ts [--runs 9]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

function packagedCopy(): string {
  execFileSync('bash', [path.join(repo, 'scripts/build.sh')], { stdio: 'inherit' });
  const dir = path.join(repo, 'bench/out/startup-package');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['package.json', 'bin', 'dist', 'schemas']) cpSync(path.join(repo, part), path.join(dir, part), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

function timeOnce(bin: string, args: string[], env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

const pkg = packagedCopy();
const variants = {
  packaged: { bin: path.join(pkg, 'bin/etl.js'), env: { ...process.env } },
  tsx: { bin: path.join(repo, 'bin/etl.js'), env: { ...process.env, ETL_FROM_SOURCE: '1' } },
};
const commands: Record<string, string[]> = { 'etl --help': ['--help'], 'etl --version': ['--version'], 'etl ls': ['ls', '--project', repo] };

// One warm-up run of each (the analysis cache, the OS file cache), then interleaved timed runs.
for (const v of Object.values(variants)) for (const args of Object.values(commands)) timeOnce(v.bin, args, v.env);
const times: Record<string, Record<string, number[]>> = {};
const loads: number[] = [];
for (let i = 0; i < runs; i++) {
  loads.push(os.loadavg()[0]!);
  for (const [name, args] of Object.entries(commands)) {
    for (const [variant, v] of Object.entries(variants)) {
      ((times[name] ??= {})[variant] ??= []).push(timeOnce(v.bin, args, v.env));
    }
  }
}

const [l1, l5] = os.loadavg();
console.log(`etl start-up, median of ${runs} runs (ms); ${os.cpus().length} cores, load ${Math.min(...loads).toFixed(2)}-${Math.max(...loads).toFixed(2)} during the runs, now ${l1!.toFixed(2)} (1 min) ${l5!.toFixed(2)} (5 min)`);
console.log(`${'command'.padEnd(16)} ${'packaged'.padStart(9)} ${'tsx'.padStart(9)}  target`);
const targets: Record<string, string> = { 'etl --help': '<= 150', 'etl --version': '', 'etl ls': '<= 300' };
for (const [name, byVariant] of Object.entries(times)) {
  console.log(`${name.padEnd(16)} ${median(byVariant.packaged!).toFixed(0).padStart(9)} ${median(byVariant.tsx!).toFixed(0).padStart(9)}  ${targets[name]}`);
}
