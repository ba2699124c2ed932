/** Shared helpers of the compiler specs: fixture paths, in-process compiles and CLI runs. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject, type CompileResult, type Diagnostic } from '../../compiler/index.js';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url));
export const fixture = (name: string) => path.join(fixturesDir, name);

export function compileFixture(name: string, options: { target?: string; vars?: Record<string, unknown> } = {}): Promise<CompileResult> {
  return compileProject({ projectDir: fixture(name), ...options });
}

/** Diagnostics without the frame, in a stable order, for exact comparison. */
export function plain(diagnostics: Diagnostic[]): Array<Omit<Diagnostic, 'frame'>> {
  return diagnostics
    .map(({ frame: _frame, ...d }) => d)
    .sort((a, b) => (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || a.code.localeCompare(b.code));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/etl.js ...args` from the repository root. */
export function runEtl(args: string[], timeoutMs = 60_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'bin/etl.js'), ...args], { cwd: repoRoot, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? ((err as unknown as { code: number }).code) : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs any command, resolving with its exit code and output (never rejects). */
export function run(cmd: string, args: string[], cwd: string, timeoutMs = 120_000): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
