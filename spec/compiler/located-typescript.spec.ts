/**
 * Issue 10, TypeScript models: ref() and source() problems are located at the call (from the call's
 * stack frame mapped back through the transform's source map), syntax errors at esbuild's 1-based
 * position with its whole reason.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileProject, type Diagnostic } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const errors = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`).sort();
const temps: string[] = [];
afterAll(() => Promise.all(temps.map((d) => rm(d, { recursive: true, force: true }))));

describe('TypeScript model locations', () => {
  it('ETL140/ETL141 at the ref() and source() calls, inside an interpolation too', async () => {
    const r = await compileProject({ projectDir: fixture('located-ts'), cache: false });
    expect(errors(r.diagnostics)).toEqual([
      "ETL140 models/gold/ts_refs.ts:7:20 Unknown model 'stg_ordrs' in ref",
      "ETL141 models/gold/ts_refs.ts:11:8 Unknown source table 'shop.customer'",
    ]);
    expect(r.diagnostics.find((d) => d.code === 'ETL141')!.frame).toContain('> 11 | JOIN ${source(');
  });

  it('ETL150 a syntax error at its 1-based column with the whole reason', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'located-ts-'));
    temps.push(dir);
    await cp(fixture('located-ts'), dir, { recursive: true });
    const file = path.join(dir, 'models/gold/ts_refs.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace("config: { materialized: 'table' },", "config: { materialized: 'table' ,, },"));
    const r = await compileProject({ projectDir: dir, cache: false });
    expect(errors(r.diagnostics)).toEqual(['ETL150 models/gold/ts_refs.ts:5:36 Cannot load TypeScript model: Expected identifier but found ","']);
  });
});
