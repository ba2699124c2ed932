/** Writes the compile result into target/: manifest, plan, compiled SELECTs, run SQL, tests, ingestion jobs. */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompileResult } from '../index.js';
import type { Manifest, ManifestSource } from '../manifest/types.js';

/** Stable JSON: same input, same bytes. Objects are built in sorted order upstream. */
export const stableJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

const runSql = (statements: string[]) => (statements.length ? `${statements.join(';\n\n')};\n` : '');

type IngestionJobFor = (source: ManifestSource, manifest: Manifest) => unknown;

async function loadIngestionEmitter(): Promise<IngestionJobFor | undefined> {
  const file = path.join(path.dirname(new URL(import.meta.url).pathname), 'ingestion-jobs.ts');
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as { ingestionJobFor?: IngestionJobFor };
  return mod.ingestionJobFor;
}

export async function writeArtifacts(result: CompileResult, projectDir: string): Promise<string> {
  const target = path.join(projectDir, 'target');
  // Build into a fresh folder and swap it in, so readers never see half of one compile and half of another.
  const staging = path.join(target, '.staging');
  await rm(staging, { recursive: true, force: true });
  const files = new Map<string, string>();
  const { manifest, plan } = result;
  files.set('manifest.json', stableJson(manifest));
  files.set('plan.json', stableJson(plan));
  for (const m of Object.values(manifest.models)) {
    files.set(path.relative('target', m.artifacts.compiled), `${m.compiledSql}\n`);
    if (m.materialized === 'ephemeral') continue;
    const parts = [`-- full refresh\n${runSql(m.statements.full)}`];
    if (m.statements.incremental) parts.push(`-- incremental\n${runSql(m.statements.incremental)}`);
    if (m.statements.post.length) parts.push(`-- after either\n${runSql(m.statements.post)}`);
    files.set(path.relative('target', m.artifacts.run), parts.join('\n'));
  }
  for (const t of Object.values(manifest.tests)) files.set(path.relative('target', t.artifact), `${t.sql}\n`);
  for (const s of Object.values(manifest.sources)) files.set(`run/bronze/${s.sourceName}_${s.table}.sql`, runSql(s.bronze.statements));
  const ingestionJobFor = await loadIngestionEmitter();
  if (ingestionJobFor) {
    for (const s of Object.values(manifest.sources)) files.set(path.relative('target', s.ingestionJob), stableJson(ingestionJobFor(s, manifest)));
  }
  const dirs = new Set([...files.keys()].map((f) => path.dirname(path.join(staging, f))));
  await Promise.all([...dirs].map((d) => mkdir(d, { recursive: true })));
  const entries = [...files];
  for (let i = 0; i < entries.length; i += 256) {
    await Promise.all(entries.slice(i, i + 256).map(([f, text]) => writeFile(path.join(staging, f), text)));
  }
  for (const sub of ['compiled', 'run', 'tests', 'ingestion', 'manifest.json', 'plan.json']) {
    await rm(path.join(target, sub), { recursive: true, force: true });
    if (existsSync(path.join(staging, sub))) await rename(path.join(staging, sub), path.join(target, sub));
  }
  await rm(staging, { recursive: true, force: true });
  return target;
}
