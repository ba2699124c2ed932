/** Writes the compile result into target/: manifest, plan, compiled SELECTs, run SQL, tests, ingestion jobs. */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ownModule } from '../own-files.js';
import type { CompileResult } from '../compile-types.js';
import type { Manifest, ManifestSource } from '../manifest/types.js';
import { declaredLocation } from '../plan/layer-roots.js';
import { hashOf, INDEX_FILE, INDEX_VERSION, readIndex, type ArtifactIndex } from './artifact-index.js';
import { OWNED_DIRS, targetRelative, underTarget } from './artifact-paths.js';
import { script } from './spark-dialect.js';
import { lockTarget, type LockOptions } from './target-lock.js';
import { assertNoCredentials } from '../security/artifact-scan.js';
import { recordTarget, targetStillHolds } from '../cache/target-record.js';

export { verifyTarget } from './artifact-index.js';
export { ArtifactError } from './artifact-paths.js';

/** Stable JSON: same input, same bytes. Objects are built in sorted order upstream. */
export const stableJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

type IngestionJobFor = (source: ManifestSource, manifest: Manifest) => unknown;

async function loadIngestionEmitter(): Promise<IngestionJobFor | undefined> {
  const file = fileURLToPath(ownModule('./ingestion-jobs', import.meta.url));
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { ingestionJobFor?: IngestionJobFor };
  return mod.ingestionJobFor;
}

/** Where a killed or running writer stages its files; only the lock holder touches it. */
const STAGING = '.staging';

/**
 * Every file under target/'s owned folders, keyed by its path relative to target/. Each path is
 * derived from a model, test or source name and proven to stay in its folder before anything is
 * written (an ArtifactError names the node otherwise).
 */
async function artifactFiles(result: CompileResult, target: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const { manifest, plan } = result;
  const put = (manifestPath: string, what: string, text: string) => files.set(targetRelative(target, manifestPath, what), text);
  // For people: locations as the target declares them (relative roots resolve where the plan runs).
  const locate = declaredLocation(manifest.target.layers);
  for (const m of Object.values(manifest.models)) put(m.artifacts.compiled, `model ${m.id}`, `${m.compiledSql}\n`);
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'model') {
      const m = manifest.models[node.id]!;
      const parts = [`-- full refresh\n${script(node.full, locate)}`];
      if (node.incremental) parts.push(`-- incremental\n${script(node.incremental, locate)}`);
      if (node.post.length) parts.push(`-- after either\n${script(node.post, locate)}`);
      put(m.artifacts.run, `model ${m.id}`, parts.join('\n'));
    } else if (node.kind === 'source' && manifest.seeds?.[node.id]) {
      files.set(underTarget(target, `run/seeds/${manifest.seeds[node.id]!.name}.sql`, `seed ${node.id}`), script(node.operations, locate));
    } else if (node.kind === 'source') {
      const s = manifest.sources[node.id]!;
      files.set(underTarget(target, `run/bronze/${s.sourceName}_${s.table}.sql`, `source ${s.id}`), script(node.operations, locate));
    }
  }
  for (const t of Object.values(manifest.tests)) put(t.artifact, `test ${t.id}`, `${t.sql}\n`);
  const ingestionJobFor = await loadIngestionEmitter();
  if (ingestionJobFor) {
    for (const s of Object.values(manifest.sources)) put(s.ingestionJob, `source ${s.id}`, stableJson(ingestionJobFor(s, manifest)));
  }
  return files;
}

const readOr = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Switches target/ to `files` plus the manifest and plan, under the lock. Every file is compared
 * with what is on disk (not with the index: a stale or tampered file is rewritten, so a compile
 * repairs target/) and replaced by rename, so no reader sees half a file. Before the first file
 * changes, the index is rewritten to list every file this switch may leave behind (so a killed
 * switch is pruned by the next compile); manifest, plan and index are staged, then renamed last.
 */
function switchTarget(target: string, files: Map<string, string>, manifestText: string, planText: string): void {
  const staging = path.join(target, STAGING);
  rmSync(staging, { recursive: true, force: true }); // a killed writer's leftovers: we hold the lock
  mkdirSync(staging, { recursive: true });
  let n = 0;
  const stage = (text: string) => {
    const tmp = path.join(staging, String(n++));
    writeFileSync(tmp, text);
    return tmp;
  };
  const previous = readIndex(target);
  // No index (first compile, or an unreadable one): start the owned folders clean.
  if (!previous) for (const dir of OWNED_DIRS) rmSync(path.join(target, dir), { recursive: true, force: true });
  const before = previous?.files ?? {};
  const hashes = new Map([...files].map(([file, text]) => [file, hashOf(text)] as const));
  const switching: ArtifactIndex = { indexVersion: INDEX_VERSION, manifest: '', plan: '', files: {} };
  for (const file of new Set([...Object.keys(before), ...files.keys()])) switching.files[file] = before[file] === hashes.get(file) ? before[file]! : '';
  renameSync(stage(JSON.stringify(sortKeys(switching))), path.join(target, INDEX_FILE));

  const made = new Set<string>();
  let changed = 0;
  for (const [file, text] of files) {
    const abs = path.join(target, file);
    if (readOr(abs) === text) continue;
    if (changed++ === 1) holdForCrashTest();
    const dir = path.dirname(abs);
    if (!made.has(dir)) mkdirSync(dir, { recursive: true });
    made.add(dir);
    renameSync(stage(text), abs);
  }
  for (const file of Object.keys(before)) if (!files.has(file)) rmSync(path.join(target, file), { force: true });

  const final: ArtifactIndex = { indexVersion: INDEX_VERSION, manifest: hashOf(manifestText), plan: hashOf(planText), files: Object.fromEntries(hashes) };
  // All three are staged before any is switched: a full disk fails here, leaving the old set whole.
  const staged = [stage(planText), stage(manifestText), stage(JSON.stringify(sortKeys(final)))];
  renameSync(staged[0]!, path.join(target, 'plan.json'));
  renameSync(staged[1]!, path.join(target, 'manifest.json'));
  renameSync(staged[2]!, path.join(target, INDEX_FILE));
  rmSync(staging, { recursive: true, force: true });
}

/**
 * Fault injection for the crash spec (spec/safety/artifacts-race.spec.ts): with ETL_TEST_HOLD_WRITE
 * set to a file path, the first writer that has switched one file of several creates that file
 * with its pid and blocks until it is killed, so the spec can kill it mid-switch without timing
 * anything. Writers that find the file already there carry on.
 */
function holdForCrashTest(): void {
  const marker = process.env.ETL_TEST_HOLD_WRITE;
  if (!marker || existsSync(marker)) return;
  writeFileSync(`${marker}.tmp`, String(process.pid));
  renameSync(`${marker}.tmp`, marker);
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const sortKeys = (index: ArtifactIndex): ArtifactIndex => ({ ...index, files: Object.fromEntries(Object.entries(index.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) });

/**
 * Writes target/, one writer at a time (target/.lock; a dead holder's lock is taken over). Only
 * files whose content changed are written (10,000 models make 28,000 files); files of models that
 * are gone are removed. manifest.json and plan.json are switched last, together.
 */
export async function writeArtifacts(result: CompileResult, projectDir: string, opts: { lock?: LockOptions } = {}): Promise<string> {
  const target = path.join(path.resolve(projectDir), 'target');
  // Nothing changed since this result was written, and target/ still stamps as written: nothing to do.
  if (targetStillHolds(result, projectDir)) return target;
  // A credential shape in the manifest, plan or an ingestion job stops here, before target/ is touched.
  assertNoCredentials(result, projectDir);
  const files = await artifactFiles(result, target);
  // Compact like the manifest: target/run/ holds the same operations as SQL for people.
  const planText = `${JSON.stringify(result.plan)}\n`;
  // Compact: at 10,000 models the indented form is 45% larger for no reader's benefit (use jq).
  const manifestText = `${JSON.stringify(result.manifest)}\n`;
  mkdirSync(target, { recursive: true });
  const lock = await lockTarget(target, opts.lock);
  try {
    switchTarget(target, files, manifestText, planText);
    recordTarget(result, projectDir, [...files.keys(), 'manifest.json', 'plan.json', INDEX_FILE]);
  } finally {
    lock.release();
  }
  return target;
}

