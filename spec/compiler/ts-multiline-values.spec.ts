/**
 * TypeScript models whose `${...}` values contain newlines (column lists built with
 * `.join(',\n  ')`): diagnostics still point into the template literal, not at `sql:`.
 */
import { describe, expect, it } from 'vitest';
import { compileProject, type Diagnostic } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const located = (ds: Diagnostic[]) => ds.map((d) => `${d.code} ${d.file}:${d.line}:${d.column} ${d.message}`).sort();

describe('TypeScript model positions with multi-line interpolated values', () => {
  it('a mistake after a multi-line value is located on its own line and column', async () => {
    const r = await compileProject({ projectDir: fixture('ts-multiline-values'), cache: false });
    const d = r.diagnostics.find((x) => x.file === 'models/gold/joined_then_typo.ts');
    expect(d && located([d])).toEqual(["ETL161 models/gold/joined_then_typo.ts:11:3 Unknown column 'amont' (in model joined_then_typo)"]);
    expect(d!.frame).toContain('> 11 |   amont');
  });

  it('a mistake inside a multi-line value is located where the file spells that name', async () => {
    const r = await compileProject({ projectDir: fixture('ts-multiline-values'), cache: false });
    const d = r.diagnostics.find((x) => x.file === 'models/gold/typo_in_joined.ts');
    expect(d && located([d])).toEqual(["ETL161 models/gold/typo_in_joined.ts:5:4 Unknown column 'custmer_id' (in model typo_in_joined)"]);
  });

  it('a computed name inside a multi-line value is located at its interpolation', async () => {
    const r = await compileProject({ projectDir: fixture('ts-multiline-values'), cache: false });
    const d = r.diagnostics.find((x) => x.file === 'models/gold/computed_in_joined.ts');
    expect(d && located([d])).toEqual(["ETL161 models/gold/computed_in_joined.ts:10:3 Unknown column 'DISCOUNT' (in model computed_in_joined)"]);
  });
});
