/**
 * plan.json: the program a build runs, as the compiler wrote it. Every node carries its operations
 * and the nodes it waits for; runners execute it as it is (Dataform's compiled graph), selecting
 * nodes but never re-deriving edges or SQL. Bump PLAN_VERSION on any breaking change of shape.
 */
import { z } from 'zod';
import { materializationSchema } from '../config/model-config.js';
import { BackfillSpecSchema } from './backfill-spec.js';
import { DataTestSchema, LocationSchema, OperationSchema, RelationSchema, TestCheckSchema, UnitTestSchema } from './operations.js';

export const PLAN_VERSION = 2 as const;

const NodeBase = {
  id: z.string().min(1),
  /** What a person calls the node: a relation, or a test's label. */
  name: z.string(),
  /** The user's file the node comes from, relative to the project. */
  file: z.string(),
  /** Nodes that must succeed first. Edges to nodes outside a run's selection are dropped. */
  dependsOn: z.array(z.string()),
};

export const SourceNodeSchema = z.object({ kind: z.literal('source'), ...NodeBase, operations: z.array(OperationSchema) }).strict();

export const ModelNodeSchema = z
  .object({
    kind: z.literal('model'),
    ...NodeBase,
    materialized: materializationSchema.exclude(['ephemeral']),
    relation: RelationSchema,
    /** Delta tables only: where the table state is read (views have none). */
    location: LocationSchema.nullable(),
    /** Builds from scratch. */
    full: z.array(OperationSchema),
    /** Runs instead of `full` when the table exists and the run is not a full refresh. */
    incremental: z.array(OperationSchema).nullable(),
    /** Runs after either (OPTIMIZE ... ZORDER BY). */
    post: z.array(OperationSchema),
    /** Models with a `time_column`: what `etl build --start/--end` replaces batch by batch. */
    backfill: BackfillSpecSchema.optional(),
  })
  .strict();

export const TestNodeSchema = z
  .object({
    kind: z.literal('test'),
    ...NodeBase,
    /** The model or source the test belongs to. */
    attachedTo: z.string(),
    /** False for freshness: a late load warns or fails but does not stop what reads it. */
    blocksDownstream: z.boolean(),
    test: DataTestSchema,
    /** When the test can share one scan with the other tests of its table (see TestCheckSchema). */
    check: TestCheckSchema.optional(),
  })
  .strict();

export const UnitTestNodeSchema = z.object({ kind: z.literal('unit_test'), ...NodeBase, model: z.string(), test: UnitTestSchema }).strict();

export const PlanNodeSchema = z.discriminatedUnion('kind', [SourceNodeSchema, ModelNodeSchema, TestNodeSchema, UnitTestNodeSchema]);

export const PlanSchema = z
  .object({
    planVersion: z.literal(PLAN_VERSION),
    manifestVersion: z.number().int(),
    target: z.string(),
    nodes: z.record(z.string(), PlanNodeSchema),
    /** Models by topological stage: a stage depends only on earlier ones (for people and EMR concurrency). */
    stages: z.array(z.object({ models: z.array(z.string()) }).strict()),
    /** project.yaml's on_run_start / on_run_end as Hook operations (compiler/resolve/hooks.ts); older plans have none. */
    hooks: z.object({ onRunStart: z.array(OperationSchema), onRunEnd: z.array(OperationSchema) }).strict().optional(),
  })
  .strict();

export type SourceNode = z.infer<typeof SourceNodeSchema>;
export type ModelNode = z.infer<typeof ModelNodeSchema>;
export type TestNode = z.infer<typeof TestNodeSchema>;
export type UnitTestNode = z.infer<typeof UnitTestNodeSchema>;
export type PlanNode = z.infer<typeof PlanNodeSchema>;
export type Plan = z.infer<typeof PlanSchema>;
