/**
 * Environment variables a compile reads, by name: project code (a source file reading
 * `process.env.REGION` to name its tables) and the compiler's own switches (ETL_NO_CACHE,
 * ETL_THREADS) are inputs of the compile like files are. `process.env` is wrapped once by a proxy
 * that records each name looked up into the compile running in that async context; values are kept
 * as hashes, never as text (they may be secrets). Enumerating the whole environment is not recorded
 * (Node itself does it to start child processes).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';

/** Name -> hash of its value, or null when unset. */
export type EnvReads = Record<string, string | null>;

const recorders = new AsyncLocalStorage<Map<string, string | undefined>>();
let installed = false;

export const envValueHash = (v: string | undefined): string | null => (v === undefined ? null : createHash('sha256').update(v).digest('base64url').slice(0, 22));

function install(): void {
  if (installed) return;
  installed = true;
  const real = process.env;
  const note = (name: string | symbol) => {
    const reads = typeof name === 'string' ? recorders.getStore() : undefined;
    if (reads && !reads.has(name as string)) reads.set(name as string, real[name as string]);
  };
  process.env = new Proxy(real, {
    get(target, name) {
      note(name);
      return Reflect.get(target, name);
    },
    has(target, name) {
      note(name);
      return Reflect.has(target, name);
    },
    getOwnPropertyDescriptor(target, name) {
      note(name);
      return Reflect.getOwnPropertyDescriptor(target, name);
    },
  });
}

/** Runs `fn`, returning what it returned and the environment variables it looked up. */
export async function recordingEnvReads<T>(fn: () => Promise<T>): Promise<{ value: T; env: EnvReads }> {
  install();
  const reads = new Map<string, string | undefined>();
  const value = await recorders.run(reads, fn);
  return { value, env: Object.fromEntries([...reads].map(([k, v]) => [k, envValueHash(v)])) };
}

/** Whether every recorded variable has the same value now. */
export function sameEnv(recorded: EnvReads): boolean {
  return Object.entries(recorded).every(([name, hash]) => envValueHash(process.env[name]) === hash);
}
