/**
 * `etl build` and `etl test` over one Spark: register the bronze sources the selection needs, then
 * models (materialization + their tests) or tests only, in dependency order on N sessions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest, ManifestModel, ManifestTest, Plan } from '../../compiler/manifest/types.js';
import { selectModels } from '../../compiler/plan/select.js';
import type { SparkSession } from '../engines/spark/client.js';
import { acquireSpark, sparkSettingsFromTarget, type SparkEngine } from '../engines/spark/engine.js';
import { errorResult } from './node-error.js';
import type { Reporter, RunEvent } from './events.js';
import { loadProject, type LoadedProject } from './load-project.js';
import { materializeModel, StatementError } from './model-step.js';
import { runDag } from './scheduler.js';
import { FAILED_STATUSES, runSucceeded, writeRunResults, type NodeResult, type RunResults } from './results.js';
import { runDataTest } from './test-step.js';
import { runUnitTest } from './unit-tests.js';

export interface RunOptions {
  command: 'build' | 'test';
  projectDir: string;
  target?: string;
  vars?: Record<string, unknown>;
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
  /** Already loaded project (tests pass hand-written manifests). */
  project?: LoadedProject;
  /** Use this Spark instead of acquiring one (shared across spec files). */
  engine?: SparkEngine;
}

export async function run(opts: RunOptions): Promise<RunResults> {
  const started = Date.now();
  const project = opts.project ?? (await loadProject({ projectDir: opts.projectDir, ...(opts.target ? { target: opts.target } : {}), ...(opts.vars ? { vars: opts.vars } : {}) }));
  const { manifest, plan } = project;
  const models = chooseModels(manifest, opts);
  const threads = Math.max(1, opts.threads ?? 1);
  const results: NodeResult[] = [];
  const emit = (e: RunEvent) => opts.reporter.emit(e);
  const record = (r: NodeResult) => {
    results.push(r);
    emit({ event: 'node_end', ...r });
  };

  const testsOf = (modelId: string) => testsForModel(manifest, plan, modelId);
  // Unit tests read only their given rows: `etl test --unit` needs no bronze tables.
  const needsBronze = opts.command === 'build' || opts.dataTests !== false;
  const sources = needsBronze ? neededSources(manifest, models) : [];
  const sourceTests = Object.values(manifest.tests).filter((t) => sources.includes(t.attachedTo.node));
  const wantData = opts.command === 'build' || opts.dataTests !== false;
  const wantUnit = opts.command === 'test' && opts.unitTests !== false;
  const unitTests = wantUnit ? Object.values(manifest.unitTests).filter((u) => models.includes(u.model)) : [];
  const nodeCount =
    sources.length +
    (wantData ? sourceTests.length : 0) +
    (opts.command === 'build' ? models.length : 0) +
    (wantData ? models.reduce((n, m) => n + testsOf(m).length, 0) : 0) +
    unitTests.length;
  emit({ event: 'run_start', command: opts.command, nodes: nodeCount, threads });

  const sparkStart = Date.now();
  if (!opts.engine) emit({ event: 'spark_starting' });
  const acquired =
    opts.engine ??
    (await acquireSpark({
      projectDir: opts.projectDir,
      warehouseDir: localWarehouse(manifest, opts.projectDir),
      settings: sparkSettingsFromTarget(manifest.target.settings),
    }));
  // The run closes the sessions it opens; it stops Spark only if it acquired it (a caller's engine stays up).
  const opened: SparkSession[] = [];
  const engine = {
    server: acquired.server,
    owned: acquired.owned,
    openSession: async () => {
      const s = await acquired.openSession();
      opened.push(s);
      return s;
    },
  };
  emit({ event: 'spark_ready', host: engine.server.host, port: engine.server.port, reused: !engine.owned || !!opts.engine, ms: Date.now() - sparkStart });

  try {
    const main = await engine.openSession();
    await ensureDatabases(main, manifest, models);

    // Bronze: register the sources the selection reads; their tests run right after.
    const settled = new Map<string, boolean>();
    for (const id of sources) {
      const src = manifest.sources[id]!;
      const t0 = Date.now();
      emit({ event: 'node_start', id, kind: 'source', name: src.bronze.relation });
      try {
        for (const sql of src.bronze.statements) await main.execute(sql);
        record({ id, kind: 'source', name: src.bronze.relation, status: 'success', durationMs: Date.now() - t0, startedAt: new Date(t0).toISOString() });
        settled.set(id, true);
      } catch (e) {
        record({ ...errorResult(e, id, 'source', src.bronze.relation, t0, opts.projectDir, src.file) });
        settled.set(id, false);
      }
    }
    if (wantData) {
      for (const test of sourceTests) {
        if (settled.get(test.attachedTo.node) === false) {
          record(skipped(test.id, 'test', testLabel(test), `source ${test.attachedTo.node} was not registered`));
          continue;
        }
        const r = await runTest(main, test, opts.projectDir);
        record(r);
        // Freshness says how late the load is, not whether the data is right: it warns/fails but does not block models.
        if (FAILED_STATUSES.has(r.status) && test.test !== 'freshness') settled.set(test.attachedTo.node, false);
      }
    }

    if (opts.command === 'build') {
      const nodes = buildGraph(manifest, models, testsOf);
      const whyBlocked = (id: string) => {
        const own = results.find((r) => r.id === id);
        return own?.status === 'skipped' ? 'was skipped' : 'failed';
      };
      await runDag({
        nodes,
        threads,
        settled: new Map([...settled]),
        openSession: () => engine.openSession(),
        skip: (node, because) => {
          if (node.test) {
            record(skipped(node.id, 'test', testLabel(node.test), `skipped: ${because} ${whyBlocked(because)}`));
            return;
          }
          const m = manifest.models[node.id]!;
          record(skipped(node.id, 'model', m.relation?.fqn ?? m.name, `skipped: upstream ${because} ${whyBlocked(because)}`));
        },
        run: async (node, session) => {
          if (node.test) {
            emit({ event: 'node_start', id: node.id, kind: 'test', name: testLabel(node.test) });
            const tr = await runTest(session, node.test, opts.projectDir);
            record(tr);
            return { ok: !FAILED_STATUSES.has(tr.status) };
          }
          const r = await buildModel(session, manifest.models[node.id]!, opts);
          record(r);
          return { ok: r.status !== 'error' };
        },
      });
    } else {
      const jobs: Array<{ id: string; parents: string[]; run: (s: SparkSession) => Promise<NodeResult> }> = [];
      if (wantData) {
        for (const m of models) for (const t of testsOf(m)) jobs.push({ id: t.id, parents: [], run: (s) => runTest(s, t, opts.projectDir) });
      }
      for (const u of unitTests) {
        jobs.push({ id: u.id, parents: [], run: (s) => runUnitTest(s, u, manifest, opts.projectDir) });
      }
      const byId = new Map(jobs.map((j) => [j.id, j]));
      await runDag({
        nodes: jobs.map((j) => ({ id: j.id, parents: j.parents })),
        threads,
        openSession: () => engine.openSession(),
        skip: () => {},
        run: async (node, session) => {
          const r = await byId.get(node.id)!.run(session);
          record(r);
          return { ok: true };
        },
      });
    }
  } finally {
    await Promise.all(opened.map((s) => s.close()));
    if (!opts.engine) await acquired.release();
  }

  const run: RunResults = {
    command: opts.command,
    generatedAt: new Date().toISOString(),
    elapsedMs: Date.now() - started,
    args: { select: opts.select ?? [], exclude: opts.exclude ?? [], threads, fullRefresh: !!opts.fullRefresh, failedOnly: !!opts.failedOnly },
    success: runSucceeded(results),
    results,
  };
  const file = writeRunResults(opts.projectDir, run);
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  emit({ event: 'run_end', success: run.success, elapsedMs: run.elapsedMs, counts, runResults: relative(process.cwd(), file) || file });
  return run;
}

interface BuildNode {
  id: string;
  parents: string[];
  test?: ManifestTest;
}

/**
 * Models and their tests as one graph. A test waits for every model it reads (a relationships test
 * also needs the model it points to); a model waits for its parents and for their tests, so a
 * failing error-severity test stops what is downstream. A parent's test that reads this model (or
 * something built from it) cannot gate it: that would be a cycle, so it is left out of the gate.
 */
export function buildGraph(manifest: Manifest, models: string[], testsOf: (id: string) => ManifestTest[]): BuildNode[] {
  const inRun = new Set(models);
  const descendants = (id: string): Set<string> => {
    const out = new Set<string>([id]);
    const stack = [id];
    while (stack.length) for (const c of manifest.childMap[stack.pop()!] ?? []) if (!out.has(c)) (out.add(c), stack.push(c));
    return out;
  };
  const nodes: BuildNode[] = [];
  for (const id of models) {
    const m = manifest.models[id]!;
    const parents = manifest.parentMap[id] ?? [...m.dependsOn.models, ...m.dependsOn.sources];
    const below = descendants(id);
    const gates = parents
      .filter((p) => inRun.has(p))
      .flatMap((p) => testsOf(p))
      .filter((t) => !t.dependsOn.models.some((dep) => below.has(dep)))
      .map((t) => t.id);
    nodes.push({ id, parents: [...parents, ...gates] });
    for (const t of testsOf(id)) nodes.push({ id: t.id, parents: [...new Set([id, ...t.dependsOn.models, ...t.dependsOn.sources])], test: t });
  }
  return nodes;
}

function chooseModels(manifest: Manifest, opts: RunOptions): string[] {
  const hasSelection = (opts.select?.length ?? 0) > 0 || (opts.exclude?.length ?? 0) > 0;
  let ids = hasSelection
    ? selectModels(manifest, { ...(opts.select ? { select: opts.select } : {}), ...(opts.exclude ? { exclude: opts.exclude } : {}), ...(opts.state ? { state: opts.state } : {}) })
    : Object.keys(manifest.models);
  ids = ids.filter((id) => manifest.models[id]);
  if (opts.failedOnly) {
    const previous = previousFailures(manifest, opts.projectDir);
    ids = ids.filter((id) => previous.has(id));
  }
  return ids;
}

/** Models that errored, were skipped, or whose tests failed/were skipped, in the last run. */
export function previousFailures(manifest: Manifest, projectDir: string): Set<string> {
  const file = join(projectDir, 'target', 'run_results.json');
  if (!existsSync(file)) throw new Error(`No previous run to retry: ${file} does not exist. Run \`etl build\` first.`);
  const last = JSON.parse(readFileSync(file, 'utf8')) as RunResults;
  const out = new Set<string>();
  for (const r of last.results) {
    if (!FAILED_STATUSES.has(r.status) && r.status !== 'skipped') continue;
    if (manifest.models[r.id]) out.add(r.id);
    const test = manifest.tests[r.id] ?? manifest.unitTests[r.id];
    if (test) {
      const model = 'model' in test ? test.model : test.attachedTo.node;
      if (manifest.models[model]) out.add(model);
    }
  }
  return out;
}

function neededSources(manifest: Manifest, models: string[]): string[] {
  const out = new Set<string>();
  for (const id of models) for (const s of manifest.models[id]!.dependsOn.sources) out.add(s);
  return [...out].filter((s) => manifest.sources[s]).sort();
}

function testsForModel(manifest: Manifest, plan: Plan, modelId: string): ManifestTest[] {
  const ids = plan.testsByModel?.[modelId] ?? Object.values(manifest.tests).filter((t) => t.attachedTo.node === modelId).map((t) => t.id);
  return ids.map((id) => manifest.tests[id]).filter((t): t is ManifestTest => !!t);
}

export function localWarehouse(manifest: Manifest, projectDir: string): string | undefined {
  const root = manifest.target.settings?.warehouse_dir;
  return typeof root === 'string' ? join(projectDir, root) : undefined;
}

async function ensureDatabases(session: SparkSession, manifest: Manifest, models: string[]): Promise<void> {
  const dbs = new Set<string>();
  for (const id of models) {
    const rel = manifest.models[id]!.relation;
    if (rel) dbs.add(rel.database);
  }
  for (const db of dbs) await session.execute(`CREATE DATABASE IF NOT EXISTS \`${db}\``);
}

async function buildModel(session: SparkSession, model: ManifestModel, opts: RunOptions): Promise<NodeResult> {
  const t0 = Date.now();
  const name = model.relation?.fqn ?? model.name;
  opts.reporter.emit({ event: 'node_start', id: model.id, kind: 'model', name });
  try {
    const outcome = await materializeModel(session, model, { fullRefresh: !!opts.fullRefresh });
    return {
      id: model.id,
      kind: 'model',
      name,
      status: 'success',
      startedAt: new Date(t0).toISOString(),
      durationMs: Date.now() - t0,
      mode: outcome.mode,
      ...(outcome.rows !== undefined ? { rows: outcome.rows } : {}),
    };
  } catch (e) {
    const cause = e instanceof StatementError ? e.original : e;
    const r = errorResult(cause, model.id, 'model', name, t0, opts.projectDir, model.file);
    if (e instanceof StatementError && e.phase === 'post') r.message = `post statement failed (the table was written): ${r.message}`;
    return r;
  }
}

async function runTest(session: SparkSession, test: ManifestTest, projectDir: string): Promise<NodeResult> {
  const t0 = Date.now();
  try {
    const r = await runDataTest(session, test, projectDir);
    const base: NodeResult = {
      id: test.id,
      kind: 'test',
      name: testLabel(test),
      status: r.outcome,
      startedAt: new Date(t0).toISOString(),
      durationMs: Date.now() - t0,
      failures: r.failures,
      ...(r.artifact ? { artifact: r.artifact } : {}),
    };
    if (r.outcome !== 'pass') {
      base.message = `${r.failures} failing row${r.failures === 1 ? '' : 's'} (severity ${test.severity}, warn_if ${test.warnIf || '>0'}, error_if ${test.errorIf || '>0'})${r.artifact ? `; sample in ${r.artifact}` : ''}`;
    }
    return base;
  } catch (e) {
    return errorResult(e, test.id, 'test', testLabel(test), t0, projectDir, test.file);
  }
}

function skipped(id: string, kind: NodeResult['kind'], name: string, message: string): NodeResult {
  return { id, kind, name, status: 'skipped', durationMs: 0, message };
}


/** `stg_orders.not_null.order_id` reads better in a list than the bare `not_null_order_id`. */
function testLabel(t: ManifestTest): string {
  return t.id.replace(/^test\./, '');
}
