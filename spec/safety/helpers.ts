/** Shared helpers of the safety specs: temp copies of the reference project and real CLI runs. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PROJECT_PARTS } from '../../compiler/cache/input-stamp.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const ETL = path.join(repoRoot, 'bin', 'etl.js');

const temps: string[] = [];
export const cleanupTemps = () => Promise.all(temps.splice(0).map((t) => rm(t, { recursive: true, force: true })));

export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A copy of the reference project (project.yaml and every input folder) in a temp dir. */
export async function copyReferenceProject(prefix = 'etl-safety-'): Promise<string> {
  const dir = await tempDir(prefix);
  for (const part of PROJECT_PARTS) {
    if (existsSync(path.join(repoRoot, part))) await cp(path.join(repoRoot, part), path.join(dir, part), { recursive: true });
  }
  return dir;
}

export interface EtlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `node bin/etl.js ...args` (never rejects). */
export function etl(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<EtlRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ETL, ...args], { cwd: opts.cwd ?? repoRoot, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...opts.env } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts `node bin/etl.js ...args` and resolves its exit code (null when killed by a signal). */
export function startEtl(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; exit: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [ETL, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; stderr: string }>((ok) => child.once('exit', (code) => ok({ code, stderr })));
  return { child, exit };
}

/** Polls until `file` holds text, or `stop` settles first (then undefined). No deadline: vitest's own timeout applies. */
export async function waitForFile(file: string, stop: Promise<unknown>): Promise<string | undefined> {
  let stopped = false;
  void stop.then(() => (stopped = true));
  for (;;) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (text) return text;
    if (stopped) return undefined;
    await sleep(25);
  }
}

/** Every file under `dir`, relative to it, `/`-separated. */
export async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(abs, root)));
    else out.push(path.relative(root, abs).split(path.sep).join('/'));
  }
  return out.sort();
}
