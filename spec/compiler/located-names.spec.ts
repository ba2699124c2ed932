/**
 * Issue 10, names: model, source and column names are valid unquoted Spark identifiers and unique
 * ignoring case (Spark and Glue resolve names case-insensitively), each problem a located error
 * naming the rename to make. Compiled through compileProject from a fixture project.
 */
import { describe, expect, it } from 'vitest';
import { compileProject, type Diagnostic } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const compile = () => compileProject({ projectDir: fixture('located-names'), cache: false });
const find = (ds: Diagnostic[], code: string, file: string) => ds.filter((d) => d.code === code && d.file === file);

describe('names', () => {
  it('every name problem, and nothing else', async () => {
    const r = await compile();
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.column}`).sort()).toEqual([
      'ETL119 error sources/shop.ts:22:9',
      'ETL119 error sources/shop.ts:30:9',
      'ETL155 error models/gold/DIM_PRODUCT.sql:1:1',
      'ETL190 error models/silver/order items.sql:1:1',
    ]);
  });

  it('ETL190 a model file name with a space, with the rename to make', async () => {
    const [d] = find((await compile()).diagnostics, 'ETL190', 'models/silver/order items.sql');
    expect(d!.message).toBe("Model file models/silver/order items.sql: 'order items' is not a valid name: use letters, digits and _, not starting with a digit");
    expect(d!.hint).toContain('rename the file, e.g. to order_items.sql');
  });

  it('ETL155 two models differing only in case: the one not in lower case is reported, with a free name', async () => {
    const [d] = find((await compile()).diagnostics, 'ETL155', 'models/gold/DIM_PRODUCT.sql');
    expect(d!.message).toBe("Models 'dim_product' and 'DIM_PRODUCT' differ only in case (models/silver/dim_product.sql and models/gold/DIM_PRODUCT.sql): Spark and Glue see one table name");
    expect(d!.hint).toContain('rename models/gold/DIM_PRODUCT.sql to models/gold/dim_product_gold.sql');
    expect(d!.related).toEqual([{ file: 'models/silver/dim_product.sql', line: 1, column: 1, message: 'first defined here' }]);
  });

  it('ETL119 a column declared twice in a source: error at the second declaration, the first related', async () => {
    const r = await compile();
    const d = r.diagnostics.find((x) => x.code === 'ETL119' && x.line === 22)!;
    expect(d.message).toBe("Column 'order_id' of shop.orders is declared twice: the second declaration replaces the first");
    expect(d.related).toEqual([{ file: 'sources/shop.ts', line: 18, column: 9, message: "'order_id' first declared here" }]);
    expect(d.frame).toContain('> 22 |         order_id: t.string(),\n     |         ^');
  });

  it('ETL119 two source columns differing only in case: an error at the second, one column kept (no cascade in SELECT *)', async () => {
    const r = await compile();
    const d = r.diagnostics.find((x) => x.code === 'ETL119' && x.line === 30)!;
    expect(d.message).toBe("Columns 'email' and 'Email' of shop.customers differ only in case: Spark and Glue resolve names case-insensitively, so they are one column");
    expect(d.related).toEqual([{ file: 'sources/shop.ts', line: 29, column: 9, message: "'email' first declared here" }]);
    expect(r.manifest.sources['source.shop.customers']?.columns.map((c) => c.name)).toEqual(['customer_id', 'email']);
    expect(r.diagnostics.some((x) => x.file === 'models/silver/stg_customers.sql')).toBe(false);
  });
});
