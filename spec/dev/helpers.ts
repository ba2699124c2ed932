/** Shared by the dev specs: a fixture project copied to a temporary directory the spec may edit. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

export interface ProjectCopy {
  dir: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces `from` (which must occur) in `file`. */
  edit(file: string, from: string, to: string): void;
  remove(): void;
}

/** The fixture `name` (spec/dev/fixtures/NAME) copied without its .etl/ (no analysis cache). */
export function copyFixture(name: string): ProjectCopy {
  const dir = mkdtempSync(path.join(os.tmpdir(), `etl-dev-${name}-`));
  const from = fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url));
  cpSync(from, dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('.etl') });
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const write = (file: string, text: string) => writeFileSync(path.join(dir, file), text);
  return {
    dir,
    read,
    write,
    edit(file, a, b) {
      const text = read(file);
      if (!text.includes(a)) throw new Error(`${file} does not contain ${a}`);
      write(file, text.replace(a, b));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
