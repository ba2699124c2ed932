/**
 * The nothing-changed compile: a compile whose options, tool code, input files and environment
 * variables are those of the last compile, and whose result target/ still holds as written, returns
 * that result without loading, rendering or analysing anything. Its manifest and plan are read from
 * target/ only when a caller looks at them (`etl compile` does not). Anything else compiles in full
 * and records what it read for the next one.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CompileOptions, CompileResult } from '../compile-types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Manifest, Plan } from '../manifest/types.js';
import { TOOL_VERSION } from '../version.js';
import { hashOfJson, readCompileState, writeCompileState, STATE_VERSION, type CompileCounts, type CompileState } from './compile-state.js';
import { recordingEnvReads, sameEnv, type EnvReads } from './env-reads.js';
import { extraInputs, joinStamps, stampExtra, stampProject, toolCodeStamp } from './input-stamp.js';
import { recordedStamp, sameTargetFile } from './target-stamp.js';

/** Everything besides files that decides a compile's result. */
export function compileKey(options: CompileOptions): string {
  const { projectDir, target, vars, environment, defer, cache } = options;
  return hashOfJson([TOOL_VERSION, toolCodeStamp(), path.resolve(projectDir), target ?? null, vars ?? null, environment ?? null, defer ?? null, cache !== false]);
}

const reuseOff = (options: CompileOptions) => options.cache === false || Boolean(process.env.ETL_NO_CACHE);

/** The last compile's result when nothing it read has changed and target/ still holds it; else undefined. */
export function reusedResult(options: CompileOptions): CompileResult | undefined {
  if (reuseOff(options)) return undefined;
  const t0 = performance.now();
  const projectDir = path.resolve(options.projectDir);
  const state = readCompileState(projectDir);
  if (!state?.target || state.key !== compileKey(options) || !sameEnv(state.env)) return undefined;
  if (state.inputs === null || joinStamps(stampProject(projectDir), stampExtra(projectDir, state.extra)) !== state.inputs) return undefined;
  const target = path.join(projectDir, 'target');
  for (const f of ['manifest.json', 'plan.json']) if (!sameTargetFile(target, f, recordedStamp(state.target.files, f))) return undefined;
  const result = {
    diagnostics: state.result.diagnostics as Diagnostic[],
    ok: state.result.ok,
    cacheHits: state.result.counts.models,
    counts: state.result.counts,
    fingerprint: state.fingerprint,
    reused: true,
    timings: { reuse: Math.round((performance.now() - t0) * 10) / 10 },
  } as Omit<CompileResult, 'manifest' | 'plan'>;
  return withLazyArtifacts(result, target, state);
}

/** `manifest` and `plan` read from target/ on first use, checked to be the files the state describes. */
function withLazyArtifacts(result: Omit<CompileResult, 'manifest' | 'plan'>, target: string, state: CompileState): CompileResult {
  const values: { manifest?: Manifest; plan?: Plan } = {};
  const lazy = (name: 'manifest' | 'plan') => ({
    enumerable: true,
    configurable: true,
    get() {
      if (values[name] === undefined) {
        const file = `${name}.json`;
        const text = readFileSync(path.join(target, file), 'utf8');
        if (!sameTargetFile(target, file, state.target && recordedStamp(state.target.files, file))) throw new Error(`target/${file} changed while it was being reused: compile again`);
        values[name] = JSON.parse(text);
      }
      return values[name];
    },
    set(v: never) {
      values[name] = v;
    },
  });
  return Object.defineProperties(result, { manifest: lazy('manifest'), plan: lazy('plan') }) as CompileResult;
}

/**
 * Runs a full compile, recording its input stamps (taken before anything is read), the project
 * files its code imported and the environment variables it looked up, then the state for the next.
 */
export async function recordedCompile(options: CompileOptions, compile: () => Promise<CompileResult>, importedFiles: () => string[]): Promise<CompileResult> {
  const projectDir = path.resolve(options.projectDir);
  const key = compileKey(options);
  const before = stampProject(projectDir);
  const { value, env } = await recordingEnvReads(async () => {
    const result = await compile();
    return { result, imported: importedFiles() };
  });
  const { result, imported } = value;
  const extra = extraInputs(projectDir, imported);
  const inputs = joinStamps(before, stampExtra(projectDir, extra));
  // An untrusted stamp still gets a fingerprint of its own (target/ and typings are recorded under it).
  const fingerprint = hashOfJson([key, inputs ?? `untrusted:${Date.now()}:${process.pid}`, extra, env]);
  result.fingerprint = fingerprint;
  result.counts = countsOf(result);
  saveState(projectDir, { key, fingerprint, inputs, extra, env, result, counts: result.counts });
  return result;
}

function countsOf(result: CompileResult): CompileCounts {
  const m = result.manifest;
  return { models: Object.keys(m.models).length, sources: Object.keys(m.sources).length, tests: Object.keys(m.tests).length, stages: result.plan.stages.length };
}

function saveState(projectDir: string, s: { key: string; fingerprint: string; inputs: string | null; extra: string[]; env: EnvReads; result: CompileResult; counts: CompileCounts }): void {
  try {
    statSync(projectDir);
    writeCompileState(projectDir, {
      stateVersion: STATE_VERSION,
      key: s.key,
      fingerprint: s.fingerprint,
      inputs: s.inputs,
      extra: s.extra,
      env: s.env,
      result: { ok: s.result.ok, diagnostics: s.result.diagnostics as CompileState['result']['diagnostics'], counts: s.counts, ...(s.result.cacheHits !== undefined ? { cacheHits: s.result.cacheHits } : {}) },
    });
  } catch {
    /* a read-only project still compiles; it is only not reused */
  }
}
