/**
 * A real moto server (AWS API emulator) on a free loopback port, for any spec that talks to
 * S3, Glue, EMR or CloudWatch. Installs moto through scripts/setup-moto.sh if it is missing.
 *
 *   const moto = await startMotoServer();
 *   process.env.ETL_AWS_ENDPOINT_URL = moto.endpoint;   // or pass moto.endpoint to a client
 *   ...
 *   await moto.stop();
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MOTO_SERVER = join(ROOT, '.etl', 'venv-moto', 'bin', 'moto_server');

export interface MotoServer {
  endpoint: string;
  port: number;
  /** Clears every emulated resource (between tests). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Dummy credentials and region for SDK clients pointed at moto. */
export const MOTO_ENV = {
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing-secret-not-real',
  AWS_REGION: 'us-east-1',
} as const;

export function ensureMotoInstalled(): void {
  if (existsSync(MOTO_SERVER)) return;
  execFileSync('bash', [join(ROOT, 'scripts', 'setup-moto.sh')], { stdio: 'inherit' });
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export async function startMotoServer(options: { timeoutMs?: number } = {}): Promise<MotoServer> {
  ensureMotoInstalled();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...MOTO_ENV },
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${stderr}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto_server did not answer on ${endpoint} in time: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    endpoint,
    port,
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
