// Issue 11, item 1: destructive commands touch only what they own. `etl docs generate --out .`
// deleted a whole project, .git included; `etl clean --project DIR` deleted a Maven or Cargo target/.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureProject } from '../docs/helpers/fixture-site.js';
import { cleanupTemps, etl, listFiles, tempDir } from './helpers.js';

const projects: string[] = [];
afterAll(async () => {
  await cleanupTemps();
  await Promise.all(projects.map((p) => rm(p, { recursive: true, force: true })));
});

/** The docs fixture project (a compiled manifest, model files) with a .git folder, in a temp dir. */
async function project(): Promise<string> {
  const dir = await fixtureProject();
  projects.push(dir);
  await mkdir(path.join(dir, '.git'));
  await writeFile(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  return dir;
}

const oneLine = (s: string) => s.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ');

function expectRefused(res: { code: number; stderr: string }, why: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  expect(oneLine(res.stderr)).toMatch(why);
  expect(oneLine(res.stderr)).toMatch(/--out/); // how to fix
  expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
}

describe('etl docs generate --out', () => {
  it('refuses the project directory (--out .), and the project survives whole', async () => {
    const dir = await project();
    const before = await listFiles(dir);
    const res = await etl(['docs', 'generate', '--no-compile', '--out', '.'], { cwd: dir });
    expectRefused(res, /refusing to write the docs site into .*: it is the project directory/);
    expect(await listFiles(dir)).toEqual(before);
    expect(await readFile(path.join(dir, '.git', 'HEAD'), 'utf8')).toContain('refs/heads/main');
  });

  it('refuses any ancestor of the project', async () => {
    // Only ancestors this spec owns: were the guard ever to regress, a run must not take the
    // system's temp folder (or more) with it, as running this spec against the old code once did.
    const base = await tempDir('etl-ancestor-');
    const dir = path.join(base, 'outer', 'project');
    await mkdir(path.dirname(dir), { recursive: true });
    await rename(await project(), dir);
    for (const out of [base, path.join(base, 'outer')]) {
      const res = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', out]);
      expectRefused(res, /it contains the project directory/);
    }
    // The current directory is guarded the same way (`--project` elsewhere, `--out ..` from inside).
    const fromInside = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', path.join(base, 'outer')], { cwd: path.join(dir, 'models') });
    expectRefused(fromInside, /it contains the (project|current) directory/);
    expect(existsSync(path.join(dir, '.git', 'HEAD'))).toBe(true);
  });

  it('refuses a non-empty folder without the marker (target/ itself, a folder of the user), and a file', async () => {
    const dir = await project();
    const mine = await tempDir('etl-mine-');
    await writeFile(path.join(mine, 'notes.txt'), 'mine');
    for (const out of [mine, path.join(dir, 'target'), path.join(dir, 'models')]) {
      const before = await listFiles(out);
      const res = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', out]);
      expectRefused(res, /is not empty .* and was not written by `etl docs generate` \(no \.lakehouse-etl-docs marker\)/);
      expect(await listFiles(out)).toEqual(before);
    }
    const res = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', path.join(mine, 'notes.txt')]);
    expectRefused(res, /it is a file, not a folder/);
    expect(await readFile(path.join(mine, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('writes into a new or empty folder with the marker, and replaces its own site again', async () => {
    const dir = await project();
    const empty = await tempDir('etl-empty-');
    for (const out of [empty, path.join(empty, 'new', 'site')]) {
      const res = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', out]);
      expect(res.code, res.stderr).toBe(0);
      expect(JSON.parse(await readFile(path.join(out, '.lakehouse-etl-docs'), 'utf8'))).toMatchObject({ tool: 'lakehouse-etl' });
      expect(existsSync(path.join(out, 'index.html'))).toBe(true);
      const again = await etl(['docs', 'generate', '--no-compile', '--project', dir, '--out', out]);
      expect(again.code, again.stderr).toBe(0);
    }
    // Nothing left beside the site by the swap.
    expect((await readdir(path.dirname(empty))).filter((f) => f.startsWith(`${path.basename(empty)}.`))).toEqual([]);
  });

  it('still replaces a site generated before the marker existed (default target/docs)', async () => {
    const dir = await project();
    expect((await etl(['docs', 'generate', '--no-compile', '--project', dir])).code).toBe(0);
    await rm(path.join(dir, 'target', 'docs', '.lakehouse-etl-docs'));
    const res = await etl(['docs', 'generate', '--no-compile', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    // ...but not once something of the user's sits in it.
    await rm(path.join(dir, 'target', 'docs', '.lakehouse-etl-docs'));
    await writeFile(path.join(dir, 'target', 'docs', 'my-notes.md'), 'mine');
    expectRefused(await etl(['docs', 'generate', '--no-compile', '--project', dir]), /is not empty/);
    expect(await readFile(path.join(dir, 'target', 'docs', 'my-notes.md'), 'utf8')).toBe('mine');
  });
});

describe('etl clean', () => {
  it('leaves a Maven or Cargo target/ alone: only a folder holding project.yaml is cleaned', async () => {
    const maven = await tempDir('etl-maven-');
    await writeFile(path.join(maven, 'pom.xml'), '<project/>');
    await mkdir(path.join(maven, 'target', 'classes'), { recursive: true });
    await writeFile(path.join(maven, 'target', 'classes', 'App.class'), 'bytes');
    const res = await etl(['clean', '--project', maven]);
    expect(res.code, res.stderr).toBe(2);
    expect(oneLine(res.stderr)).toMatch(/holds no project\.yaml, so it is not an etl project: nothing was removed/);
    expect(oneLine(res.stderr)).toMatch(/--project/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await readFile(path.join(maven, 'target', 'classes', 'App.class'), 'utf8')).toBe('bytes');
    const missing = await etl(['clean', '--project', path.join(maven, 'nope')]);
    expect(missing.code).toBe(2);
    expect(oneLine(missing.stderr)).toMatch(/No project directory at/);
  });

  it('cleans a project: target/ goes, project.yaml and .git stay', async () => {
    const dir = await project();
    await writeFile(path.join(dir, 'project.yaml'), 'name: docs_fixture\n'); // clean reads only that it is there
    const res = await etl(['clean', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
    expect(existsSync(path.join(dir, 'project.yaml'))).toBe(true);
    expect(existsSync(path.join(dir, '.git', 'HEAD'))).toBe(true);
  });
});
