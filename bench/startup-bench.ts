/**
 * Start-up of the `etl` command: median wall time of `etl --help`, `etl --version` and `etl ls` on
 * the reference project with nothing changed since its last compile, packaged (compiled JavaScript,
 * laid out as an installed package: package.json, bin/, dist/ and the repository's node_modules, no
 * sources) against the TypeScript sources through tsx (a checkout with ETL_FROM_SOURCE=1).
 *
 * Each variant has its own copy of the reference project (project.yaml and its input folders),
 * compiled once by that variant before timing: the two run different tool code, so sharing one
 * project would make every `etl ls` a full compile (the tool's code is part of the compile's key,
 * compiler/cache/input-stamp.ts toolCodeStamp). Each copy's .etl/cache/compile.json is checked to be
 * untouched by the timed runs (no run compiled in full). Also timed: bare `node -e 0`, and, when
 * NODE_EXTRA_CA_CERTS is set, every command again without it (Node reads that file at every start).
 * Runs are interleaved; the machine's load (os.loadavg, 1 min) is printed with each figure. Builds
 * dist/ first (scripts/build.sh).
 *
 *   node --import tsx bench/startup-bench.ts [--runs 9]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROJECT_PARTS } from '../compiler/cache/input-stamp.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = path.join(repo, 'bench/out');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 9;

function packagedCopy(): string {
  execFileSync('bash', [path.join(repo, 'scripts/build.sh')], { stdio: 'inherit' });
  const dir = path.join(out, 'startup-package');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['package.json', 'bin', 'dist', 'schemas']) cpSync(path.join(repo, part), path.join(dir, part), { recursive: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** A copy of the reference project for one variant (its compile state is that variant's own). */
function projectCopy(name: string): string {
  const dir = path.join(out, `startup-project-${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // With the originals' times: a file modified within 2 s of a compile is not trusted (input-stamp.ts), and that compile is never reused.
  for (const part of PROJECT_PARTS) if (existsSync(path.join(repo, part))) cpSync(path.join(repo, part), path.join(dir, part), { recursive: true, preserveTimestamps: true });
  return dir;
}

interface Variant {
  bin: string;
  project: string;
  env: NodeJS.ProcessEnv;
}

function timeOnce(argv: string[], cwd: string, env: NodeJS.ProcessEnv): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const stateStamp = (project: string) => {
  const st = statSync(path.join(project, '.etl/cache/compile.json'));
  return `${st.size}:${st.mtimeMs}`;
};

const pkg = packagedCopy();
const caCerts = process.env.NODE_EXTRA_CA_CERTS;
const withoutCa = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));
const base = {
  packaged: { bin: path.join(pkg, 'bin/etl.js'), project: projectCopy('packaged'), env: { ...process.env } },
  tsx: { bin: path.join(repo, 'bin/etl.js'), project: projectCopy('tsx'), env: { ...process.env, ETL_FROM_SOURCE: '1' } },
} satisfies Record<string, Variant>;
/** Environments timed: as given, and without NODE_EXTRA_CA_CERTS when it is set. */
const envs: Record<string, (env: NodeJS.ProcessEnv) => NodeJS.ProcessEnv> = caCerts ? { 'as is': (e) => e, 'no NODE_EXTRA_CA_CERTS': withoutCa } : { 'as is': (e) => e };
const commands: Record<string, (v: Variant) => string[]> = {
  'node -e 0': () => ['-e', '0'],
  'etl --help': (v) => [v.bin, '--help'],
  'etl --version': (v) => [v.bin, '--version'],
  'etl ls': (v) => [v.bin, 'ls', '--project', v.project],
};

// Each variant compiles its own copy once (writing target/ and the compile state), then one warm-up
// run of each command (the OS file cache), then interleaved timed runs.
for (const v of Object.values(base)) execFileSync(process.execPath, [v.bin, 'compile', '--project', v.project], { cwd: v.project, env: v.env, stdio: ['ignore', 'ignore', 'pipe'] });
const states = Object.fromEntries(Object.entries(base).map(([name, v]) => [name, stateStamp(v.project)]));
const times: Record<string, number[]> = {};
const loads: Record<string, number[]> = {};
const key = (env: string, cmd: string, variant: string) => `${env}|${cmd}|${variant}`;
const each = (fn: (env: string, cmd: string, variant: string, v: Variant) => void) => {
  for (const [envName, envOf] of Object.entries(envs))
    for (const cmd of Object.keys(commands))
      for (const [variant, v] of Object.entries(base)) fn(envName, cmd, variant, { ...v, env: envOf(v.env) });
};
each((_e, cmd, _variant, v) => timeOnce(commands[cmd]!(v), v.project, v.env));
for (let i = 0; i < runs; i++) {
  each((envName, cmd, variant, v) => {
    const k = key(envName, cmd, variant);
    (loads[k] ??= []).push(os.loadavg()[0]!);
    (times[k] ??= []).push(timeOnce(commands[cmd]!(v), v.project, v.env));
  });
}
const recompiled = Object.entries(base).filter(([name, v]) => stateStamp(v.project) !== states[name]).map(([name]) => name);

const [l1, l5] = os.loadavg();
const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}`;
console.log(`etl start-up, median of ${runs} runs (ms); ${os.cpus().length} cores, node ${process.version}; load now ${l1!.toFixed(2)} (1 min) ${l5!.toFixed(2)} (5 min)`);
console.log(`etl ls: the reference project, nothing changed since its compile (each variant its own copy); ${recompiled.length ? `WARNING: compiled in full during the runs: ${recompiled.join(', ')}` : 'every run reused the last compile'}`);
if (caCerts) console.log(`NODE_EXTRA_CA_CERTS is set (${caCerts}): Node reads and parses those certificates at every start; timed with it and without it`);
const targets: Record<string, string> = { 'etl --help': '<= 150', 'etl ls': '<= 300' };
for (const envName of Object.keys(envs)) {
  console.log(`\n${envName}`);
  console.log(`${'command'.padEnd(16)} ${'packaged'.padStart(9)} ${'load'.padStart(10)} ${'tsx'.padStart(9)} ${'load'.padStart(10)}  target`);
  for (const cmd of Object.keys(commands)) {
    const cell = (variant: string) => `${median(times[key(envName, cmd, variant)]!).toFixed(0).padStart(9)} ${range(loads[key(envName, cmd, variant)]!).padStart(10)}`;
    console.log(`${cmd.padEnd(16)} ${cell('packaged')} ${cell('tsx')}  ${targets[cmd] ?? ''}`);
  }
}
