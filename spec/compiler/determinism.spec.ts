/** Same input, same bytes: two compiles of one project write byte-identical target/ trees. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject, writeArtifacts } from '../../compiler/index.js';
import { fixture, repoRoot } from './helpers.js';
import { generateProject } from '../../bench/generate-project.js';

async function tree(dir: string, root = dir): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of await tree(abs, root)) out.set(k, v);
    else out.set(path.relative(root, abs), await readFile(abs));
  }
  return out;
}

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

describe('deterministic output', () => {
  for (const [label, dir] of [
    ['fixture materializations', fixture('materializations')],
    ['fixture lineage', fixture('lineage')],
    ['the reference project', repoRoot],
  ] as const) {
    it(`${label}: two compiles write byte-identical target/ trees`, async () => {
      const [a, b] = await Promise.all([mkdtemp(path.join(os.tmpdir(), 'etl-det-a-')), mkdtemp(path.join(os.tmpdir(), 'etl-det-b-'))]);
      temps.push(a, b);
      const first = await compileProject({ projectDir: dir });
      const second = await compileProject({ projectDir: dir });
      // The reference project changes under other hands: its determinism matters, not its health.
      if (dir !== repoRoot) expect(first.ok, JSON.stringify(first.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message))).toBe(true);
      await writeArtifacts(first, a);
      await writeArtifacts(second, b);
      const ta = await tree(path.join(a, 'target'));
      const tb = await tree(path.join(b, 'target'));
      expect(ta.size).toBeGreaterThan(3);
      expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
      for (const [file, bytes] of ta) expect(tb.get(file)!.equals(bytes), `${file} differs`).toBe(true);
      // No leftovers from the staging swap.
      expect([...ta.keys()].some((f) => f.includes('.staging'))).toBe(false);
    }, 30_000);
  }
});

describe('worker threads', () => {
  it('a project large enough for the analysis threads compiles to the same bytes as in one thread', async () => {
    const [project, a, b] = await Promise.all(['etl-threads-p-', 'etl-threads-a-', 'etl-threads-b-'].map((p) => mkdtemp(path.join(os.tmpdir(), p))));
    temps.push(project!, a!, b!);
    generateProject({ models: 600, outDir: project!, seed: 7 });
    const threaded = await compileProject({ projectDir: project!, cache: false });
    process.env.ETL_THREADS = '1';
    let single;
    try {
      single = await compileProject({ projectDir: project!, cache: false });
    } finally {
      delete process.env.ETL_THREADS;
    }
    expect(threaded.ok).toBe(true);
    await writeArtifacts(threaded, a!);
    await writeArtifacts(single, b!);
    const ta = await tree(path.join(a!, 'target'));
    const tb = await tree(path.join(b!, 'target'));
    expect(ta.size).toBeGreaterThan(600);
    expect([...tb.keys()].sort()).toEqual([...ta.keys()].sort());
    for (const [file, bytes] of ta) expect(tb.get(file)!.equals(bytes), `${file} differs`).toBe(true);
  }, 120_000);
});
