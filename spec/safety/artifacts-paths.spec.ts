// Issue 11, items 2 and 5: every artifact path stays under target/, and one writer at a time.
// Index entries with `../` made a compile delete files outside target/; a source table key with
// `../` made it write bronze DDL over a project file. And a killed compile must not wedge the next.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArtifactError, verifyTarget, writeArtifacts } from '../../compiler/emit/artifacts.js';
import { underTarget } from '../../compiler/emit/artifact-paths.js';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { cleanupTemps, etl, listFiles, repoRoot, tempDir } from './helpers.js';

afterAll(cleanupTemps);

const FIXTURE = path.join(repoRoot, 'spec/compiler/fixtures/materializations');

/** The fixture in `<temp>/project`, so files "outside the project" are still inside this spec's temp folder. */
async function fixtureCopy(): Promise<string> {
  const dir = path.join(await tempDir('etl-paths-'), 'project');
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

let compiled: CompileResult | undefined;
async function compiledFixture(): Promise<CompileResult> {
  compiled ??= await compileProject({ projectDir: FIXTURE });
  expect(compiled.ok).toBe(true);
  return structuredClone(compiled);
}

/** The pid of a process that has exited (so a lock naming it has a dead holder). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((ok) => child.once('exit', ok));
  return child.pid!;
}

describe('artifact paths stay under target/', () => {
  it('index entries that resolve outside target/ are ignored: the compile deletes nothing outside', async () => {
    const dir = await fixtureCopy();
    await writeFile(path.join(path.dirname(dir), 'precious.txt'), 'keep me');
    await writeFile(path.join(dir, 'precious.txt'), 'keep me');
    await mkdir(path.join(dir, 'target'), { recursive: true });
    await writeFile(path.join(dir, 'target', 'run_results.json'), '{"keep": true}');
    const entries = ['../precious.txt', 'compiled/../../project.yaml', '../../precious.txt', 'compiled/../../../precious.txt', path.join(dir, 'precious.txt'), 'run_results.json', 'compiled/../run_results.json'];
    await writeFile(path.join(dir, 'target', '.artifacts-index.json'), JSON.stringify(Object.fromEntries(entries.map((e) => [e, 'x']))));
    const res = await etl(['compile', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(await readFile(path.join(dir, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await readFile(path.join(path.dirname(dir), 'precious.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(path.join(dir, 'project.yaml'))).toBe(true);
    expect(await readFile(path.join(dir, 'target', 'run_results.json'), 'utf8')).toBe('{"keep": true}');
    expect(verifyTarget(path.join(dir, 'target'))).toEqual([]);
  });

  it('a source table name that would escape target/ is refused before anything is written', async () => {
    const dir = await fixtureCopy();
    const result = await compiledFixture();
    const source = Object.values(result.manifest.sources)[0]!;
    source.table = '../../../../project'; // run/bronze/<source>_../../../../project.sql: the project folder
    const before = await readFile(path.join(dir, 'project.yaml'), 'utf8');
    const err = await writeArtifacts(result, dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArtifactError);
    expect((err as ArtifactError).message).toContain(`source ${source.id}`);
    expect((err as ArtifactError).message).toMatch(/resolves outside target\//);
    expect((err as ArtifactError).suggestions.join(' ')).toMatch(/Rename/);
    expect(await readFile(path.join(dir, 'project.yaml'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'project.sql'))).toBe(false);
    expect(await listFiles(path.join(dir, 'target'))).toEqual([]);
  });

  it('model and test artifact paths must stay in their own folder (not even target/manifest.json)', async () => {
    const dir = await fixtureCopy();
    for (const bad of ['target/compiled/../../project.yaml', 'target/compiled/../manifest.json', '/etc/passwd', 'target/compiled']) {
      const result = await compiledFixture();
      Object.values(result.manifest.models)[0]!.artifacts.compiled = bad;
      await expect(writeArtifacts(result, dir), bad).rejects.toThrow(ArtifactError);
    }
    const result = await compiledFixture();
    const test = { id: 'test.escape', sql: 'SELECT 1', artifact: 'target/tests/../../../outside.sql' };
    result.manifest.tests[test.id] = test as unknown as (typeof result.manifest.tests)[string];
    await expect(writeArtifacts(result, dir)).rejects.toThrow(/test .* resolves outside target/);
    expect(existsSync(path.join(path.dirname(dir), 'outside.sql'))).toBe(false);
    expect(() => underTarget('/p/target', 'run/bronze/a_b.sql', 'x')).not.toThrow();
    expect(() => underTarget('/p/target', 'run/../run/x.sql', 'x')).not.toThrow();
  });
});

describe('one writer at a time on target/', () => {
  it('a lock left by a dead compile is taken over', async () => {
    const dir = await fixtureCopy();
    await mkdir(path.join(dir, 'target'));
    await writeFile(path.join(dir, 'target', '.lock'), JSON.stringify({ pid: await deadPid(), host: hostname(), since: '2020-01-01T00:00:00Z', token: 'dead' }));
    const res = await etl(['compile', '--project', dir]);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target', '.lock'))).toBe(false);
    expect(verifyTarget(path.join(dir, 'target'))).toEqual([]);
  });

  it('a live holder is waited for, then named in a clear error; nothing is written meanwhile', async () => {
    const dir = await fixtureCopy();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)']);
    try {
      await mkdir(path.join(dir, 'target'));
      await writeFile(path.join(dir, 'target', '.lock'), JSON.stringify({ pid: holder.pid, host: hostname(), since: '2020-01-01T00:00:00Z', token: 'live' }));
      const err = await writeArtifacts(await compiledFixture(), dir, { lock: { waitMs: 0 } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ArtifactError);
      expect((err as Error).message).toContain(`being written by process ${holder.pid}`);
      expect((err as ArtifactError).suggestions.join(' ')).toContain(path.join(dir, 'target', '.lock'));
      expect(await listFiles(path.join(dir, 'target'))).toEqual(['.lock']);
      // Released by its holder: the next write goes through and leaves no lock behind.
      holder.kill('SIGKILL');
      await new Promise((ok) => holder.once('exit', ok));
      await writeArtifacts(await compiledFixture(), dir);
      expect(existsSync(path.join(dir, 'target', '.lock'))).toBe(false);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
