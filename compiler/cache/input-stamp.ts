/**
 * Stamps of what a compile reads, taken from file metadata only (size and modification time), so an
 * unchanged project is recognised without reading a single file: every file under the folders the
 * loaders read (sources/, models/, macros/, tests/, exposures/), project.yaml, project files that
 * project code imports from elsewhere, and the tool's own code (a new compiler never reuses a result
 * of the old one). A file modified within RACY_MS of its stamp is not trusted (its next edit could
 * keep the same time on a coarse file system): it stamps as changed, so the next compile is a full one.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_ROOT } from '../own-files.js';

/** Folders of a project whose every file is an input (recursively). */
export const INPUT_DIRS = ['sources', 'models', 'macros', 'tests', 'exposures', 'seeds', 'snapshots'] as const;
/** What a copy of a project takes: its config and every input folder. */
export const PROJECT_PARTS = ['project.yaml', ...INPUT_DIRS] as const;
/** target/table_schemas.json: the last build's table columns, read by the on_schema_change check. */
export const INPUT_FILES = ['project.yaml', 'target/table_schemas.json'] as const;

/** [size, mtimeMs] of a file; [-1, 0] when it is missing; [-2, 0] when its stamp cannot be trusted. */
export type FileStamp = [number, number];
export const MISSING: FileStamp = [-1, 0];
const RACY: FileStamp = [-2, 0];
const RACY_MS = 2000;

function stampOf(st: Stats | undefined, now: number): FileStamp {
  if (!st) return MISSING;
  if (now - st.mtimeMs < RACY_MS) return RACY;
  return [st.size, st.mtimeMs];
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/** Every file under `dir` (recursively) by its path relative to `base`, `/`-separated. */
function walk(dir: string, base: string, out: Record<string, FileStamp>, now: number, skip?: (name: string) => boolean): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  // Plain concatenation: path.join and path.relative per file were a third of the walk at 10,000 models.
  const prefix = base.length + 1;
  for (const e of entries) {
    if (skip?.(e.name)) continue;
    const abs = `${dir}${path.sep}${e.name}`;
    if (e.isDirectory()) walk(abs, base, out, now, skip);
    else out[path.sep === '/' ? abs.slice(prefix) : abs.slice(prefix).split(path.sep).join('/')] = stampOf(statOrUndefined(abs), now);
  }
}

/** Stamps of the project's inputs, plus `extra` files (absolute or project-relative) that project code imported. */
export function stampProject(projectDir: string, extra: readonly string[] = []): Record<string, FileStamp> {
  const now = Date.now();
  const out: Record<string, FileStamp> = {};
  const root = path.resolve(projectDir);
  for (const d of INPUT_DIRS) walk(path.join(root, d), root, out, now);
  return { ...stampFiles(projectDir, [...INPUT_FILES, ...extra], now), ...out };
}

/** Stamps of single files (absolute or project-relative), keyed project-relative. */
export function stampFiles(projectDir: string, files: readonly string[], now = Date.now()): Record<string, FileStamp> {
  const out: Record<string, FileStamp> = {};
  for (const f of files) {
    const abs = path.resolve(projectDir, f);
    out[path.relative(projectDir, abs).split(path.sep).join('/')] = stampOf(statOrUndefined(abs), now);
  }
  return out;
}

/** Whether every stamp in `recorded` is the same now (and no file appeared in the walked folders). */
export function sameStamps(recorded: Record<string, FileStamp>, current: Record<string, FileStamp>): boolean {
  for (const [file, [size, mtime]] of Object.entries(recorded)) {
    const now = current[file];
    if (size < -1 || !now || now[0] !== size || now[1] !== mtime) return false;
  }
  // A new file in a walked folder: not in the record.
  for (const file of Object.keys(current)) if (!(file in recorded)) return false;
  return true;
}

/** The extra files of a record (outside the walked folders) are stamped again by name. */
export function extraFiles(recorded: Record<string, FileStamp>): string[] {
  const walked = (f: string) => (INPUT_FILES as readonly string[]).includes(f) || INPUT_DIRS.some((d) => f.startsWith(`${d}/`));
  return Object.keys(recorded).filter((f) => !walked(f));
}

let codeStamp: string | undefined;
/**
 * The tool's own code, by file metadata: compiler/, connectors/ and runtime/ next to this module's
 * folder (the checkout, or dist/), and the tool's package.json and lockfile (its dependencies).
 */
export function toolCodeStamp(): string {
  if (codeStamp !== undefined) return codeStamp;
  const codeRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const out: Record<string, FileStamp> = {};
  for (const d of ['compiler', 'connectors', 'runtime']) walk(path.join(codeRoot, d), codeRoot, out, Number.POSITIVE_INFINITY, (n) => n === 'node_modules' || n.startsWith('.'));
  for (const f of ['package.json', 'package-lock.json']) {
    const st = statOrUndefined(path.join(TOOL_ROOT, f));
    out[`tool:${f}`] = st ? [st.size, st.mtimeMs] : MISSING;
  }
  codeStamp = JSON.stringify(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
  return codeStamp;
}
