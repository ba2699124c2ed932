/**
 * The step spec: what the EMR driver (driver/etl_driver.py) executes for one step, cut from
 * plan.json as it is. It carries the plan node's operations (data, not SQL: the driver renders
 * them itself), the DataTest operations of the node's tests with their structured thresholds,
 * and the layer roots that resolve the operations' Locations on the target. The driver validates
 * the same shape on read; bump STEP_SPEC_VERSION with any change of it.
 */
import { z } from 'zod';
import type { TargetSettings } from '../../compiler/manifest/types.js';
import { DataTestSchema, LocationSchema, OperationSchema, RelationSchema } from '../../compiler/plan/operations.js';
import type { Location } from '../../compiler/plan/operations.js';
import type { ModelNode, SourceNode, TestNode } from '../../compiler/plan/plan-schema.js';

export const STEP_SPEC_VERSION = 2 as const;

export const LayerRootsSchema = z.object({ bronze: z.string().min(1), silver: z.string().min(1), gold: z.string().min(1) }).strict();
export type LayerRoots = z.infer<typeof LayerRootsSchema>;

export const StepTestSchema = z
  .object({
    id: z.string().min(1),
    name: z.string(),
    /** False for freshness: a failure is reported but does not fail the step. */
    blocksDownstream: z.boolean(),
    test: DataTestSchema,
  })
  .strict();
export type StepTest = z.infer<typeof StepTestSchema>;

export const StepSpecSchema = z
  .object({
    specVersion: z.literal(STEP_SPEC_VERSION),
    buildId: z.string().min(1),
    kind: z.enum(['model', 'source']),
    /** Plan node id. */
    id: z.string().min(1),
    name: z.string(),
    layerRoots: LayerRootsSchema,
    /** Models only: how the node is stored. */
    materialized: z.enum(['view', 'table', 'incremental', 'snapshot']).nullable(),
    relation: RelationSchema,
    /** Delta tables only: where table state and rows written are read. */
    location: LocationSchema.nullable(),
    /** A model's `full` operations; a source's operations (registering its bronze table). */
    full: z.array(OperationSchema),
    incremental: z.array(OperationSchema).nullable(),
    post: z.array(OperationSchema),
    tests: z.array(StepTestSchema),
  })
  .strict();
export type StepSpec = z.infer<typeof StepSpecSchema>;

/** The roots operations' Locations resolve against, as the target declares them. */
export function layerRoots(target: Pick<TargetSettings, 'layers'>): LayerRoots {
  return { bronze: target.layers.bronze.root, silver: target.layers.silver.root, gold: target.layers.gold.root };
}

/** A path under its layer's root, or as written when absolute (`/x`, `s3://b/x`): as the driver resolves it. */
export function locate(roots: LayerRoots, location: Location): string {
  if (location.path.startsWith('/') || location.path.includes('://')) return location.path;
  const root = roots[location.layer];
  return `${root.endsWith('/') ? root.slice(0, -1) : root}/${location.path}`;
}

const stepTest = (t: TestNode): StepTest => ({ id: t.id, name: t.name, blocksDownstream: t.blocksDownstream, test: t.test });

export function stepSpec(args: { buildId: string; node: ModelNode | SourceNode; tests: TestNode[]; layerRoots: LayerRoots }): StepSpec {
  const { node } = args;
  const common = { specVersion: STEP_SPEC_VERSION, buildId: args.buildId, id: node.id, name: node.name, layerRoots: args.layerRoots, tests: args.tests.map(stepTest) };
  if (node.kind === 'model') {
    return { ...common, kind: 'model', materialized: node.materialized, relation: node.relation, location: node.location, full: node.full, incremental: node.incremental, post: node.post };
  }
  const register = node.operations.find((o) => o.kind === 'RegisterBronze');
  if (!register) throw new Error(`source ${node.id} has no RegisterBronze operation in plan.json`);
  return { ...common, kind: 'source', materialized: null, relation: register.relation, location: null, full: node.operations, incremental: null, post: [] };
}
