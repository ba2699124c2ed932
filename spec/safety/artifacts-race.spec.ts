// Issue 11, item 5: two compiles at once, one killed mid-switch, left target/compiled and target/run
// out of step with manifest.json, and later compiles did not repair it (a file was skipped when its
// index hash matched and it existed). Each scenario runs the real CLI on a copy of the reference
// project; a compile is held mid-switch by ETL_TEST_HOLD_WRITE and SIGKILLed (nothing is timed).
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTarget } from '../../compiler/emit/artifacts.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { cleanupTemps, copyReferenceProject, etl, listFiles, startEtl, tempDir, waitForFile } from './helpers.js';

afterAll(cleanupTemps);

const EDITED = ['models/silver/stg_accounts.sql', 'models/silver/stg_leads.sql'];

/** Adds a comment line after the first line of two models: their compiled and run files change. */
async function editModels(dir: string): Promise<Map<string, string>> {
  const originals = new Map<string, string>();
  for (const rel of EDITED) {
    const text = await readFile(path.join(dir, rel), 'utf8');
    originals.set(rel, text);
    await writeFile(path.join(dir, rel), text.replace('\n', '\n-- edited by the crash spec\n'));
  }
  return originals;
}

async function restore(dir: string, originals: Map<string, string>): Promise<void> {
  for (const [rel, text] of originals) await writeFile(path.join(dir, rel), text);
}

/** target/ holds one compile's output: every model's file equals its compiledSql, the plan's models are the manifest's. */
async function expectTargetMatchesManifest(dir: string): Promise<Manifest> {
  const target = path.join(dir, 'target');
  const manifest = JSON.parse(await readFile(path.join(target, 'manifest.json'), 'utf8')) as Manifest;
  const plan = JSON.parse(await readFile(path.join(target, 'plan.json'), 'utf8')) as Plan;
  const models = Object.values(manifest.models);
  expect(models.length).toBeGreaterThan(5);
  for (const m of models) expect(await readFile(path.join(dir, m.artifacts.compiled), 'utf8'), m.id).toBe(`${m.compiledSql}\n`);
  const planModels = Object.values(plan.nodes).filter((n) => n.kind === 'model').map((n) => n.id).sort();
  expect(planModels).toEqual(Object.keys(manifest.models).sort());
  // Nothing else in compiled/: no file of another compile, no staging leftovers.
  expect(await listFiles(path.join(target, 'compiled'))).toEqual(models.map((m) => path.relative('target/compiled', m.artifacts.compiled)).sort());
  expect(verifyTarget(target)).toEqual([]);
  expect(existsSync(path.join(target, '.lock'))).toBe(false);
  expect(existsSync(path.join(target, '.staging'))).toBe(false);
  return manifest;
}

const compiledOf = async (dir: string, model: string) => readFile(path.join(dir, 'target', 'compiled', 'silver', `${model}.sql`), 'utf8');

describe('target/ under concurrent and killed compiles', () => {
  it('a compile killed mid-switch is repaired by the next one, even back to the earlier sources', async () => {
    const dir = await copyReferenceProject();
    const first = await etl(['compile', '--project', dir]);
    expect(first.code, first.stderr).toBe(0);
    const before = await compiledOf(dir, 'stg_accounts');
    const originals = await editModels(dir);
    const marker = path.join(await tempDir('etl-hold-'), 'held');
    const held = startEtl(['compile', '--project', dir], { ETL_TEST_HOLD_WRITE: marker });
    expect(await waitForFile(marker, held.exit), 'the compile never reached the middle of its switch').toBe(String(held.child.pid));
    // Held mid-switch: it owns the lock, and target/ is out of step with the manifest.
    expect(JSON.parse(await readFile(path.join(dir, 'target', '.lock'), 'utf8'))).toMatchObject({ pid: held.child.pid });
    expect(verifyTarget(path.join(dir, 'target'))).not.toEqual([]);
    await restore(dir, originals);
    const next = startEtl(['compile', '--project', dir]); // waits for the lock
    held.child.kill('SIGKILL');
    expect((await held.exit).code).toBeNull();
    const done = await next.exit;
    expect(done.code, done.stderr).toBe(0);
    await expectTargetMatchesManifest(dir);
    expect(await compiledOf(dir, 'stg_accounts')).toBe(before);
  });

  it('two compiles at once, one killed mid-way, then a third: target/ always matches its manifest', async () => {
    const dir = await copyReferenceProject();
    expect((await etl(['compile', '--project', dir])).code).toBe(0);
    await editModels(dir);
    const marker = path.join(await tempDir('etl-hold-'), 'held');
    const runs = [0, 1].map(() => startEtl(['compile', '--project', dir], { ETL_TEST_HOLD_WRITE: marker }));
    const pid = await waitForFile(marker, Promise.all(runs.map((r) => r.exit)));
    const victim = runs.find((r) => String(r.child.pid) === pid);
    expect(victim, 'neither compile reached the middle of its switch').toBeDefined();
    victim!.child.kill('SIGKILL');
    const survivor = runs.find((r) => r !== victim)!;
    const survived = await survivor.exit;
    expect(survived.code, survived.stderr).toBe(0);
    const afterRace = await expectTargetMatchesManifest(dir);
    expect(Object.values(afterRace.models).find((m) => m.name === 'stg_accounts')!.compiledSql).toContain('edited by the crash spec');
    const third = await etl(['compile', '--project', dir]);
    expect(third.code, third.stderr).toBe(0);
    await expectTargetMatchesManifest(dir);
  });

  it('a stale or tampered file is rewritten by the next compile (the index hash is not trusted)', async () => {
    const dir = await copyReferenceProject();
    expect((await etl(['compile', '--project', dir])).code).toBe(0);
    const manifest = await expectTargetMatchesManifest(dir);
    const m = Object.values(manifest.models)[0]!;
    await writeFile(path.join(dir, m.artifacts.compiled), 'SELECT 1 -- tampered\n');
    await writeFile(path.join(dir, m.artifacts.run), 'DROP TABLE everything;\n');
    expect(verifyTarget(path.join(dir, 'target'))).toEqual(expect.arrayContaining([path.relative('target', m.artifacts.compiled)]));
    const again = await etl(['compile', '--project', dir]);
    expect(again.code, again.stderr).toBe(0);
    await expectTargetMatchesManifest(dir);
    expect(await readFile(path.join(dir, m.artifacts.run), 'utf8')).not.toContain('DROP TABLE everything');
  });
});
