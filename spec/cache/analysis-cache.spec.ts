import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { codeHash } from '../../compiler/analyse/cache.js';
import { compileProject } from '../../compiler/index.js';

const fixture = path.resolve('spec/compiler/fixtures/materializations');
let dir: string;

async function freshCopy(): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'etl-cache-'));
  // Without any .etl/ a fixture may have from earlier in-place compiles: this copy starts cold.
  await cp(fixture, dir, { recursive: true, filter: (src) => !src.includes('/.etl') });
  return dir;
}

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('analysis cache', () => {
  it('a warm compile reuses every model and produces the same manifest as a cold one', async () => {
    const project = await freshCopy();
    const cold = await compileProject({ projectDir: project });
    expect(cold.ok).toBe(true);
    expect(cold.cacheHits).toBe(0);
    const warm = await compileProject({ projectDir: project });
    expect(warm.cacheHits).toBe(Object.keys(cold.manifest.models).length);
    expect(JSON.stringify(warm.manifest)).toBe(JSON.stringify(cold.manifest));
  });

  it('a changed upstream re-analyses its readers: a dropped column is reported downstream', async () => {
    const project = await freshCopy();
    expect((await compileProject({ projectDir: project })).ok).toBe(true);
    // customers_merge feeds active_customers (which selects country); drop country upstream.
    const file = path.join(project, 'models/silver/customers_merge.sql');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('SELECT customer_id, email, country, updated_at', 'SELECT customer_id, email, updated_at'));
    const warm = await compileProject({ projectDir: project });
    const uncached = await compileProject({ projectDir: project, cache: false });
    expect(warm.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual(uncached.diagnostics.map((d) => [d.code, d.file, d.line, d.column]));
    expect(warm.diagnostics.some((d) => d.code === 'ETL161' && /country/.test(d.message))).toBe(true);
    expect(warm.cacheHits).toBeGreaterThan(0);
  });
});

describe('the analysis code hash', () => {
  it('changes when a file in a subfolder of the analysis code changes (e.g. the Spark type rules)', async () => {
    const code = await mkdtemp(path.join(os.tmpdir(), 'etl-code-'));
    try {
      await writeFile(path.join(code, 'analyser.ts'), 'export const a = 1;');
      await mkdir(path.join(code, 'spark-types'));
      await writeFile(path.join(code, 'spark-types', 'decimal.ts'), 'export const scale = 6;');
      const before = await codeHash(code);
      await writeFile(path.join(code, 'spark-types', 'decimal.ts'), 'export const scale = 4;');
      expect(await codeHash(code)).not.toBe(before);
    } finally {
      await rm(code, { recursive: true, force: true });
    }
  });
});
