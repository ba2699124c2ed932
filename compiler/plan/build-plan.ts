/**
 * Builds plan.json from the analysed project: each source, model and test becomes a node with its
 * operations and the nodes it waits for, so a runner needs nothing else to execute it.
 */
import type { LayerName, ManifestModel, ManifestSource, ManifestTest } from '../manifest/types.js';
import { MANIFEST_VERSION } from '../manifest/schema.js';
import { testCheck } from '../tests/test-checks.js';
import { stages, type Graph } from './graph.js';
import { snapshotOperations } from './snapshot-plan.js';
import type { ModelHooks, RunHooks } from '../resolve/hooks.js';
import { runHooksOf, withModelHooks } from './hook-plan.js';
import { withSchemaChange } from './schema-change-plan.js';
import { op, type DataTest, type Location, type Operation, type Query, type Relation, type UnitTest } from './operations.js';
import { PLAN_VERSION, type ModelNode, type Plan, type PlanNode, type SourceNode, type TestNode } from './plan-schema.js';

export interface ModelQueries {
  full: Query;
  incremental?: Query;
}

export interface PlanInput {
  target: string;
  layerRoots: Record<LayerName, string>;
  sources: ManifestSource[];
  models: Map<string, ManifestModel>;
  queries: Map<string, ModelQueries>;
  tests: Array<{ test: ManifestTest; query: DataTest }>;
  unitTests: Array<{ id: string; name: string; file: string; model: string; test: UnitTest }>;
  /** Models on a dependency cycle: reported, never planned. */
  onCycle: Set<string>;
  /** Models read from the deployment given with --defer: not planned, and not waited for. */
  deferred?: Set<string>;
  /** Rendered pre/post hooks by model id, and project.yaml's run hooks (compiler/resolve/hooks.ts). */
  hooks?: Map<string, ModelHooks>;
  runHooks?: RunHooks;
  /** Properties of every Delta table the plan creates (retention's `delta.*Retention*`), under each model's own tblproperties. */
  tableProperties?: Record<string, string>;
}

/** A location under its layer's root when it is there, else as written (absolute or a URI). */
export function layerLocation(layer: LayerName, location: string, root: string): Location {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return { layer, path: location.startsWith(prefix) ? location.slice(prefix.length) : location };
}

const splitRelation = (r: { database: string; table: string }): Relation => ({ database: r.database, table: r.table });

/** `tableProperties`: set on every table's CREATE before the model's own tblproperties (retention's Delta properties). */
export function modelOperations(m: ManifestModel, q: ModelQueries, root: string, tableProperties: Record<string, string> = {}): Pick<ModelNode, 'location' | 'full' | 'incremental' | 'post' | 'backfill'> {
  const relation = splitRelation(m.relation!);
  const createDb = op({ kind: 'CreateDatabase', database: relation.database });
  const post: Operation[] = m.materialized !== 'view' && m.config.zorder_by?.length ? [op({ kind: 'Optimize', relation, zorderBy: m.config.zorder_by })] : [];
  if (m.materialized === 'view') return { location: null, full: [createDb, op({ kind: 'CreateOrReplaceView', relation, query: q.full })], incremental: null, post };
  const location = layerLocation(m.layer, m.relation!.location, root);
  if (m.materialized === 'snapshot') {
    const ops = snapshotOperations(m, q.full, relation, location) ?? [createDb];
    return { location, full: ops, incremental: ops, post };
  }
  const full: Operation[] = [
    createDb,
    op({ kind: 'CreateOrReplaceTableAs', relation, location, partitionBy: m.config.partition_by ?? [], properties: { ...tableProperties, ...m.config.tblproperties }, query: q.full }),
  ];
  if (m.materialized !== 'incremental') return { location, full, incremental: null, post };
  const query = q.incremental ?? q.full;
  const strategy = m.config.incremental_strategy ?? (m.config.unique_key?.length ? 'merge' : 'append');
  const write: Operation =
    strategy === 'merge'
      ? op({ kind: 'Merge', relation, query, uniqueKey: m.config.unique_key ?? [], updateColumns: m.config.merge_update_columns ?? null })
      : strategy === 'insert_overwrite'
        ? op({ kind: 'InsertOverwrite', relation, query })
        : op({ kind: 'Append', relation, query });
  const backfill = m.config.time_column ? { backfill: { column: m.config.time_column, batchSize: m.config.batch_size ?? 'day', start: m.config.start ?? null, query: q.full } } : {};
  return { location, full, incremental: [createDb, write], post, ...backfill };
}

/** The node that registers a source's bronze table over its landed Parquet files. */
export function sourceNode(s: ManifestSource, root: string): SourceNode {
  const relation = { database: s.bronze.database, table: s.bronze.table };
  const metadataAndDeclared = [...s.columns, ...s.bronze.metadataColumns].map((c) => ({ name: c.name, type: c.type }));
  return {
    kind: 'source',
    id: s.id,
    name: s.bronze.relation,
    file: s.file,
    dependsOn: [],
    operations: [
      op({ kind: 'CreateDatabase', database: relation.database }),
      op({
        kind: 'RegisterBronze',
        relation,
        location: layerLocation('bronze', s.bronze.location, root),
        format: 'parquet',
        columns: metadataAndDeclared,
        partitionBy: s.bronze.partitionBy.map((name) => ({ name, type: 'date' })),
      }),
    ],
  };
}

/** The nearest non-ephemeral ancestors and the sources read, looking through ephemeral models. */
function runnableParents(id: string, models: Map<string, ManifestModel>): string[] {
  const out = new Set<string>();
  const visit = (mid: string) => {
    const m = models.get(mid);
    if (!m) return;
    for (const s of m.dependsOn.sources) out.add(s);
    for (const p of m.dependsOn.models) {
      const pm = models.get(p);
      if (!pm) continue;
      if (pm.materialized === 'ephemeral') visit(p);
      else out.add(p);
    }
  };
  visit(id);
  return [...out].sort();
}

export function buildPlan(input: PlanInput): Plan {
  const nodes: Record<string, PlanNode> = {};
  const deferred = input.deferred ?? new Set<string>();
  const notDeferred = (ids: string[]) => ids.filter((d) => !deferred.has(d));
  for (const s of input.sources) nodes[s.id] = sourceNode(s, input.layerRoots.bronze);
  const testsOf = new Map<string, TestNode[]>();
  const sourceRelations = new Map(input.sources.map((s) => [s.id, splitRelation(s.bronze)]));
  for (const { test: t, query } of input.tests) {
    const owner = t.attachedTo.node;
    const ownerModel = input.models.get(owner);
    if (ownerModel?.materialized === 'ephemeral' || input.onCycle.has(owner) || deferred.has(owner)) continue;
    const node: TestNode = {
      kind: 'test',
      id: t.id,
      name: t.id.replace(/^test\./, ''),
      file: t.file,
      attachedTo: owner,
      dependsOn: notDeferred([...new Set([owner, ...t.dependsOn.models, ...t.dependsOn.sources])].filter((d) => d !== '')),
      blocksDownstream: t.test !== 'freshness',
      test: query,
    };
    const check = testCheck(t, ownerModel?.relation ? splitRelation(ownerModel.relation) : sourceRelations.get(owner));
    if (check) node.check = check;
    nodes[t.id] = node;
    (testsOf.get(owner) ?? testsOf.set(owner, []).get(owner)!).push(node);
  }
  const runnable: Graph = { parents: new Map() };
  for (const m of input.models.values()) {
    if (m.materialized === 'ephemeral' || input.onCycle.has(m.id) || !m.relation || deferred.has(m.id)) continue;
    const parents = notDeferred(runnableParents(m.id, input.models));
    runnable.parents.set(m.id, parents.filter((p) => p.startsWith('model.')));
    nodes[m.id] = {
      kind: 'model',
      id: m.id,
      name: m.relation.fqn,
      file: m.file,
      materialized: m.materialized,
      relation: splitRelation(m.relation),
      ...withModelHooks(withSchemaChange(modelOperations(m, input.queries.get(m.id)!, input.layerRoots[m.layer], input.tableProperties), m), input.hooks?.get(m.id)),
      dependsOn: parents,
    } as ModelNode;
  }
  gateOnParentTests(nodes, testsOf, input.models);
  for (const u of input.unitTests) {
    if (deferred.has(u.model)) continue;
    nodes[u.id] = { kind: 'unit_test', id: u.id, name: u.id.replace(/^unit_test\./, ''), file: u.file, model: u.model, dependsOn: [], test: u.test };
  }
  const sorted = Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { planVersion: PLAN_VERSION, manifestVersion: MANIFEST_VERSION, target: input.target, nodes: sorted, stages: stages(runnable).map((ids) => ({ models: ids })), ...runHooksOf(input.runHooks) };
}

/**
 * A model also waits for its parents' blocking tests, so a failing error-severity test stops what
 * is downstream. A parent's test that reads this model (or something built from it) cannot gate it:
 * that would be a cycle, so it is left out of the gate.
 */
function gateOnParentTests(nodes: Record<string, PlanNode>, testsOf: Map<string, TestNode[]>, models: Map<string, ManifestModel>): void {
  const children = new Map<string, string[]>();
  for (const m of models.values()) for (const p of m.dependsOn.models) (children.get(p) ?? children.set(p, []).get(p)!).push(m.id);
  const descendants = (id: string): Set<string> => {
    const out = new Set<string>([id]);
    const stack = [id];
    while (stack.length) for (const c of children.get(stack.pop()!) ?? []) if (!out.has(c)) (out.add(c), stack.push(c));
    return out;
  };
  for (const node of Object.values(nodes)) {
    if (node.kind !== 'model') continue;
    // Only a test reading more than its own model can read something below this one: walk the
    // descendants for those alone (a walk per model is quadratic on deep 10,000-model graphs).
    let below: Set<string> | undefined;
    const readsBelow = (t: TestNode) => t.dependsOn.some((d) => d !== t.attachedTo && (below ??= descendants(node.id)).has(d));
    const gates = node.dependsOn
      .flatMap((p) => testsOf.get(p) ?? [])
      .filter((t) => t.blocksDownstream && !readsBelow(t))
      .map((t) => t.id);
    node.dependsOn = [...new Set([...node.dependsOn, ...gates])].sort();
  }
}
