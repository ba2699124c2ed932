/**
 * Installs a packed lakehouse-etl tarball into an empty project directory the way `npm install`
 * would, but offline: from the npm cache this repository's own `npm ci` filled. `npm install
 * --offline <tarball>` asks the registry for every dependency's metadata (packuments), which
 * `npm ci` never caches; a lockfile with each package's resolved tarball and integrity needs none.
 * The lockfile is this repository's package-lock.json without dev-only packages (the tool's
 * dependencies hoist to the same places under the project's node_modules), plus the tool itself
 * and TypeScript (the project's own dev dependency for `tsc`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  [key: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

/**
 * The registry tarball URL of a lock entry that has none (this repository's lockfile omits them):
 * with it, npm fetches the tarball by URL and integrity from the cache and never asks for the
 * package's metadata, which `npm ci` does not cache.
 */
function withTarballUrl(key: string, entry: LockEntry): LockEntry {
  if (entry.resolved || !entry.version || !entry.integrity || entry.link) return entry;
  const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const base = name.slice(name.lastIndexOf('/') + 1);
  return { ...entry, resolved: `https://registry.npmjs.org/${name}/-/${base}-${entry.version}.tgz` };
}

export function writeOfflineInstall(repoRoot: string, projectDir: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lock;
  const tool = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string; dependencies: Record<string, string>; engines: Record<string, string> };
  const spec = `file:${path.relative(projectDir, tarball).split(path.sep).join('/')}`;
  const typescript = lock.packages['node_modules/typescript'];
  if (!typescript?.version) throw new Error('typescript is not in package-lock.json');
  const { dev: _dev, ...typescriptEntry } = typescript;
  // Plain dependencies rather than devDependencies: the same install, with no dev flags to rewrite.
  const dependencies = { 'lakehouse-etl': spec, typescript: typescript.version };
  const packages: Record<string, LockEntry> = {
    '': { name: 'shop', dependencies },
    'node_modules/lakehouse-etl': { version: tool.version, resolved: spec, dependencies: tool.dependencies, bin: { etl: 'bin/etl.js' }, engines: tool.engines },
    'node_modules/typescript': withTarballUrl('node_modules/typescript', typescriptEntry),
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '' || entry.dev || packages[key]) continue;
    packages[key] = withTarballUrl(key, entry);
  }
  writeFileSync(path.join(projectDir, 'package.json'), `${JSON.stringify({ name: 'shop', private: true, dependencies }, null, 2)}\n`);
  writeFileSync(path.join(projectDir, 'package-lock.json'), `${JSON.stringify({ name: 'shop', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}
