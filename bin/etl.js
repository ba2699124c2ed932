#!/usr/bin/env node
// Starts `etl`. It runs the compiled JavaScript in dist/ (scripts/build.sh, run by scripts/setup.sh
// and before `npm pack`) when that is safe, and otherwise the TypeScript sources through tsx:
// - installed as a package (no sources beside dist/): dist/, always;
// - in a checkout: dist/ only while dist/.build-stamp.json holds the fingerprint of the sources as
//   they are now (bin/source-stamp.js: path, size and mtime of every source file, a few ms). Any edit
//   after the build makes dist/ stale and the sources run through tsx, as before there was a build,
//   so this repository never runs stale code. `npm run build` brings the fast path back.
// ETL_FROM_SOURCE=1 forces the sources (tsx) in a checkout.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFingerprint, STAMP_FILE } from './source-stamp.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');

function compiledIsCurrent() {
  if (!existsSync(path.join(dist, 'cli', 'index.js'))) return false;
  if (!existsSync(path.join(root, 'cli', 'index.ts'))) return true; // installed package: no sources
  if (process.env.ETL_FROM_SOURCE === '1') return false;
  try {
    const stamp = JSON.parse(readFileSync(path.join(dist, STAMP_FILE), 'utf8'));
    return stamp.fingerprint === sourceFingerprint(root);
  } catch {
    return false;
  }
}

const compiled = compiledIsCurrent();
const argv = process.argv.slice(2);
if (compiled && !process.env.ETL_NO_FAST_PATH) {
  // `etl --version` and `etl --help` without loading oclif: the version from package.json, the help
  // as oclif rendered it at build time (80 columns; a narrower terminal gets oclif's own rendering).
  if (argv.length === 1 && ['--version', '-v', 'version'].includes(argv[0])) {
    const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    const arch = process.arch === 'ia32' ? 'x86' : process.arch;
    process.stdout.write(`${name}/${version} ${process.platform}-${arch} node-${process.version}\n`);
    process.exit(0);
  }
  const help = path.join(dist, 'help.txt');
  const wide = !process.stdout.isTTY || (process.stdout.columns ?? 80) >= 80;
  if (wide && (argv.length === 0 || (argv.length === 1 && ['--help', '-h', 'help'].includes(argv[0]))) && existsSync(help)) {
    process.stdout.write(readFileSync(help, 'utf8'));
    process.exit(0);
  }
}
if (!compiled) {
  const { register } = await import('tsx/esm/api');
  register();
}
const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
// oclif's own engines check loads all of semver (about 70 ms a command); this one reads a number.
if (Number(process.versions.node.split('.')[0]) < 20) process.stderr.write(`Warning: ${pjson.name} needs Node.js 20 or later; this is ${process.version}.\n`);
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
const { execute, settings } = await import('@oclif/core');
// Module loading is decided above; oclif's own TypeScript path mapping stays out of it.
settings.enableAutoTranspile = false;
// Compiled: oclif's root is dist/, where the build wrote oclif.manifest.json (every command's flags
// and help), so `etl --help` imports no command and `etl ls` imports only its own (cli/index.ts).
// Sources: no manifest; oclif reads every command class from cli/all-commands.ts.
const commands = compiled
  ? { strategy: 'explicit', target: './cli/index.js', identifier: 'COMMANDS' }
  : { strategy: 'explicit', target: './cli/all-commands.ts', identifier: 'COMMANDS' };
await execute({ loadOptions: { root: compiled ? dist : root, pjson: { ...pjson, oclif: { ...pjson.oclif, commands } } } });
