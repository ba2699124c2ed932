/**
 * The incremental compile session: after each edit its diagnostics are exactly those of a fresh
 * compileProject of the same files, and a model edit is applied in place (only that model and
 * the models reading it re-analysed, their manifest entries equal too), while a change of what a model reads or of a source
 * compiles in full.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { CompileSession } from '../../compiler/session/session.js';
import { copyFixture, type ProjectCopy } from './helpers.js';

let project: ProjectCopy;
let session: CompileSession;

beforeAll(async () => {
  project = copyFixture('shop');
  session = await CompileSession.open({ projectDir: project.dir, cache: false });
}, 60_000);
afterAll(() => project.remove());

const where = (ds: Array<{ code: string; file?: string; line?: number; column?: number }>) => ds.map((d) => [d.code, d.file, d.line, d.column]);

/** Applies an edit through the session and checks it against a full compile of the same files. */
async function edit(file: string, from: string, to: string) {
  project.edit(file, from, to);
  const update = await session.update([file]);
  const full = await compileProject({ projectDir: project.dir, cache: false });
  expect(update.diagnostics).toEqual(full.diagnostics);
  // The models themselves too: columns, types, lineage to the sources, compiled SQL.
  expect(Object.fromEntries(session.compiled!.models)).toEqual(full.manifest.models);
  return update;
}

describe('compile session', () => {
  it('starts clean, as the project compiles', () => {
    expect(session.diagnostics).toEqual([]);
    expect([...session.compiled!.models.keys()].sort()).toEqual(['model.big_orders', 'model.fct_orders', 'model.stg_orders']);
  });

  it('an unknown column in a model: that model alone re-analysed, the error at its place', async () => {
    const u = await edit('models/gold/fct_orders.sql', '  sum(amount) AS revenue', '  sum(amount) AS revenue,\n  max(shipped_at) AS last_ship');
    expect(u.kind).toBe('incremental');
    expect(u.reanalysed).toEqual(['model.fct_orders']);
    expect(where(u.diagnostics)).toEqual([['ETL161', 'models/gold/fct_orders.sql', 6, 7]]);
  });

  it('fixed again: clean', async () => {
    const u = await edit('models/gold/fct_orders.sql', ',\n  max(shipped_at) AS last_ship', '');
    expect(u.kind).toBe('incremental');
    expect(u.diagnostics).toEqual([]);
  });

  it('a column dropped upstream: its readers (SQL and TypeScript) re-checked', async () => {
    const u = await edit('models/silver/stg_orders.sql', '  amount,\n', '');
    expect(u.kind).toBe('incremental');
    expect(u.reanalysed).toEqual(['model.stg_orders', 'model.big_orders', 'model.fct_orders']);
    expect(where(u.diagnostics)).toEqual([
      ['ETL161', 'models/gold/big_orders.ts', 6, 18],
      ['ETL161', 'models/gold/fct_orders.sql', 5, 7],
    ]);
    await edit('models/silver/stg_orders.sql', '  quantity,\n', '  amount,\n  quantity,\n');
    expect(session.diagnostics).toEqual([]);
  });

  it('a sidecar test on a column the model does not select', async () => {
    const u = await edit('models/silver/stg_orders.yml', 'columns:\n', 'columns:\n  status:\n    tests: [not_null]\n');
    expect(u.kind).toBe('incremental');
    expect(where(u.diagnostics)).toEqual([['ETL183', 'models/silver/stg_orders.yml', 4, 13]]);
    await edit('models/silver/stg_orders.yml', '  status:\n    tests: [not_null]\n', '');
  });

  it('a new ref: the graph again, the model re-analysed in place; a ref making a cycle compiles in full', async () => {
    const u = await edit('models/gold/big_orders.ts', "FROM ${ref('stg_orders' as never)}", "FROM ${ref('stg_orders' as never)} JOIN ${ref('fct_orders' as never)} f USING (customer_id)");
    expect(u.kind).toBe('incremental');
    expect(u.reanalysed).toEqual(['model.big_orders']);
    expect(session.compiled!.models.get('model.big_orders')!.dependsOn.models).toEqual(['model.fct_orders', 'model.stg_orders']);
    await edit('models/gold/big_orders.ts', " JOIN ${ref('fct_orders' as never)} f USING (customer_id)", '');
    expect(session.diagnostics).toEqual([]);
    const cycle = await edit('models/silver/stg_orders.sql', 'WHERE is_active', "WHERE is_active AND order_id NOT IN (SELECT order_id FROM {{ ref 'big_orders' }})");
    expect(cycle.kind).toBe('full');
    expect(where(cycle.diagnostics)[0]).toEqual(['ETL156', 'models/gold/big_orders.ts', 7, 8]);
    await edit('models/silver/stg_orders.sql', " AND order_id NOT IN (SELECT order_id FROM {{ ref 'big_orders' }})", '');
    expect(session.diagnostics).toEqual([]);
  });

  it('a source declaration edit compiles in full', async () => {
    const u = await edit('sources/shop.ts', '        quantity: t.int().notNull(),\n', '');
    expect(u.kind).toBe('full');
    expect(u.diagnostics.some((d) => d.code === 'ETL161' && d.file === 'models/silver/stg_orders.sql' && d.line === 6 && d.column === 3)).toBe(true);
  });
});
