/** Builds the fixture project in a temp dir (manifest, run results, model files) and generates its site. */
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest } from '../../../compiler/manifest/types.js';
import { generateDocs, type GenerateResult } from '../../../docs-site/generator/index.js';
import { fixtureManifest, fixtureRunResults } from '../fixtures/manifest.js';

const FIXTURE_PROJECT = fileURLToPath(new URL('../fixtures/project/', import.meta.url));

export interface FixtureSite {
  projectDir: string;
  result: GenerateResult;
}

export async function fixtureProject(opts: { manifest?: Manifest; runResults?: unknown | null } = {}): Promise<string> {
  const projectDir = await mkdtemp(join(tmpdir(), 'etl-docs-'));
  await cp(FIXTURE_PROJECT, projectDir, { recursive: true });
  await mkdir(join(projectDir, 'target'), { recursive: true });
  await writeFile(join(projectDir, 'target', 'manifest.json'), JSON.stringify(opts.manifest ?? fixtureManifest()));
  if (opts.runResults !== null) {
    await writeFile(join(projectDir, 'target', 'run_results.json'), JSON.stringify(opts.runResults ?? fixtureRunResults()));
  }
  return projectDir;
}

export async function fixtureSite(opts: { manifest?: Manifest; runResults?: unknown | null } = {}): Promise<FixtureSite> {
  const projectDir = await fixtureProject(opts);
  return { projectDir, result: await generateDocs({ projectDir }) };
}
