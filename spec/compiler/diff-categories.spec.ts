/**
 * `etl diff` in process: two versions of a small project (diff-base, then diff-base with an overlay
 * or an edit) compiled for real, compared with diffManifests. Categories, changes and the exact
 * downstream columns, tests and exposures, including a change nothing reads (no impact) and a
 * reference compiled for another target (no change at all).
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffManifests } from '../../compiler/diff/diff-manifests.js';
import { DiffReportSchema } from '../../compiler/diff/report-schema.js';
import { compileDir, fixtureCopy, overlay, removeCopies, twoVersions } from './diff-helpers.js';

afterAll(removeCopies);

const none = { models: [], columns: [], tests: [], exposures: [] };
const cols = (model: string, names: string[]) => names.map((column) => ({ model: `model.${model}`, column }));

describe('etl diff: change categories and column-level impact', () => {
  it('a silver rename and retype are breaking with their exact readers; an unread retype and a gold column added impact nothing', async () => {
    const { reference, current } = await twoVersions(overlay('diff-branch'));
    expect(reference.diagnostics).toEqual([]);
    expect(current.diagnostics).toEqual([]);
    const report = DiffReportSchema.parse(diffManifests(reference.manifest, current.manifest));
    expect(report.models).toEqual([
      {
        id: 'model.fct_orders',
        name: 'fct_orders',
        status: 'modified',
        category: 'non-breaking',
        // It also follows the rename (o.ordered_on AS order_date) and casts amount back: its own
        // columns keep their names, types and lineage, so only the addition is a change.
        changes: [{ kind: 'column_added', column: 'status', detail: 'status added (string)' }],
        changedColumns: [],
        impact: none,
      },
      {
        id: 'model.stg_customers',
        name: 'stg_customers',
        status: 'modified',
        category: 'breaking',
        changes: [{ kind: 'column_retyped', column: 'signup_source', from: 'string', to: 'int', detail: 'signup_source: string -> int' }],
        changedColumns: ['signup_source'],
        impact: none,
      },
      {
        id: 'model.stg_orders',
        name: 'stg_orders',
        status: 'modified',
        category: 'breaking',
        changes: [
          { kind: 'column_renamed', column: 'ordered_on', from: 'order_date', to: 'ordered_on', detail: 'order_date -> ordered_on' },
          { kind: 'column_retyped', column: 'amount', from: 'decimal(18,2)', to: 'double', detail: 'amount: decimal(18,2) -> double' },
        ],
        changedColumns: ['amount', 'order_date', 'ordered_on'],
        impact: {
          models: ['model.fct_orders', 'model.mart_revenue'],
          // fct_orders.order_date reads the renamed column; mart_revenue groups by it, so every
          // mart column is impacted; fct_orders.region and order_id read neither.
          columns: [...cols('fct_orders', ['amount', 'order_date']), ...cols('mart_revenue', ['order_date', 'orders', 'region', 'revenue'])],
          tests: ['test.fct_orders.not_null.amount', 'test.mart_revenue.not_null.revenue'],
          exposures: ['exposure.revenue_dashboard'],
        },
      },
    ]);
    expect(report.summary).toEqual({ breaking: 2, nonBreaking: 1, impactedColumns: 6, impactedExposures: 1 });
  });

  it('filter, logic, description and test changes: rows changed reach every column of the readers', async () => {
    const { current, reference } = await twoVersions(overlay('diff-rows-branch'));
    expect(current.diagnostics).toEqual([]);
    const report = diffManifests(reference.manifest, current.manifest);
    const brief = report.models.map((m) => [m.name, m.category, m.changes.map((c) => c.kind)]);
    expect(brief).toEqual([
      ['dim_customers', 'breaking', ['logic_changed']],
      ['fct_orders', 'non-breaking', ['tests_changed']],
      ['mart_revenue', 'non-breaking', ['description_changed', 'description_changed']],
      ['stg_orders', 'breaking', ['filter_changed']],
    ]);
    const byName = new Map(report.models.map((m) => [m.name, m]));
    expect(byName.get('stg_orders')!.changes[0]!.detail).toBe('filter columns: source.shop.orders.status -> source.shop.orders.amount, source.shop.orders.status');
    expect(byName.get('stg_orders')!.impact).toEqual({
      models: ['model.fct_orders', 'model.mart_revenue'],
      // customer_id is fct_orders' join key: its rows change, so region (from stg_customers) too.
      columns: [...cols('fct_orders', ['amount', 'customer_id', 'order_date', 'order_id', 'region']), ...cols('mart_revenue', ['order_date', 'orders', 'region', 'revenue'])],
      tests: [
        'test.fct_orders.not_null.amount',
        'test.fct_orders.not_null.order_date',
        'test.fct_orders.not_null.order_id',
        'test.fct_orders.not_null.region',
        'test.fct_orders.unique.order_id',
        'test.mart_revenue.not_null.revenue',
      ],
      exposures: ['exposure.revenue_dashboard'],
    });
    expect(byName.get('dim_customers')!.impact).toEqual({
      models: [],
      columns: [],
      tests: ['test.dim_customers.not_null.customer_id', 'test.dim_customers.unique.customer_id'],
      exposures: ['exposure.customer_list'],
    });
    expect(byName.get('mart_revenue')!.impact).toEqual(none);
    expect(byName.get('fct_orders')!.impact).toEqual(none);
  });

  it('a NOT NULL added is non-breaking and impacts nothing (not even an exposure reading the whole model); a column fed from another column is breaking', async () => {
    const write = (dir: string, file: string, text: string) => writeFile(path.join(dir, file), text);
    const wholeModel = "import { defineExposure } from 'lakehouse-etl';\n\nexport default defineExposure({ name: 'orders_app', type: 'application', tool: 'other', owner: { name: 'Ops', email: 'ops@example.com' }, depends: [{ ref: 'fct_orders' }] });\n";
    const { current, reference } = await twoVersions(
      async (dir) => {
        await write(dir, 'models/silver/stg_customers.sql', "SELECT customer_id, email, coalesce(region, 'unknown') AS region, signup_source\nFROM {{source \"shop\" \"customers\"}}\n");
        await write(dir, 'models/gold/dim_customers.sql', 'SELECT customer_id, email, signup_source AS region\nFROM {{ref "stg_customers"}}\n');
      },
      (dir) => write(dir, 'exposures/orders_app.ts', `// @ts-nocheck: fixture\n${wholeModel}`),
    );
    expect(current.diagnostics).toEqual([]);
    const report = diffManifests(reference.manifest, current.manifest);
    expect(report.models.map((m) => [m.name, m.category, m.changes, m.impact])).toEqual([
      [
        'dim_customers',
        'breaking',
        [{ kind: 'column_lineage_changed', column: 'region', from: 'model.stg_customers.region', to: 'model.stg_customers.signup_source', detail: 'region now derives from model.stg_customers.signup_source (was model.stg_customers.region)' }],
        // Nothing reads dim_customers.region: not the customer_list exposure, no test.
        none,
      ],
      // The guarantee flows down the lineage: readers' region columns are NOT NULL now too.
      ['fct_orders', 'non-breaking', [{ kind: 'nullability_narrowed', column: 'region', from: 'string', to: 'string not null', detail: 'region is now not null' }], none],
      ['mart_revenue', 'non-breaking', [{ kind: 'nullability_narrowed', column: 'region', from: 'string', to: 'string not null', detail: 'region is now not null' }], none],
      [
        'stg_customers',
        'non-breaking',
        [{ kind: 'nullability_narrowed', column: 'region', from: 'string', to: 'string not null', detail: 'region is now not null' }],
        none,
      ],
    ]);
    expect(reference.manifest.exposures['exposure.orders_app']!.depends).toEqual([{ model: 'model.fct_orders', columns: [] }]);
  });

  it('an exposure reading a whole model is impacted by any change reaching it', async () => {
    const wholeModel = "// @ts-nocheck: fixture\nimport { defineExposure } from 'lakehouse-etl';\n\nexport default defineExposure({ name: 'orders_app', type: 'application', tool: 'other', owner: { name: 'Ops', email: 'ops@example.com' }, depends: [{ ref: 'fct_orders' }] });\n";
    const { current, reference } = await twoVersions(overlay('diff-branch'), (dir) => writeFile(path.join(dir, 'exposures/orders_app.ts'), wholeModel));
    const report = diffManifests(reference.manifest, current.manifest);
    const byName = new Map(report.models.map((m) => [m.name, m.impact.exposures]));
    expect(Object.fromEntries(byName)).toEqual({ fct_orders: [], stg_customers: [], stg_orders: ['exposure.orders_app', 'exposure.revenue_dashboard'] });
  });

  it('SQL edited only to follow a parent\'s rename is non-breaking; a logic edit beside a parent\'s filter change is not excused', async () => {
    const fct = (columns: string) => `SELECT ${columns}\nFROM {{ref "stg_orders"}} AS o\nJOIN {{ref "stg_customers"}} AS c ON o.customer_id = c.customer_id\n`;
    const follows = await twoVersions(async (dir) => {
      await overlay('diff-branch')(dir);
      await writeFile(path.join(dir, 'models/gold/fct_orders.sql'), fct('o.order_id, o.customer_id, c.region, CAST(o.amount AS decimal(18,2)) AS amount, o.ordered_on AS order_date'));
    });
    const fctFollows = diffManifests(follows.reference.manifest, follows.current.manifest).models.find((m) => m.name === 'fct_orders')!;
    expect([fctFollows.category, fctFollows.changes, fctFollows.impact]).toEqual(['non-breaking', [{ kind: 'follows_upstream', detail: 'SQL changed to follow a change of stg_orders.amount' }], none]);

    const logic = await twoVersions(async (dir) => {
      await overlay('diff-rows-branch')(dir);
      await writeFile(path.join(dir, 'models/gold/fct_orders.sql'), fct('o.order_id, o.customer_id, upper(c.region) AS region, o.amount, o.order_date'));
    });
    const fctLogic = diffManifests(logic.reference.manifest, logic.current.manifest).models.find((m) => m.name === 'fct_orders')!;
    expect([fctLogic.category, fctLogic.changes.map((c) => c.kind)]).toEqual(['breaking', ['tests_changed', 'logic_changed']]);
    expect(fctLogic.impact.exposures).toEqual(['exposure.revenue_dashboard']);
  });

  it('a removed model is breaking for what read it; a new model is not', async () => {
    const { current, reference } = await twoVersions(async (dir) => {
      for (const f of ['models/gold/dim_customers.sql', 'models/gold/dim_customers.yml', 'exposures/customers.ts']) await rm(path.join(dir, f));
      await writeFile(path.join(dir, 'models/gold/dim_regions.sql'), 'SELECT DISTINCT region FROM {{ref "stg_customers"}}\n');
    });
    expect(current.diagnostics).toEqual([]);
    const report = diffManifests(reference.manifest, current.manifest);
    expect(report.models.map((m) => [m.id, m.status, m.category, m.changedColumns, m.impact])).toEqual([
      [
        'model.dim_customers',
        'removed',
        'breaking',
        ['customer_id', 'email', 'region'],
        { models: [], columns: [], tests: ['test.dim_customers.not_null.customer_id', 'test.dim_customers.unique.customer_id'], exposures: ['exposure.customer_list'] },
      ],
      ['model.dim_regions', 'new', 'non-breaking', [], none],
    ]);
  });

  it('a reference compiled for another target (other databases and warehouse root) with nothing changed: empty', async () => {
    const prod = await fixtureCopy(['diff-other-target']);
    const reference = await compileDir(prod);
    expect(reference.diagnostics).toEqual([]);
    expect(reference.manifest.target.name).toBe('prod');
    expect(reference.manifest.models['model.fct_orders']!.relation!.fqn).toBe('analytics_prod.fct_orders');
    const current = await compileDir(await fixtureCopy());
    expect(current.manifest.models['model.fct_orders']!.relation!.fqn).toBe('gold.fct_orders');
    const report = diffManifests(reference.manifest, current.manifest);
    expect(report.models).toEqual([]);
    expect(report.summary).toEqual({ breaking: 0, nonBreaking: 0, impactedColumns: 0, impactedExposures: 0 });
  });
});
