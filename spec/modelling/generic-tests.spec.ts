/**
 * User-defined generic tests (tests/generic/: a Handlebars SQL file with an args block, or a
 * TypeScript defineTest) compiled through the real input path: used by name from sidecar YAML and
 * from TypeScript models with severity and thresholds, and every argument problem located at the use.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';

const fixture = (name: string) => path.join(fileURLToPath(new URL('./fixtures/', import.meta.url)), name);
const compile = (name: string): Promise<CompileResult> => compileProject({ projectDir: fixture(name), cache: false });

describe('user-defined generic tests', () => {
  it('compiles a SQL test and a TypeScript test used from YAML and a TypeScript model, with severity and thresholds', async () => {
    const r = await compile('generic-tests');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const t = (id: string) => r.manifest.tests[id]!;
    expect(Object.keys(r.manifest.tests).sort()).toEqual(['test.stg_customers.in_codes.country', 'test.stg_orders.at_most.amount', 'test.stg_orders.in_codes.customer_id']);

    const atMost = t('test.stg_orders.at_most.amount');
    expect([atMost.test, atMost.severity, atMost.warnIf, atMost.errorIf, atMost.args]).toEqual(['at_most', 'warn', '>2', '>0', { max: 1000 }]);
    expect(atMost.sql).toBe('SELECT t.*\nFROM silver.stg_orders AS t\nWHERE `amount` > 1000');
    expect(atMost.file).toBe('models/silver/stg_orders.yml');

    const fromYaml = t('test.stg_orders.in_codes.customer_id');
    expect([fromYaml.severity, fromYaml.sql]).toEqual(['error', "SELECT * FROM silver.stg_orders WHERE `customer_id` IS NOT NULL AND `customer_id` NOT IN ('c1', 'c2')"]);

    const fromTs = t('test.stg_customers.in_codes.country');
    expect([fromTs.severity, fromTs.file, fromTs.sql]).toEqual(['warn', 'models/silver/stg_customers.ts', "SELECT * FROM silver.stg_customers WHERE `country` IS NOT NULL AND upper(`country`) NOT IN ('DE', 'FR')"]);

    // A user test runs as its own query (no combined scan), with the parsed thresholds.
    const node = r.plan.nodes['test.stg_orders.at_most.amount']!;
    expect(node.kind === 'test' ? [node.check, node.test.severity, node.test.warnIf, node.test.errorIf] : undefined).toEqual([undefined, 'warn', { op: '>', value: 2 }, { op: '>', value: 0 }]);
  });

  it('locates missing, unknown and wrongly typed arguments at the use, in YAML and TypeScript', async () => {
    const r = await compile('generic-tests-bad');
    expect(r.diagnostics.map((d) => [d.code, d.file, d.line, d.column])).toEqual([
      ['ETL420', 'models/silver/stg_customers.ts', 7, 11],
      ['ETL420', 'models/silver/stg_orders.yml', 4, 9],
      ['ETL422', 'models/silver/stg_orders.yml', 5, 25],
      ['ETL421', 'models/silver/stg_orders.yml', 6, 38],
      ['ETL423', 'models/silver/stg_orders.yml', 7, 32],
      ['ETL422', 'models/silver/stg_orders.yml', 10, 28],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(r.diagnostics[3]!.message).toBe("Test 'at_most' has no argument 'maximum' (model stg_orders)");
    expect(r.diagnostics[3]!.hint).toContain('max');
    expect(r.diagnostics[4]!.hint).toContain('amount');
    expect(r.diagnostics[2]!.message).toBe('Argument \'max\' of test \'at_most\' must be a number, not string ("1000") (model stg_orders)');
  });
});
