/** The housekeeping commands: `etl debug`, `etl clean`, `etl ls`, `etl lineage`. */
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, runEtl } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-cli-'));
  await cp(fixture('lineage'), dir, { recursive: true, filter: (src) => !src.includes('/.etl') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exists = (p: string) => stat(p).then(() => true, () => false);

describe('housekeeping commands', () => {
  it('debug reports the project and exits 0 when it compiles; 1 when it does not', async () => {
    const good = await runEtl(['debug', '--json', '--project', dir]);
    expect(good.code).toBe(0);
    const report = JSON.parse(good.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'project')?.ok).toBe(true);
    const bad = await runEtl(['debug', '--project', fixture('many-errors')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('MISSING project');
  }, 120_000);

  it('init writes a project that compiles clean, and refuses a directory that holds one', async () => {
    const target = path.join(dir, 'new-project');
    const created = await runEtl(['init', target, '--json']);
    expect(created.code).toBe(0);
    expect((JSON.parse(created.stdout) as { files: string[] }).files).toContain('sources/shop.ts');
    const compiled = await runEtl(['compile', '--project', target, '--json']);
    expect(compiled.code).toBe(0);
    const summary = JSON.parse(compiled.stdout) as { models: number; diagnostics: unknown[] };
    expect(summary.models).toBe(2);
    expect(summary.diagnostics).toEqual([]);
    const again = await runEtl(['init', target]);
    expect(again.code).toBe(2);
    // oclif wraps long errors behind ' ›' margins.
    expect(again.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/already exists: nothing was written/);
  }, 120_000);

  it('clean removes target/ and the cache, and keeps the project', async () => {
    expect((await runEtl(['compile', '--project', dir])).code).toBe(0);
    expect(await exists(path.join(dir, 'target/manifest.json'))).toBe(true);
    expect(await exists(path.join(dir, '.etl/cache/analysis.json'))).toBe(true);
    expect((await runEtl(['clean', '--project', dir])).code).toBe(0);
    expect(await exists(path.join(dir, 'target'))).toBe(false);
    expect(await exists(path.join(dir, '.etl/cache'))).toBe(false);
    expect(await exists(path.join(dir, 'project.yaml'))).toBe(true);
  }, 120_000);

  it('ls selects with the graph operators, lineage walks columns to their sources', async () => {
    const ls = await runEtl(['ls', '--project', dir, '--select', '+top_customers', '--output', 'name']);
    expect(ls.code).toBe(0);
    const names = ls.stdout.trim().split('\n');
    expect(names).toContain('top_customers');
    expect(names.length).toBeGreaterThan(1);
    const bad = await runEtl(['ls', '--project', dir, '--select', 'no_such_model']);
    expect(bad.code).toBe(2);
    const lineage = await runEtl(['lineage', '--json', '--project', dir, 'top_customers']);
    expect(lineage.code).toBe(0);
    const out = JSON.parse(lineage.stdout) as { upstream: string[] };
    expect(out.upstream.some((u) => u.startsWith('source:'))).toBe(true);
  }, 120_000);
});
