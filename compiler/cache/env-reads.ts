/**
 * Environment variables project code reads, by name: a source file reading `process.env.REGION` to
 * name its tables makes that variable an input of the compile, as files are. Project code is
 * evaluated with its own `process` (see load/import-project-module.ts) whose `env` records each name
 * looked up into the compiles running now; the compiler's own code reads the real environment
 * without paying for it (the YAML parser looks up LOG_TOKENS once per token). Values are kept as
 * hashes, never as text (they may be secrets). Enumerating the environment is not recorded.
 */
import { createHash } from 'node:crypto';

/** Name -> hash of its value, or null when unset. */
export type EnvReads = Record<string, string | null>;

/** The recorders of the compiles running now (two compiles at once both record: over-recording only invalidates more). */
const active = new Set<Map<string, string | undefined>>();

export const envValueHash = (v: string | undefined): string | null => (v === undefined ? null : createHash('sha256').update(v).digest('base64url').slice(0, 22));

function note(name: string | symbol): void {
  if (typeof name !== 'string') return;
  for (const reads of active) if (!reads.has(name)) reads.set(name, process.env[name]);
}

const recordingEnv: NodeJS.ProcessEnv = new Proxy(process.env, {
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

/** The `process` project code sees: the real one, with an `env` that records what is read. */
export const projectProcess: NodeJS.Process = new Proxy(process, {
  get(target, name) {
    if (name === 'env') return recordingEnv;
    const v = Reflect.get(target, name) as unknown;
    return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
  },
});

/** Runs `fn`, returning what it returned and the environment variables project code looked up meanwhile. */
export async function recordingEnvReads<T>(fn: () => Promise<T>): Promise<{ value: T; env: EnvReads }> {
  const reads = new Map<string, string | undefined>();
  active.add(reads);
  try {
    const value = await fn();
    return { value, env: Object.fromEntries([...reads].map(([k, v]) => [k, envValueHash(v)])) };
  } finally {
    active.delete(reads);
  }
}

/** Whether every recorded variable has the same value now. */
export function sameEnv(recorded: EnvReads): boolean {
  return Object.entries(recorded).every(([name, hash]) => envValueHash(process.env[name]) === hash);
}
