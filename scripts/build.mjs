// Builds dist/: the tool as plain JavaScript (what an installed package runs, and what bin/etl.js runs
// in a checkout while it is current), the authoring API's type declarations, oclif's command manifest
// and the build stamp. Run by scripts/build.sh (setup, CI, quickstart) and before `npm pack`.
//
// - JavaScript: esbuild transpiles each .ts file on its own (no bundling), mirroring the source tree
//   under dist/, with the semantics tsx gives the sources in development.
// - Other files under the source folders (Python of the EMR driver, the docs client's CSS) are copied.
// - Declarations: tsc on tsconfig.build.json (compiler/api/index.ts and what it imports), incremental.
// - dist/oclif.manifest.json: every command's flags and help, so `etl --help` imports no command.
// - dist/.build-stamp.json last: the fingerprint of the sources as they were before the build began
//   (an edit made during the build leaves dist/ stale, never wrongly current).
// dist/ is built beside and swapped in by rename, so a running `etl` never sees a half-built tree.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { SOURCE_DIRS, STAMP_FILE, sourceFingerprint } from '../bin/source-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const staging = path.join(root, `dist.building-${process.pid}`);
const typesCache = path.join(root, 'node_modules', '.cache', 'lakehouse-etl', 'types');
const started = Date.now();

function filesUnder(dir) {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)));
}

async function transpile(files) {
  await build({
    entryPoints: files.map((f) => path.join(root, f)),
    outbase: root,
    outdir: staging,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

function declarations() {
  // Incremental: the output and .tsbuildinfo stay together in node_modules/.cache.
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', typesCache, '--incremental', '--tsBuildInfoFile', path.join(typesCache, '.tsbuildinfo')], { cwd: root, stdio: 'inherit' });
  cpSync(typesCache, staging, { recursive: true, filter: (src) => !src.endsWith('.tsbuildinfo') });
}

async function oclifManifest(pjson) {
  const { Plugin, settings } = await import('@oclif/core');
  settings.enableAutoTranspile = false;
  const commands = { strategy: 'explicit', target: './cli/all-commands.js', identifier: 'COMMANDS' };
  const plugin = new Plugin({ root: staging, isRoot: true, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true, pjson: { ...pjson, oclif: { ...pjson.oclif, commands } } });
  await plugin.load();
  writeFileSync(path.join(staging, 'oclif.manifest.json'), JSON.stringify(plugin.manifest));
  return Object.keys(plugin.manifest.commands).length;
}

const fingerprint = sourceFingerprint(root);
if (!fingerprint) throw new Error(`build: sources missing under ${root}`);
// What else goes into dist/: the package's metadata (oclif manifest, help), the build itself.
const buildInputs = createHash('sha256')
  .update(['package.json', 'tsconfig.build.json', 'scripts/build.mjs'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\u0000'))
  .digest('hex');
if (!process.argv.includes('--force')) {
  try {
    const stamp = JSON.parse(readFileSync(path.join(dist, STAMP_FILE), 'utf8'));
    if (stamp.fingerprint === fingerprint && stamp.buildInputs === buildInputs && existsSync(path.join(dist, 'help.txt'))) {
      console.log('build: dist/ is up to date');
      process.exit(0);
    }
  } catch {
    /* no build yet */
  }
}
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
try {
  const all = SOURCE_DIRS.flatMap(filesUnder);
  const code = all.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  await transpile(code);
  for (const f of all.filter((f) => !f.endsWith('.ts'))) cpSync(path.join(root, f), path.join(staging, f));
  declarations();
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const count = await oclifManifest(pjson);
  writeFileSync(path.join(staging, STAMP_FILE), `${JSON.stringify({ fingerprint, buildInputs, version: pjson.version }, null, 2)}\n`);
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
  // The root help as oclif renders it (80 columns), for bin/etl.js's fast path.
  const help = execFileSync(process.execPath, [path.join(root, 'bin', 'etl.js'), '--help'], { cwd: root, env: { ...process.env, ETL_NO_FAST_PATH: '1', COLUMNS: '80' }, encoding: 'utf8' });
  writeFileSync(path.join(dist, 'help.txt'), help);
  console.log(`build: dist/ (${code.length} modules, ${count} commands) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} catch (err) {
  rmSync(staging, { recursive: true, force: true });
  throw err;
}
// The manifest step imported every command; some hold handles (workers, sockets) open.
process.exit(0);
