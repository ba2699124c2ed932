/**
 * `.etl/cache/compile.json`: what the last compile read (its options, the tool's code, the stamps of
 * its input files, the environment variables it looked up), what it reported (diagnostics, counts),
 * and, once `writeArtifacts` has written its result, the stamps of target/'s files. A compile whose
 * inputs all stamp the same reuses that result from target/ without loading, rendering or analysing
 * anything; `writeArtifacts` then has nothing to write while target/ still stamps the same.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// zod/mini: the same schemas at half zod's start-up; this module is on every nothing-changed command's path.
import * as z from 'zod/mini';

/** 2: stamps as text (input-stamp.ts); a state of another version is ignored (one full compile). */
export const STATE_VERSION = 2;

const stamp = z.tuple([z.number(), z.number()]);

const diagnosticSchema = z.looseObject({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string() });

export const countsSchema = z.object({ models: z.number(), sources: z.number(), tests: z.number(), stages: z.number() });
export type CompileCounts = z.infer<typeof countsSchema>;

export const compileStateSchema = z.object({
  stateVersion: z.literal(STATE_VERSION),
  /** Hash of the options, the tool version and its code stamp. */
  key: z.string(),
  /** Identifies this compile's result: its key and input stamps together. */
  fingerprint: z.string(),
  /** The input stamp (input-stamp.ts); null when a file was too recent to trust (never reused). */
  inputs: z.nullable(z.string()),
  /** Project files outside the walked folders that project code imported, stamped by name. */
  extra: z.array(z.string()),
  env: z.record(z.string(), z.nullable(z.string())),
  result: z.object({ ok: z.boolean(), diagnostics: z.array(diagnosticSchema), counts: countsSchema, cacheHits: z.optional(z.number()) }),
  /** Set by writeArtifacts: target/'s files as written for this fingerprint. */
  target: z.optional(z.object({ files: z.string() })),
  /** Set when .etl/types/project.d.ts was written for this fingerprint. */
  typings: z.optional(stamp),
});
export type CompileState = z.infer<typeof compileStateSchema>;

export const stateFile = (projectDir: string) => path.join(projectDir, '.etl', 'cache', 'compile.json');

export const hashOfJson = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);

/** The last state read, by file and stamp: a compile, its writer and its typings read it once. */
let memo: { file: string; stamp: string; state: CompileState } | undefined;

export function readCompileState(projectDir: string): CompileState | undefined {
  const file = stateFile(projectDir);
  try {
    const st = statSync(file);
    const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
    if (memo?.file === file && memo.stamp === stamp) return memo.state;
    const parsed = compileStateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return undefined;
    memo = { file, stamp, state: parsed.data };
    return parsed.data;
  } catch {
    return undefined;
  }
}

/** Written atomically: a reader sees the old state or the new one. */
export function writeCompileState(projectDir: string, state: CompileState): void {
  const file = stateFile(projectDir);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Updates the state only if it still describes `fingerprint` (another compile may have replaced it). */
export function updateCompileState(projectDir: string, fingerprint: string, change: (s: CompileState) => CompileState): void {
  const state = readCompileState(projectDir);
  if (state?.fingerprint === fingerprint) writeCompileState(projectDir, change(state));
}
