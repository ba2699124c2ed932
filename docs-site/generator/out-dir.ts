/**
 * Where `etl docs generate` may write. Generating replaces the output folder whole, so it must be
 * a folder the tool owns: a new or empty one, or one holding the marker file every generated site
 * carries. The project directory, the current directory and their ancestors are never replaced
 * (`--out .` once deleted a whole project, .git included), and neither is any other non-empty
 * folder without the marker.
 */
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { DocsError } from './errors.js';

/** Written into every generated site; its presence is what lets a later generate replace the folder. */
export const SITE_MARKER = '.lakehouse-etl-docs';
export const markerText = () => `${JSON.stringify({ tool: 'lakehouse-etl', kind: 'docs-site', note: 'etl docs generate replaces this folder whole' })}\n`;

/** A refused output folder: a usage error (exit 2), nothing written or removed. */
export class OutDirRefused extends DocsError {
  readonly exit = 2;
}

const HINT = 'Pass a new or empty folder with --out (the default, target/docs, is always safe).';

/** Sites written before the marker existed (or with it removed): only the names the generator writes, so a user's folder cannot pass for one. */
const LEGACY_TOP = new Set(['index.html', 'app.js', 'data']);
const LEGACY_DATA = /^(index|pii|governance|search|tests|chunk-\d+)\.js$/;

function isLegacySite(dir: string, entries: string[]): boolean {
  if (!entries.includes('index.html') || !entries.every((e) => LEGACY_TOP.has(e))) return false;
  try {
    return readdirSync(resolve(dir, 'data')).every((f) => LEGACY_DATA.test(f));
  } catch {
    return !entries.includes('data');
  }
}

function hasMarker(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(resolve(dir, SITE_MARKER), 'utf8')) as { tool?: unknown }).tool === 'lakehouse-etl';
  } catch {
    return false;
  }
}

/** Throws OutDirRefused unless `outDir` is a folder `etl docs generate` may replace. */
export function checkOutDir(outDir: string, protect: { projectDir?: string } = {}): void {
  const out = resolve(outDir);
  const guarded = [...(protect.projectDir ? [['the project directory', resolve(protect.projectDir)]] : []), ['the current directory', process.cwd()]] as const;
  for (const [what, dir] of guarded) {
    if (dir === out) throw new OutDirRefused(`refusing to write the docs site into ${out}: it is ${what}, and generating replaces the output folder whole`, HINT, out);
    if (dir.startsWith(out.endsWith(sep) ? out : out + sep)) {
      throw new OutDirRefused(`refusing to write the docs site into ${out}: it contains ${what} (${dir}), and generating replaces the output folder whole`, HINT, out);
    }
  }
  if (dirname(out) === out) throw new OutDirRefused(`refusing to write the docs site into the filesystem root ${out}`, HINT, out);
  let info;
  try {
    info = lstatSync(out);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new OutDirRefused(`cannot check the docs output folder ${out}: ${(err as Error).message}`, HINT, out);
  }
  if (info.isSymbolicLink()) throw new OutDirRefused(`refusing to write the docs site into ${out}: it is a symbolic link, and generating replaces the output folder whole`, 'Pass the folder it points to, or a new one, with --out.', out);
  if (!info.isDirectory()) throw new OutDirRefused(`refusing to write the docs site into ${out}: it is a file, not a folder`, HINT, out);
  const entries = readdirSync(out);
  if (entries.length === 0 || hasMarker(out) || isLegacySite(out, entries)) return;
  const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, … (${entries.length} entries)` : '');
  throw new OutDirRefused(
    `refusing to replace ${out}: it is not empty (${shown}) and was not written by \`etl docs generate\` (no ${SITE_MARKER} marker)`,
    `${HINT} To reuse this folder, empty it first.`,
    out,
  );
}
