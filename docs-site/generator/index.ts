/**
 * `generateDocs`: manifest (+ run results) -> static lineage site in target/docs/.
 * The CLI command and the benchmark both call this.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RolesConfig } from '../../compiler/config/governance-roles.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { readProjectConfig } from '../../compiler/load/project-config.js';
import { buildSiteData } from './build-site-data.js';
import { bundleClient } from './bundle-client.js';
import { loadManifest, loadPlanBeside } from './load-manifest.js';
import { readRunResults } from './run-results.js';
import { writeSite, type WriteStats } from './write-site.js';

export { DocsError } from './errors.js';
export { buildSiteData } from './build-site-data.js';

export interface GenerateOptions {
  projectDir: string;
  /** Defaults to `<projectDir>/target/manifest.json`; ignored when `manifest` is given. */
  manifestPath?: string;
  manifest?: Manifest;
  plan?: Plan;
  /** Defaults to `<projectDir>/target/run_results.json` (optional file). */
  runResultsPath?: string;
  /** Defaults to `<projectDir>/target/docs`. */
  outDir?: string;
}

export interface GenerateResult {
  outDir: string;
  entry: string;
  models: number;
  sources: number;
  columns: number;
  tests: number;
  chunks: number;
  runStatusShown: boolean;
  warnings: string[];
  stats: WriteStats;
}

const MAX_SOURCE_FILE_BYTES = 256 * 1024;

/** Reads a model's own file for the "source SQL" pane; missing or huge files are simply not shown. */
function projectFileReader(root: string): (rel: string) => string | undefined {
  return (rel) => {
    const path = isAbsolute(rel) ? rel : join(root, rel);
    try {
      if (statSync(path).size > MAX_SOURCE_FILE_BYTES) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
}

/** The roles project.yaml declares, for the governance view (none when it cannot be read: compile reports why). */
function rolesOf(projectDir: string): { roles?: RolesConfig } {
  const roles = readProjectConfig(projectDir, [])?.governance?.roles;
  return roles ? { roles } : {};
}

export async function generateDocs(opts: GenerateOptions): Promise<GenerateResult> {
  const projectDir = resolve(opts.projectDir);
  const target = join(projectDir, 'target');
  const manifest = opts.manifest ?? (await loadManifest(resolve(projectDir, opts.manifestPath ?? join(target, 'manifest.json'))));
  const warnings: string[] = [];
  const runResultsPath = resolve(projectDir, opts.runResultsPath ?? join(target, 'run_results.json'));
  const runResults = await readRunResults(runResultsPath, warnings, relative(projectDir, runResultsPath));
  const plan = opts.plan ?? (await loadPlanBeside(resolve(projectDir, opts.manifestPath ?? join(target, 'manifest.json')), warnings));
  const data = buildSiteData(manifest, {
    ...(plan ? { plan } : {}),
    ...(runResults ? { runResults } : {}),
    readProjectFile: projectFileReader(projectDir),
    warnings,
    ...rolesOf(projectDir),
  });
  const client = await bundleClient();
  const outDir = resolve(projectDir, opts.outDir ?? join(target, 'docs'));
  const stats = await writeSite(outDir, data, client);
  return {
    outDir,
    entry: join(outDir, 'index.html'),
    models: Object.keys(manifest.models).length,
    sources: Object.keys(manifest.sources).length,
    columns: data.searchColumns.reduce((n, c) => n + c.length, 0),
    tests: Object.keys(manifest.tests).length,
    chunks: data.chunks.length,
    runStatusShown: runResults !== undefined,
    warnings,
    stats,
  };
}
