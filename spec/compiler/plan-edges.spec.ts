/**
 * The edges plan.json carries, on the reference project compiled for real: what each node waits
 * for is decided here, once, and runners (local and EMR) execute it as it is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { PlanSchema } from '../../compiler/plan/plan-schema.js';
import { nodesToRun } from '../../runtime/runner/run-set.js';
import { repoRoot } from './helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileProject({ projectDir: repoRoot });
  expect(r.ok, JSON.stringify(r.diagnostics.filter((d) => d.severity === 'error'))).toBe(true);
});

const nodes = () => Object.values(r.plan.nodes);

describe('plan edges (reference project)', () => {
  it('the plan is valid by its own schema, and every edge names a node of the plan', () => {
    expect(PlanSchema.safeParse(JSON.parse(JSON.stringify(r.plan))).success).toBe(true);
    for (const n of nodes()) for (const d of n.dependsOn) expect(r.plan.nodes[d], `${n.id} -> ${d}`).toBeDefined();
  });

  it('a model waits for the sources it reads and its parents, through ephemeral models', () => {
    for (const n of nodes()) {
      if (n.kind !== 'model') continue;
      const m = r.manifest.models[n.id]!;
      for (const s of m.dependsOn.sources) expect(n.dependsOn, n.id).toContain(s);
      for (const p of m.dependsOn.models) if (r.plan.nodes[p]) expect(n.dependsOn, n.id).toContain(p);
    }
  });

  it("a model waits for its parents' blocking tests, never for a freshness test or a test reading the model itself", () => {
    let gates = 0;
    for (const n of nodes()) {
      if (n.kind !== 'model') continue;
      for (const d of n.dependsOn) {
        const t = r.plan.nodes[d]!;
        if (t.kind !== 'test') continue;
        gates++;
        expect(t.blocksDownstream, `${n.id} waits for ${t.id}`).toBe(true);
        expect(n.dependsOn, `${t.id} belongs to a parent of ${n.id}`).toContain(t.attachedTo);
        expect(t.dependsOn, `${t.id} must not read ${n.id}`).not.toContain(n.id);
      }
    }
    expect(gates).toBeGreaterThan(20);
    for (const n of nodes()) if (n.kind === 'test' && n.test.query.sql.includes('current_timestamp()')) expect(n.blocksDownstream, n.id).toBe(false);
  });

  it('a relationships test waits for both models it reads', () => {
    const rel = nodes().filter((n) => n.kind === 'test' && r.manifest.tests[n.id]!.test === 'relationships');
    expect(rel.length).toBeGreaterThan(0);
    for (const t of rel) expect(t.dependsOn.filter((d) => d.startsWith('model.')).length, t.id).toBeGreaterThanOrEqual(2);
  });

  it('a run keeps the plan edges among the nodes it runs and drops the rest', () => {
    const run = nodesToRun(r.plan, ['model.fct_orders'], { command: 'build' });
    const ids = new Set(run.map((n) => n.node.id));
    expect(ids.has('model.fct_orders')).toBe(true);
    expect(ids.has('model.stg_customer_orders')).toBe(false);
    for (const n of run) for (const p of n.parents) expect(ids.has(p), `${n.node.id} -> ${p}`).toBe(true);
    const fct = run.find((n) => n.node.id === 'model.fct_orders')!;
    expect(fct.parents).toEqual([]);
    const test = nodesToRun(r.plan, ['model.fct_orders'], { command: 'test', unitTests: false });
    expect(test.some((n) => n.node.kind === 'model')).toBe(false);
    expect(test.filter((n) => n.node.kind === 'test').length).toBeGreaterThan(0);
  });
});
