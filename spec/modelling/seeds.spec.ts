/**
 * Seeds (seeds/*.csv with a defineSeed declaration) compiled through the real input path: typed
 * columns, ref from SQL and TypeScript models, lineage to the seed, the LoadSeed operation with
 * typed rows, and bad rows located at file:line:col (ETL410-ETL419).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { buildSiteData } from '../../docs-site/generator/build-site-data.js';
import { decodeIndex, encodeIndex } from '../../docs-site/shared/index-codec.js';

const fixture = (name: string) => path.join(fileURLToPath(new URL('./fixtures/', import.meta.url)), name);
const compile = (name: string): Promise<CompileResult> => compileProject({ projectDir: fixture(name), cache: false });

describe('seeds', () => {
  it('types a seed, resolves ref to it from SQL and TypeScript models and traces lineage to it', async () => {
    const r = await compile('seeds-ok');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const seed = r.manifest.seeds!['seed.country_currency']!;
    expect(seed.columns.map((c) => [c.name, c.type, c.nullable])).toEqual([
      ['country_code', 'string', false],
      ['country_name', 'string', false],
      ['currency', 'string', false],
      ['eur_rate', 'decimal(12,6)', true],
      ['eu_member', 'boolean', true],
      ['joined_on', 'date', true],
      ['population', 'bigint', true],
    ]);
    expect(seed.relation.fqn).toBe('silver.country_currency');
    expect(seed.rowCount).toBe(3);

    const joined = r.manifest.models['model.orders_by_currency']!;
    expect(joined.dependsOn).toEqual({ models: ['model.stg_orders'], sources: ['seed.country_currency', 'source.shop.customers'] });
    const col = (name: string) => joined.columns.find((c) => c.name === name)!;
    expect(col('eur_rate').type).toBe('decimal(12,6)');
    expect(col('population').classification).toEqual(['sensitive']);
    expect(col('amount_eur').sources).toEqual([
      { node: 'seed.country_currency', column: 'eur_rate' },
      { node: 'source.shop.orders', column: 'amount' },
    ]);
    expect(r.manifest.models['model.currencies']!.dependsOn.sources).toEqual(['seed.country_currency']);
    expect(r.manifest.childMap['seed.country_currency']).toEqual(['model.currencies', 'model.orders_by_currency']);
  });

  it('plans a LoadSeed with typed rows that the models reading the seed wait for', async () => {
    const r = await compile('seeds-ok');
    const node = r.plan.nodes['seed.country_currency']!;
    expect(node.kind).toBe('source');
    const load = node.kind === 'source' ? node.operations.find((o) => o.kind === 'LoadSeed') : undefined;
    expect(load && load.kind === 'LoadSeed' ? load.rows : undefined).toEqual([
      { country_code: 'DE', country_name: 'Germany', currency: 'EUR', eur_rate: '1.000000', eu_member: true, joined_on: '1958-01-01', population: '84000000' },
      { country_code: 'GB', country_name: 'United Kingdom, The', currency: 'GBP', eur_rate: '1.170000', eu_member: false, joined_on: null, population: '67000000' },
      { country_code: 'US', country_name: 'United States', currency: 'USD', eur_rate: '0.920000', eu_member: false, joined_on: null, population: null },
    ]);
    expect(r.plan.nodes['model.orders_by_currency']!.dependsOn).toContain('seed.country_currency');
    expect(r.plan.nodes['model.currencies']!.dependsOn).toEqual(['seed.country_currency']);
  });

  it('lists the seed in the docs site as a node of its own kind, linked to the models reading it', async () => {
    const r = await compile('seeds-ok');
    const site = buildSiteData(r.manifest, { plan: r.plan });
    const nodes = site.index.nodes;
    const seed = nodes.find((n) => n.id === 'seed.country_currency')!;
    expect([seed.kind, seed.name, seed.layer, seed.columnCount, seed.classes]).toEqual(['seed', 'country_currency', 'silver', 7, ['sensitive']]);
    expect(seed.children.map((i) => nodes[i]!.id)).toEqual(['model.currencies', 'model.orders_by_currency']);
    // The wire form the browser reads keeps the kind.
    expect(decodeIndex(encodeIndex(site.index, 100)).nodes.find((n) => n.id === 'seed.country_currency')?.kind).toBe('seed');
    const reader = nodes.find((n) => n.id === 'model.currencies')!;
    expect(reader.parents.map((i) => nodes[i]!.id)).toEqual(['seed.country_currency']);
  });

  it('locates bad rows, header problems and undeclared CSVs at file:line:col', async () => {
    const r = await compile('seeds-bad');
    const got = r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column]);
    expect(got).toEqual([
      ['ETL410', 'error', 'seeds/orphan.csv', 1, 1],
      ['ETL414', 'error', 'seeds/rates.csv', 3, 5],
      ['ETL414', 'error', 'seeds/rates.csv', 4, 10],
      ['ETL414', 'error', 'seeds/rates.csv', 4, 14],
      ['ETL413', 'error', 'seeds/rates.csv', 5, 1],
      ['ETL415', 'error', 'seeds/rates.csv', 6, 1],
      ['ETL412', 'error', 'seeds/regions.csv', 1, 8],
      ['ETL411', 'error', 'seeds/regions.csv', 1, 13],
      // The model reading the failed seed is a cascade of its errors, not an error of its own.
      ['ETL147', 'warning', 'seeds/rates.ts', 1, 1],
    ]);
    expect(r.diagnostics[1]!.message).toContain("'abc' in column rate is not a decimal");
    expect(r.diagnostics[1]!.frame).toContain('BBB,abc,false');
    expect(r.ok).toBe(false);
    expect(r.manifest.seeds ?? {}).toEqual({});
  });
});
