/**
 * Stamps of what a compile reads, taken from file metadata only (size and modification time), so an
 * unchanged project is recognised without reading a single file: every file under the folders the
 * loaders read (sources/, models/, macros/, tests/, exposures/, seeds/, snapshots/), project.yaml,
 * project files that project code imports from elsewhere, and the tool's own code (a new compiler
 * never reuses a result of the old one).
 *
 * Stamps are one text, a line `path<TAB>size<TAB>mtimeMs` per file in a fixed order: comparing two
 * compiles' inputs is one string comparison, and the state file holds a few strings instead of tens
 * of thousands of small objects (reading those was most of a nothing-changed compile at 10,000 models).
 *
 * A file modified within RACY_MS of its stamp is not trusted (its next edit could keep the same time
 * on a coarse file system): the whole stamp is then `null`, so this compile and the next are full.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_ROOT } from '../own-files.js';

/** Folders of a project whose every file is an input (recursively). */
export const INPUT_DIRS = ['sources', 'models', 'macros', 'tests', 'exposures', 'seeds', 'snapshots'] as const;
/** What a copy of a project takes: its config and every input folder. */
export const PROJECT_PARTS = ['project.yaml', ...INPUT_DIRS] as const;
/** target/table_schemas.json: the last build's table columns, read by the on_schema_change check. */
export const INPUT_FILES = ['project.yaml', 'target/table_schemas.json'] as const;

/** [size, mtimeMs] of a file; [-1, 0] when it is missing. */
export type FileStamp = [number, number];
export const MISSING: FileStamp = [-1, 0];
const RACY_MS = 2000;

/** Collects stamp lines; `trusted` turns false at the first file modified too recently to trust. */
class StampWriter {
  readonly lines: string[] = [];
  trusted = true;
  constructor(private readonly now: number) {}

  add(rel: string, file: string): void {
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st) {
      this.lines.push(`${rel}\t-1\t0`);
      return;
    }
    if (this.now - st.mtimeMs < RACY_MS) this.trusted = false;
    this.lines.push(`${rel}\t${st.size}\t${st.mtimeMs}`);
  }

  text(): string | null {
    return this.trusted ? this.lines.join('\n') : null;
  }
}

/** Every file under `dir` (recursively, names sorted per folder) by its path relative to the project, `/`-separated. */
function walk(dir: string, rel: string, out: StampWriter, skip?: (name: string) => boolean): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (skip?.(e.name)) continue;
    // Plain concatenation: path.join and path.relative per file were a third of the walk at 10,000 models.
    const abs = `${dir}${path.sep}${e.name}`;
    const name = `${rel}/${e.name}`;
    if (e.isDirectory()) walk(abs, name, out, skip);
    else out.add(name, abs);
  }
}

const toRelative = (projectDir: string, file: string) => path.relative(projectDir, path.resolve(projectDir, file)).split(path.sep).join('/');
const isWalked = (rel: string) => (INPUT_FILES as readonly string[]).includes(rel) || INPUT_DIRS.some((d) => rel.startsWith(`${d}/`));

/**
 * Project files that project code imported from outside the walked folders (absolute or
 * project-relative in; project-relative, sorted and unique out): stamped by name.
 */
export function extraInputs(projectDir: string, imported: readonly string[]): string[] {
  const root = path.resolve(projectDir);
  return [...new Set(imported.map((f) => toRelative(root, f)).filter((f) => !isWalked(f)))].sort();
}

/** The stamp of the project's own inputs (config files and walked folders); null when a file is too recent to trust. */
export function stampProject(projectDir: string, now = Date.now()): string | null {
  const root = path.resolve(projectDir);
  const out = new StampWriter(now);
  for (const f of INPUT_FILES) out.add(f, path.join(root, f));
  for (const d of INPUT_DIRS) walk(path.join(root, d), d, out);
  return out.text();
}

/** The stamp of single project files (`extraInputs`), in the order given. */
export function stampExtra(projectDir: string, files: readonly string[], now = Date.now()): string | null {
  const root = path.resolve(projectDir);
  const out = new StampWriter(now);
  for (const f of files) out.add(f, path.join(root, f));
  return out.text();
}

/** The whole input stamp: the project's own inputs, then the extra files; null when any part is untrusted. */
export function joinStamps(project: string | null, extra: string | null): string | null {
  return project === null || extra === null ? null : `${project}\n--\n${extra}`;
}

let codeStamp: string | undefined;
/**
 * The tool's own code, by file metadata: compiler/, connectors/ and runtime/ next to this module's
 * folder (the checkout, or dist/), and the tool's package.json and lockfile (its dependencies).
 * Never "too recent": a build in progress is covered by the build stamp bin/etl.js checks.
 */
export function toolCodeStamp(): string {
  if (codeStamp !== undefined) return codeStamp;
  const codeRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const out = new StampWriter(Number.POSITIVE_INFINITY);
  for (const d of ['compiler', 'connectors', 'runtime']) walk(path.join(codeRoot, d), d, out, (n) => n === 'node_modules' || n.startsWith('.'));
  for (const f of ['package.json', 'package-lock.json']) out.add(`tool:${f}`, path.join(TOOL_ROOT, f));
  codeStamp = out.lines.join('\n');
  return codeStamp;
}
