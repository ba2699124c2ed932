/**
 * Failing-row samples land in target/test-failures/ and CI logs: values of classified columns
 * (PII, sensitive, restricted) a test reads are masked. The plan says which, per test.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { maskClassified } from '../../runtime/runner/test-step.js';
import { repoRoot } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileProject({ projectDir: repoRoot });
});

const maskOf = (id: string) => {
  const node = r.plan.nodes[id];
  if (node?.kind !== 'test') throw new Error(`${id} is not a test node`);
  return node.test.maskColumns;
};

describe('failing-row samples mask classified columns', () => {
  it("a test on a model masks the model's classified columns, and only those", () => {
    const mask = maskOf('test.stg_customer_orders.email.customer_email');
    expect(mask).toContain('customer_email');
    const classified = r.manifest.models['model.stg_customer_orders']!.columns.filter((c) => c.classification.length).map((c) => c.name.toLowerCase());
    expect(mask).toEqual(expect.arrayContaining(classified));
    expect(mask).not.toContain('order_status');
  });

  it('a relationships test masks the classified columns of both models it reads', () => {
    const rel = Object.values(r.manifest.tests).find((t) => t.test === 'relationships' && t.dependsOn.models.length > 1)!;
    const mask = maskOf(rel.id);
    for (const m of rel.dependsOn.models) for (const c of r.manifest.models[m]!.columns) if (c.classification.length) expect(mask, `${rel.id} ${c.name}`).toContain(c.name.toLowerCase());
  });

  it('masking replaces values (case-insensitively by name), keeps NULLs and other columns', () => {
    const rows = [{ ORDER_ID: 'A', Customer_Email: 'a@b.c', amount: 3 }, { ORDER_ID: 'B', Customer_Email: null, amount: 4 }];
    expect(maskClassified(rows, ['customer_email', 'amount'])).toEqual([
      { ORDER_ID: 'A', Customer_Email: '***', amount: '***' },
      { ORDER_ID: 'B', Customer_Email: null, amount: '***' },
    ]);
  });
});
