/**
 * `etl build` and `etl test`: executes plan.json as compiled on one engine. The selection picks
 * nodes; their edges, operations and thresholds are the plan's own. A node whose parent failed or
 * was skipped is skipped (dbt's semantics); independent branches go on.
 */
import { relative } from 'node:path';
import type { Manifest, Plan, PlanNode } from '../../compiler/manifest/types.js';
import type { ColumnType, Relation } from '../../compiler/plan/operations.js';
import type { Engine, EngineSession } from '../engines/engine.js';
import type { SparkEngine } from '../engines/spark/engine.js';
import type { Reporter, RunEvent } from './events.js';
import { materializeModel } from './model-step.js';
import { auditAfterBuild } from '../governance/audit/after-build.js';
import { errorResult } from './node-error.js';
import { FAILED_STATUSES, runProfile, runSucceeded, writeRunResults, type NodeResult, type RunResults } from './results.js';
import { nodesToRun, previousFailures, selectedModels, type RunNode } from './run-set.js';
import { runDag } from './scheduler.js';
import { runRunHooks } from './hooks.js';
import { recordBuiltSchemas } from './schema-change.js';
import { groupTests, runTestGroup, type DagItem } from './test-groups.js';
import { runDataTest, testNodeResult } from './test-step.js';
import { runUnitTest } from './unit-tests.js';
import { acquireProjectEngine } from './project-engine.js';

export interface RunOptions {
  command: 'build' | 'test' | 'seed';
  /** Where relative layer roots resolve and target/run_results.json is written. */
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  select?: string[];
  exclude?: string[];
  threads?: number;
  fullRefresh?: boolean;
  /** Reference manifest for `state:modified` / `state:new` selectors (`--state`). */
  state?: Manifest;
  /** Only what failed or was skipped in the previous run (target/run_results.json). */
  failedOnly?: boolean;
  /** `etl test`: which kinds of tests. */
  dataTests?: boolean;
  unitTests?: boolean;
  reporter: Reporter;
  /** A Spark a caller keeps running (shared across spec files). */
  spark?: SparkEngine;
  /** Record each statement's time per node into run_results.json (also `ETL_PROFILE=1`). */
  profile?: boolean;
}

export async function run(opts: RunOptions): Promise<RunResults> {
  const started = Date.now();
  const { manifest, plan } = opts;
  // `etl seed --select` names seeds, not models (runtime/runner/seed-nodes.ts).
  const models = opts.command === 'seed' ? [] : selectedModels(manifest, plan, {
    ...opts,
    ...(opts.failedOnly ? { onlyThese: previousFailures(manifest, plan, opts.projectDir) } : {}),
  });
  const nodes = nodesToRun(plan, models, opts);
  const threads = Math.max(1, opts.threads ?? 1);
  const results: NodeResult[] = [];
  const emit = (e: RunEvent) => opts.reporter.emit(e);
  const record = (r: NodeResult) => {
    results.push(r);
    emit({ event: 'node_end', ...r });
  };
  emit({ event: 'run_start', command: opts.command, nodes: nodes.length, threads });

  const profile = opts.profile ?? process.env.ETL_PROFILE === '1';
  const engine = await openEngine(opts, emit);
  /** Columns of the tables built, for target/table_schemas.json (runtime/runner/schema-change.ts). */
  const built = new Map<string, ColumnType[] | undefined>();
  try {
    await engine.prepare?.(touchedRelations(nodes));
    // A skipped node names what stopped it: a failing test, not the group it ran in.
    const causeOf = new Map<string, string>();
    const members = (n: DagItem): PlanNode[] => n.group ?? [n.node];
    const verdict = (r: NodeResult, node: PlanNode) => {
      // In `etl test` nothing waits on a test; in a build a failing blocking test stops what reads its model.
      const blocking = node.kind !== 'test' || node.blocksDownstream;
      return !(FAILED_STATUSES.has(r.status) && blocking);
    };
    // project.yaml's on_run_start: a failing hook stops the build before any node (runtime/runner/hooks.ts).
    const hooked = opts.command !== 'build' || (await runRunHooks(engine, plan.hooks?.onRunStart ?? [], 'on_run_start', opts.projectDir, record));
    await runDag<DagItem, EngineSession>({
      nodes: hooked ? groupTests(nodes) : [],
      threads,
      openSession: async () => {
        const session = await engine.openSession();
        if (profile) session.startProfile?.();
        return session;
      },
      skip: (n, because) => {
        for (const m of members(n)) record(skippedResult(m, causeOf.get(because) ?? because, results));
      },
      fail: (n, error) => {
        for (const m of members(n)) record(errorResult(error, m.id, m.kind, m.name, Date.now(), m.file, opts.projectDir));
      },
      run: async (n, session) => {
        for (const m of members(n)) emit({ event: 'node_start', id: m.id, kind: m.kind, name: m.name });
        const rs = n.group ? await runTestGroup(session, n.group, opts.projectDir) : [await runNode(session, n.node, opts, built)];
        const profiled = [withProfile(rs[0]!, session, profile), ...rs.slice(1)];
        profiled.forEach(record);
        const failed = profiled.findIndex((r, i) => !verdict(r, members(n)[i]!));
        if (failed >= 0 && n.group) causeOf.set(n.id, profiled[failed]!.id);
        return { ok: failed < 0 };
      },
    });
    if (opts.command === 'build') await runRunHooks(engine, plan.hooks?.onRunEnd ?? [], 'on_run_end', opts.projectDir, record);
  } finally {
    await engine.close();
  }

  const runResults: RunResults = {
    command: opts.command,
    generatedAt: new Date().toISOString(),
    elapsedMs: Date.now() - started,
    args: { select: opts.select ?? [], exclude: opts.exclude ?? [], threads, fullRefresh: !!opts.fullRefresh, failedOnly: !!opts.failedOnly },
    success: runSucceeded(results),
    results,
  };
  const summary = profile ? runProfile(results) : undefined;
  if (summary) runResults.profile = summary;
  const file = writeRunResults(opts.projectDir, runResults);
  recordBuiltSchemas(opts.projectDir, manifest, results, built);
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  emit({ event: 'run_end', success: runResults.success, elapsedMs: runResults.elapsedMs, counts, runResults: relative(process.cwd(), file) || file });
  return runResults;
}

async function openEngine(opts: RunOptions, emit: (e: RunEvent) => void): Promise<Engine> {
  const t0 = Date.now();
  if (!opts.spark) emit({ event: 'spark_starting' });
  const engine = await acquireProjectEngine(opts.manifest, opts.projectDir, opts.spark);
  emit({ event: 'spark_ready', host: engine.spark.server.host, port: engine.spark.server.port, reused: engine.reused, ms: Date.now() - t0 });
  return engine;
}

async function runNode(session: EngineSession, node: PlanNode, opts: RunOptions, built: Map<string, ColumnType[] | undefined>): Promise<NodeResult> {
  const t0 = Date.now();
  const base = { id: node.id, kind: node.kind, name: node.name, startedAt: new Date(t0).toISOString() };
  try {
    switch (node.kind) {
      case 'source':
        for (const op of node.operations) await session.execute(op);
        return { ...base, status: 'success', durationMs: Date.now() - t0 };
      case 'model': {
        const outcome = await materializeModel(session, node, { fullRefresh: !!opts.fullRefresh });
        await auditAfterBuild(session, node, outcome, opts);
        built.set(node.id, outcome.columns);
        return { ...base, status: 'success', durationMs: Date.now() - t0, mode: outcome.mode, ...(outcome.rows !== undefined ? { rows: outcome.rows } : {}) };
      }
      case 'test':
        return testNodeResult(node, await runDataTest(session, node, opts.projectDir), t0, Date.now() - t0);
      case 'unit_test':
        return await runUnitTest(session, node, opts.projectDir);
    }
  } catch (e) {
    return errorResult(e, node.id, node.kind, node.name, t0, node.file, opts.projectDir);
  }
}

/** Tables (not views) the run's models and sources write or register: their catalog entries are read up front. */
function touchedRelations(nodes: RunNode[]): Relation[] {
  const out: Relation[] = [];
  for (const { node } of nodes) {
    if (node.kind === 'model' && node.location) out.push(node.relation);
    if (node.kind === 'source') for (const op of node.operations) if (op.kind === 'RegisterBronze') out.push(op.relation);
  }
  return out;
}

/** The statements a node sent, when profiling: the rest of its time is the tool's own. */
function withProfile(r: NodeResult, session: EngineSession, profile: boolean): NodeResult {
  const statements = profile ? session.takeProfile?.() : undefined;
  if (!statements) return r;
  const statementMs = Math.round(statements.reduce((n, s) => n + s.ms, 0));
  return { ...r, profile: { statements, statementMs, otherMs: Math.max(0, r.durationMs - statementMs) } };
}

function skippedResult(node: PlanNode, because: string, results: NodeResult[]): NodeResult {
  const cause = results.find((r) => r.id === because);
  const why = cause?.status === 'skipped' ? 'was skipped' : 'failed';
  const message = node.kind === 'model' ? `skipped: upstream ${because} ${why}` : `skipped: ${because} ${why}`;
  return { id: node.id, kind: node.kind, name: node.name, status: 'skipped', durationMs: 0, message };
}


