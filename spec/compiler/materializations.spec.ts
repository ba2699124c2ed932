/**
 * Golden Spark SQL for every materialization. The goldens under golden/materializations/ were
 * checked by hand once; a change in the emitted SQL fails here. After an intended change, review
 * the diff and rewrite them with `UPDATE_GOLDEN=1 npx vitest run spec/compiler/materializations.spec.ts`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompileResult, ManifestModel } from '../../compiler/index.js';
import { script } from '../../compiler/emit/spark-dialect.js';
import type { Location } from '../../compiler/plan/operations.js';
import { compileFixture, goldenDir } from './helpers.js';

const dir = path.join(goldenDir, 'materializations');

const locate = (l: Location) => (l.path.includes('://') ? l.path : `<${l.layer}>/${l.path}`);

/** A model's plan operations rendered by the Spark dialect, as one reviewable file (the layout of target/run/). */
function render(m: ManifestModel): string {
  const node = result.plan.nodes[m.id];
  if (m.materialized === 'ephemeral') return `-- ephemeral: no operations; inlined into its children as\n${m.compiledSql}\n`;
  if (node?.kind !== 'model') throw new Error(`${m.id} has no model node in the plan`);
  const parts = [`-- full refresh\n${script(node.full, locate)}`];
  if (node.incremental) parts.push(`-- incremental\n${script(node.incremental, locate)}`);
  if (node.post.length) parts.push(`-- after either\n${script(node.post, locate)}`);
  return parts.join('\n');
}

let result: CompileResult;
beforeAll(async () => {
  result = await compileFixture('materializations');
});

describe('materializations (fixture materializations)', () => {
  it('compiles without diagnostics', () => {
    expect(result.diagnostics).toEqual([]);
    expect(result.ok).toBe(true);
  });

  const cases: Array<[string, string]> = [
    ['orders_view', 'view (default materialization)'],
    ['orders_table', 'table with partition_by, location and tblproperties'],
    ['orders_append', 'incremental append (no unique_key)'],
    ['customers_merge', 'incremental merge on unique_key, with zorder_by OPTIMIZE after'],
    ['orders_overwrite', 'incremental insert_overwrite by partition_by'],
    ['active_customers', 'ephemeral'],
    ['dutch_customers', 'ephemeral on an ephemeral'],
    ['customer_revenue', 'ephemeral parent inlined as the WITH of a child without one'],
    ['dutch_revenue', 'two levels of ephemeral parents merged into a child with its own WITH; zorder on a table'],
  ];
  for (const [name, what] of cases) {
    it(`${name}: ${what}`, () => {
      const m = result.manifest.models[`model.${name}`];
      expect(m, name).toBeDefined();
      const actual = render(m!);
      const file = path.join(dir, `${name}.sql`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) {
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`Missing golden ${file}; run with UPDATE_GOLDEN=1 and review it`);
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, actual);
      }
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('config in the manifest: strategies, keys, partitioning, properties', () => {
    const cfg = (n: string) => result.manifest.models[`model.${n}`]!.config;
    expect(cfg('orders_view')).toEqual({});
    expect(cfg('orders_table')).toEqual({
      partition_by: ['order_date'],
      tblproperties: { 'delta.autoOptimize.optimizeWrite': 'true', 'delta.appendOnly': 'false' },
    });
    expect(cfg('orders_append')).toEqual({ incremental_strategy: 'append' });
    expect(cfg('customers_merge')).toEqual({ incremental_strategy: 'merge', unique_key: ['customer_id'], zorder_by: ['country', 'email'] });
    expect(cfg('orders_overwrite')).toEqual({ incremental_strategy: 'insert_overwrite', partition_by: ['order_date'] });
    expect(result.manifest.models['model.orders_table']!.relation).toEqual({
      database: 'silver',
      table: 'orders_table',
      fqn: 'silver.orders_table',
      location: 's3://custom-bucket/orders_table',
    });
  });

  it('ephemeral models have no relation, no plan node and no plan stage; children run after their real parents', () => {
    for (const n of ['active_customers', 'dutch_customers']) {
      const m = result.manifest.models[`model.${n}`]!;
      expect(m.relation).toBeUndefined();
      expect(result.plan.nodes[m.id]).toBeUndefined();
    }
    // In the plan, a child of ephemeral models waits for what they read.
    const deps = result.plan.nodes['model.customer_revenue']!.dependsOn;
    expect(deps).toContain('model.orders_table');
    expect(deps).toContain('model.customers_merge');
    expect(deps).not.toContain('model.active_customers');
    expect(result.plan.stages).toEqual([
      { models: ['model.customers_merge', 'model.orders_view'] },
      { models: ['model.orders_append', 'model.orders_overwrite', 'model.orders_table'] },
      { models: ['model.customer_revenue', 'model.dutch_revenue'] },
    ]);
    // Lineage still goes through the ephemeral model.
    expect(result.manifest.models['model.customer_revenue']!.dependsOn.models).toEqual(['model.active_customers', 'model.orders_table']);
  });
});
