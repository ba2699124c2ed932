/** Two versions of the diff fixture project: a copy of diff-base compiled, then edited and compiled again. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { fixture } from './helpers.js';

export interface TwoVersions {
  dir: string;
  reference: CompileResult;
  current: CompileResult;
}

const made: string[] = [];

/** A fresh copy of diff-base (plus `overlays` copied over it, in order) in a temp folder. */
export async function fixtureCopy(overlays: string[] = []): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-diff-'));
  made.push(dir);
  await cp(fixture('diff-base'), dir, { recursive: true });
  for (const o of overlays) await cp(fixture(o), dir, { recursive: true });
  return dir;
}

export const compileDir = (dir: string) => compileProject({ projectDir: dir, cache: false });

/** Compiles diff-base (after `before`: the reference), runs `edit` on the copy, compiles it again (the branch). */
export async function twoVersions(edit: (dir: string) => Promise<void>, before?: (dir: string) => Promise<void>): Promise<TwoVersions> {
  const dir = await fixtureCopy();
  await before?.(dir);
  const reference = await compileDir(dir);
  await edit(dir);
  const current = await compileDir(dir);
  return { dir, reference, current };
}

export const overlay = (name: string) => (dir: string) => cp(fixture(name), dir, { recursive: true });

/** Removes the temp copies this spec file made (each its own mkdtemp folder). */
export async function removeCopies(): Promise<void> {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
}
