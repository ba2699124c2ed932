/**
 * The data tests of one table in one scan. Tests that carry a check (compiler/tests/test-checks.ts)
 * and read the same table are run as one node of the run's DAG: one CombinedDataTests operation
 * counts every test's failures, each test keeps its own result, severity and thresholds, and only a
 * test that found failing rows runs its own query (the exact count and the failing-row sample). A
 * combined scan Spark rejects (e.g. an expression with an aggregate) falls back to each test's own
 * query, so an error is reported against the test that caused it.
 */
import { combineDataTests, relationName } from '../../compiler/plan/operations.js';
import type { TestNode } from '../../compiler/manifest/types.js';
import type { EngineSession } from '../engines/engine.js';
import { errorResult } from './node-error.js';
import type { NodeResult } from './results.js';
import type { RunNode } from './run-set.js';
import { passedDataTest, runDataTest, testNodeResult } from './test-step.js';

/** A node of the run's DAG: a plan node, or the tests of one table run together. */
export type DagItem = RunNode & { id: string; group?: TestNode[] };

export const groupId = (members: TestNode[]) => `tests:${members[0]!.attachedTo}`;

/** Groups the run's combinable tests by the node they belong to and the table they read; edges to a member point at its group. */
export function groupTests(nodes: RunNode[]): DagItem[] {
  const byTable = new Map<string, TestNode[]>();
  for (const { node } of nodes) {
    if (node.kind !== 'test' || !node.check) continue;
    const key = `${node.attachedTo}\u0000${relationName(node.check.relation)}`;
    (byTable.get(key) ?? byTable.set(key, []).get(key)!).push(node);
  }
  const groupOf = new Map<string, string>();
  const groups = [...byTable.values()].filter((g) => g.length > 1);
  for (const g of groups) for (const t of g) groupOf.set(t.id, groupId(g));
  const items: DagItem[] = [];
  const parentsOf = new Map(nodes.map((n) => [n.node.id, n.parents]));
  const redirect = (parents: string[]) => [...new Set(parents.map((p) => groupOf.get(p) ?? p))];
  for (const n of nodes) if (!groupOf.has(n.node.id)) items.push({ ...n, id: n.node.id, parents: redirect(n.parents) });
  for (const g of groups) items.push({ node: g[0]!, id: groupId(g), group: g, parents: redirect([...new Set(g.flatMap((t) => parentsOf.get(t.id) ?? []))]) });
  return items;
}

/** Runs the tests of one table: one combined count, then each failing test's own query. */
export async function runTestGroup(session: EngineSession, members: TestNode[], projectDir: string): Promise<NodeResult[]> {
  const t0 = Date.now();
  let counts: number[] | undefined;
  if (session.countFailures) {
    const relation = members[0]!.check!.relation;
    try {
      counts = await session.countFailures(combineDataTests(relation, members.map((m) => ({ id: m.id, check: m.check! }))));
    } catch {
      counts = undefined; // each test's own query says which one Spark rejects, and where
    }
  }
  const shared = Math.round((Date.now() - t0) / members.length);
  const results: NodeResult[] = [];
  for (const [i, node] of members.entries()) {
    const started = Date.now();
    try {
      const r = counts?.[i] === 0 ? passedDataTest(node, projectDir) : await runDataTest(session, node, projectDir);
      results.push(testNodeResult(node, r, started, shared + Date.now() - started));
    } catch (e) {
      results.push(errorResult(e, node.id, node.kind, node.name, started, node.file, projectDir));
    }
  }
  return results;
}
