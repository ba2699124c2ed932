/**
 * What a build runs on the cluster, one step each, and what each step waits for, read from
 * plan.json as the compiler wrote it (no graph is re-derived here):
 * - a model step for every selected model node, in the plan's stage order;
 * - a source step for every source node a selected model depends on that has tests (freshness,
 *   not_null...), run before the models as the local build does.
 * A step waits for the nodes its plan node depends on, restricted to this build's steps. A test
 * runs inside the step of the node it is attached to, and that step fails when a blocking test
 * fails, so an edge to a test becomes an edge to its node's step.
 */
import type { Plan } from '../../compiler/manifest/types.js';
import type { ModelNode, PlanNode, SourceNode, TestNode } from '../../compiler/plan/plan-schema.js';
import { AwsTargetError } from './errors.js';

export interface BuildNode {
  /** Model or source node id. */
  id: string;
  kind: 'model' | 'source';
  /** Model name (its id without `model.`), or the bronze table's name. */
  name: string;
  /** `database.table` the node is about, for messages. */
  relation: string;
  node: ModelNode | SourceNode;
  /** Node ids of this build whose success this node needs. */
  requires: string[];
  /** Tests run right after the node, in its step. */
  tests: TestNode[];
}

function planNode(plan: Plan, id: string): PlanNode {
  const node = plan.nodes[id];
  if (!node) throw new AwsTargetError('EMR_PLAN_MISMATCH', `plan.json names ${id} but has no node for it`, 'run etl compile again so target/ comes from one compile');
  return node;
}

/** Tests by the node they are attached to, in id order (plan.json's key order). */
function testsByNode(plan: Plan): Map<string, TestNode[]> {
  const out = new Map<string, TestNode[]>();
  for (const node of Object.values(plan.nodes)) {
    if (node.kind === 'test') (out.get(node.attachedTo) ?? out.set(node.attachedTo, []).get(node.attachedTo)!).push(node);
  }
  return out;
}

/** A step's requirements: its plan edges, with tests replaced by their node's step, inside the build. */
function requiredSteps(node: ModelNode, plan: Plan, inBuild: Set<string>): string[] {
  const out = new Set<string>();
  for (const dep of node.dependsOn) {
    const target = planNode(plan, dep);
    const step = target.kind === 'test' ? target.attachedTo : dep;
    // Parents outside the selection are read as they are, as in the local build.
    if (step !== node.id && inBuild.has(step)) out.add(step);
  }
  return [...out].sort();
}

/** `only`: model ids to run (default: every model node of the plan). */
export function buildNodes(plan: Plan, only?: string[]): BuildNode[] {
  const wanted = only ? new Set(only) : undefined;
  const ordered = plan.stages.flatMap((s) => s.models).filter((id) => !wanted || wanted.has(id));
  const models = ordered.map((id) => {
    const node = planNode(plan, id);
    if (node.kind !== 'model') throw new AwsTargetError('EMR_PLAN_MISMATCH', `plan.json stages name ${id}, which is a ${node.kind} node, not a model`);
    return node;
  });
  const tests = testsByNode(plan);
  const sourceIds = [...new Set(models.flatMap((m) => m.dependsOn))].filter((id) => planNode(plan, id).kind === 'source' && tests.has(id)).sort();
  const inBuild = new Set([...sourceIds, ...ordered]);

  const sourceSteps: BuildNode[] = sourceIds.map((id) => {
    const node = planNode(plan, id) as SourceNode;
    return { id, kind: 'source', name: node.name.slice(node.name.indexOf('.') + 1), relation: node.name, node, requires: [], tests: tests.get(id)! };
  });
  const modelSteps: BuildNode[] = models.map((node) => ({
    id: node.id,
    kind: 'model',
    name: node.id.startsWith('model.') ? node.id.slice('model.'.length) : node.id,
    relation: node.name,
    node,
    requires: requiredSteps(node, plan, inBuild),
    tests: tests.get(node.id) ?? [],
  }));
  return [...sourceSteps, ...modelSteps];
}
