/**
 * Issue 10, data tests: every column a test names is checked, each problem an error located in the
 * sidecar (inside an expression: at the column) or the singular test file. Compiled through
 * compileProject from a fixture project.
 */
import { describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { fixture } from './helpers.js';

const compile = () => compileProject({ projectDir: fixture('located-data-tests'), cache: false });

describe('data-test columns', () => {
  it('every unknown column, at its place', async () => {
    const r = await compile();
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => `${d.code} ${d.severity} ${d.file}:${d.line}:${d.column} ${d.message}`)).toEqual([
      "ETL183 error models/silver/stg_orders.yml:6:13 Test 'not_null' is on column 'discount', which model stg_orders does not select",
      "ETL183 error models/silver/stg_orders.yml:9:52 relationships field 'customer_key' is not a column of stg_customers",
      "ETL184 error models/silver/stg_orders.yml:12:9 accepted_values on column 'tags' of type array<string>: Spark cannot compare an array with IN",
      "ETL183 error models/silver/stg_orders.yml:14:47 unique_combination column 'order_dt' is not a column of model stg_orders",
      "ETL161 error models/silver/stg_orders.yml:15:48 Unknown column 'amout' (in the expression test of model stg_orders)",
      "ETL161 error tests/assert_no_negative.sql:3:7 Unknown column 'amont' (in test assert_no_negative)",
    ]);
  });

  it('hints name the columns to use', async () => {
    const hints = Object.fromEntries((await compile()).diagnostics.map((d) => [`${d.line}`, d.hint]));
    expect(hints['9']).toBe("Did you mean 'customer_id'?");
    expect(hints['14']).toBe("Did you mean 'order_id'?");
    expect(hints['6']).toBe('The model selects: order_id, customer_id, amount, tags.');
  });

  it('the valid tests of the model still compile', async () => {
    const r = await compile();
    expect(Object.keys(r.manifest.tests)).toEqual(['test.stg_orders.not_null.order_id']);
  });
});
