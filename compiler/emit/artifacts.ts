/** Writes the compile result into target/: manifest, plan, compiled SELECTs, run SQL, tests, ingestion jobs. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompileResult } from '../compile-types.js';
import type { Manifest, ManifestSource } from '../manifest/types.js';
import type { Location } from '../plan/operations.js';
import { script } from './spark-dialect.js';

/** Stable JSON: same input, same bytes. Objects are built in sorted order upstream. */
export const stableJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;


type IngestionJobFor = (source: ManifestSource, manifest: Manifest) => unknown;

async function loadIngestionEmitter(): Promise<IngestionJobFor | undefined> {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'ingestion-jobs.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { ingestionJobFor?: IngestionJobFor };
  return mod.ingestionJobFor;
}

const INDEX = '.artifacts-index.json';
const OWNED_DIRS = ['compiled', 'run', 'tests', 'ingestion'];
const hashOf = (text: string) => createHash('sha1').update(text).digest('base64url');

/**
 * Writes target/. Only files whose content changed are written (10,000 models make 28,000 files,
 * and rewriting all of them dominated recompiles); files of models that are gone are removed. An
 * index of content hashes says what is on disk. manifest.json and plan.json are written last and
 * atomically, so a reader that starts from the manifest never sees it ahead of its files.
 */
export async function writeArtifacts(result: CompileResult, projectDir: string): Promise<string> {
  const target = path.join(projectDir, 'target');
  const files = new Map<string, string>();
  const { manifest, plan } = result;
  // For people: locations as the target declares them (relative roots resolve where the plan runs).
  const locate = (l: Location) => (/^([a-z][a-z0-9+.-]*:|\/)/i.test(l.path) ? l.path : `${manifest.target.layers[l.layer].root}/${l.path}`);
  for (const m of Object.values(manifest.models)) files.set(path.relative('target', m.artifacts.compiled), `${m.compiledSql}\n`);
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'model') {
      const m = manifest.models[node.id]!;
      const parts = [`-- full refresh\n${script(node.full, locate)}`];
      if (node.incremental) parts.push(`-- incremental\n${script(node.incremental, locate)}`);
      if (node.post.length) parts.push(`-- after either\n${script(node.post, locate)}`);
      files.set(path.relative('target', m.artifacts.run), parts.join('\n'));
    } else if (node.kind === 'source') {
      const s = manifest.sources[node.id]!;
      files.set(`run/bronze/${s.sourceName}_${s.table}.sql`, script(node.operations, locate));
    }
  }
  for (const t of Object.values(manifest.tests)) files.set(path.relative('target', t.artifact), `${t.sql}\n`);
  const ingestionJobFor = await loadIngestionEmitter();
  if (ingestionJobFor) {
    for (const s of Object.values(manifest.sources)) files.set(path.relative('target', s.ingestionJob), stableJson(ingestionJobFor(s, manifest)));
  }

  let previous: Record<string, string> | undefined;
  try {
    previous = JSON.parse(readFileSync(path.join(target, INDEX), 'utf8')) as Record<string, string>;
  } catch {
    previous = undefined;
  }
  if (!previous) {
    // No index (first compile, or written by an older version): start these folders clean.
    for (const dir of OWNED_DIRS) rmSync(path.join(target, dir), { recursive: true, force: true });
    previous = {};
  }
  const index: Record<string, string> = {};
  const made = new Set<string>();
  for (const [file, text] of files) {
    const hash = hashOf(text);
    index[file] = hash;
    const abs = path.join(target, file);
    if (previous[file] === hash && existsSync(abs)) continue;
    const dir = path.dirname(abs);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(abs, text);
  }
  for (const file of Object.keys(previous)) if (!(file in index)) rmSync(path.join(target, file), { force: true });
  mkdirSync(target, { recursive: true });
  const atomic = async (file: string, text: string) => {
    const tmp = path.join(target, `.${file}.${process.pid}.tmp`);
    await writeFile(tmp, text);
    await rename(tmp, path.join(target, file));
  };
  await atomic(INDEX, JSON.stringify(index));
  // Compact like the manifest: target/run/ holds the same operations as SQL for people.
  await atomic('plan.json', `${JSON.stringify(plan)}\n`);
  // Compact: at 10,000 models the indented form is 45% larger for no reader's benefit (use jq).
  await atomic('manifest.json', `${JSON.stringify(manifest)}\n`);
  return target;
}
