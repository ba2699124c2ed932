/**
 * The data tests of one table share one scan on a real Spark: one combined count for the six tests
 * of `orders_all`, then each failing test's own query (exact count and sample). Each test keeps its
 * own result, severity and thresholds; a failing error-severity test still stops what reads the model.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SparkEngine } from '../../runtime/engines/spark/engine.js';
import { failureFile } from '../../runtime/runner/test-step.js';
import { byId, fixture, meta } from './helpers.js';
import { sharedSpark, type SharedSpark } from './shared-spark.js';

let spark: SharedSpark | undefined;
let engine: SparkEngine;

beforeAll(async () => {
  spark = await sharedSpark();
  engine = spark.engine;
}, 400_000);

afterAll(async () => {
  await spark?.release();
});

const AT = '2026-01-05T06:00:00Z';
const order = (order_id: string | null, amount: string, status: string) => ({ ...meta(AT), order_id, customer_id: 'C1', amount, status, order_date: '2026-01-01', updated_at: AT });

describe('combined data tests', () => {
  it('counts six tests in one scan, runs only the failing ones alone, keeps each result', async () => {
    const project = fixture('combined-tests', 'combined');
    await project.land('source.shop.orders', '2026-01-05', [
      order('A', '10.00', 'new'),
      order('A', '1500.00', 'paid'),
      order('B', '20.00', 'weird'),
      order('B', '2000.00', 'paid'),
      order('B', '30.00', 'shipped'),
      order('C', '40.00', 'new'),
    ]);
    const { results } = await project.build(engine, { profile: true });
    const r = byId(results);
    const test = (name: string) => results.results.find((x) => x.id === `test.orders_all.${name}`)!;
    expect(r.get('model.orders_all')?.status).toBe('success');
    // Two values repeat (A twice, B three times): the exact count is the test's own, not the combined indicator (3).
    expect(test('unique.order_id')).toMatchObject({ status: 'fail', failures: 2 });
    expect(test('not_null.order_id')).toMatchObject({ status: 'pass', failures: 0 });
    expect(test('accepted_values.status')).toMatchObject({ status: 'warn', failures: 1 });
    // Two amounts above 1000 against error_if >=3: a warning, not a failure.
    expect(test('range.amount')).toMatchObject({ status: 'warn', failures: 2 });
    expect(test('expression.amount')).toMatchObject({ status: 'pass', failures: 0 });
    expect(test('row_count')).toMatchObject({ status: 'pass', failures: 0 });
    // The failing blocking test stops the model that reads orders_all.
    expect(r.get('model.after_all')).toMatchObject({ status: 'skipped', message: 'skipped: upstream test.orders_all.unique.order_id failed' });
    // Samples only for the tests with failing rows.
    for (const [name, kept] of [['unique.order_id', true], ['accepted_values.status', true], ['range.amount', true], ['not_null.order_id', false], ['expression.amount', false], ['row_count', false]] as const) {
      expect(existsSync(failureFile(project.dir, `test.orders_all.${name}`)), name).toBe(kept);
    }
    // One combined scan plus the three failing tests' own queries; nothing else was sent for tests.
    const sent = results.results.filter((x) => x.kind === 'test').flatMap((x) => x.profile?.statements ?? []).map((s) => s.statement);
    expect(sent.filter((s) => s.startsWith('SELECT *, count(*) OVER ()'))).toHaveLength(3);
    expect(sent.filter((s) => s === 'SELECT')).toHaveLength(1);
    expect(sent).toHaveLength(4);
  }, 300_000);
});
