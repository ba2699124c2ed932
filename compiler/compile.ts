/**
 * The compile pipeline: load → resolve → analyse → plan → emit (in memory). Every stage adds
 * diagnostics to one list instead of stopping, so a run reports every mistake in the project.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { Classification, SqlType } from './api/columns.js';
import { formatType } from './api/columns.js';
import { refKey, type AnalysedColumn } from './analyse/analyser.js';
import { fromSerialColumn, toSerialColumn, type SerialCatalogEntry, type SqlAnalysisRequest, type SqlAnalysisResult } from './analyse/analyse-sql.js';
import { initParser } from './analyse/parse.js';
import { localAnalyser, workerAnalyser } from './analyse/pool.js';
import { AnalysisCache } from './analyse/cache.js';
import { parseTypeName } from './analyse/sql-types.js';
import type { Diagnostic } from './diagnostics/diagnostic.js';
import { codeFrame } from './diagnostics/frame.js';
import { inlineEphemerals } from './emit/ephemerals.js';
import { loadMacroFiles, loadModelFiles, loadSingularTests } from './load/model-files.js';
import { loadProjectConfig } from './load/project-config.js';
import { declaredLayerRoots } from './plan/layer-roots.js';
import { loadSources, type LoadedSource } from './load/sources.js';
import {
  MANIFEST_VERSION,
  type LayerName,
  type LayerSettings,
  type Manifest,
  type ManifestModel,
  type LineageRole,
  type RowDependency,
} from './manifest/types.js';
import { buildPlan, type ModelQueries } from './plan/build-plan.js';
import { PLAN_VERSION } from './plan/plan-schema.js';
import { queryFromRendered, trimQuery } from './plan/query-map.js';
import type { Query } from './plan/operations.js';
import { compileUnitTestOperations } from './plan/unit-test-operations.js';
import { findCycles, stages, type Graph } from './plan/graph.js';
import { createEnvironment } from './resolve/environment.js';
import { checkConfigColumns, checkContract } from './analyse/model-checks.js';
import { compileTests, compileUnitTests } from './plan/tests.js';
import { prepareModels, renderModel, type RenderedModel } from './resolve/models.js';
import type { CompileOptions, CompileResult } from './compile-types.js';

export const TOOL_VERSION = '0.1.0';
/** Projects at least this large are analysed on worker threads. */
const PARALLEL_THRESHOLD = 400;

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const sortedRecord = <T>(entries: Array<[string, T]>): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function emptyResult(diagnostics: Diagnostic[]): CompileResult {
  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    generator: { name: 'lakehouse-etl', version: TOOL_VERSION },
    project: { name: '', root: '', vars: {} },
    target: { name: '', kind: 'local', layers: { bronze: { root: '', database: '' }, silver: { root: '', database: '' }, gold: { root: '', database: '' } }, settings: {} },
    sources: {},
    models: {},
    tests: {},
    unitTests: {},
    childMap: {},
    parentMap: {},
  };
  return { manifest, plan: { planVersion: PLAN_VERSION, manifestVersion: MANIFEST_VERSION, target: '', nodes: {}, stages: [] }, diagnostics, ok: false };
}

let hookRegistered = false;
/**
 * Project files import the authoring API as `lakehouse-etl`, wherever the project lives; resolve
 * that to this copy of the tool (one module instance), for ES modules (a loader hook) and for
 * CommonJS, which tsx uses for .ts files in packages without "type": "module".
 */
export function ensureApiResolution(): void {
  // Inside vitest, vite resolves `lakehouse-etl` through its alias (checked per process: child
  // processes inherit the VITEST variable but not vite).
  if (hookRegistered || '__vitest_worker__' in globalThis) return;
  hookRegistered = true;
  register('./load/resolve-hook.mjs', import.meta.url);
  const apiPath = fileURLToPath(new URL('./api/index.ts', import.meta.url));
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, request === 'lakehouse-etl' ? apiPath : request, ...rest);
  };
}

export async function compileProject(options: CompileOptions): Promise<CompileResult> {
  ensureApiResolution();
  const projectDir = path.resolve(options.projectDir);
  const diagnostics: Diagnostic[] = [];
  const parserReady = initParser();
  const timings: Record<string, number> = {};
  let last = performance.now();
  const mark = (phase: string) => {
    const now = performance.now();
    timings[phase] = Math.round((now - last) * 10) / 10;
    last = now;
  };

  // ---- load
  const loaded = await loadProjectConfig(projectDir, diagnostics);
  if (!loaded) return emptyResult(diagnostics);
  const { config } = loaded;
  const targetName = options.target ?? config.default_target;
  const target = config.targets[targetName];
  if (!target) {
    diagnostics.push({
      code: 'ETL103',
      severity: 'error',
      message: `Unknown target '${targetName}'`,
      file: 'project.yaml',
      hint: `Targets in project.yaml: ${Object.keys(config.targets).join(', ')}.`,
    });
    return emptyResult(diagnostics);
  }
  // As the target declares them: relative roots are resolved where the plan runs.
  const roots = declaredLayerRoots(config, target);
  const layers = Object.fromEntries(
    (['bronze', 'silver', 'gold'] as const).map((l) => [l, { root: roots[l], database: config.layers[l].database }]),
  ) as Record<LayerName, LayerSettings>;
  const vars = { ...config.vars, ...(options.vars ?? {}) };

  const [sources, modelFiles, macros, singular, cache] = await Promise.all([
    loadSources(projectDir, layers.bronze, diagnostics),
    loadModelFiles(projectDir, diagnostics),
    loadMacroFiles(projectDir),
    loadSingularTests(projectDir),
    options.cache === false || process.env.ETL_NO_CACHE ? AnalysisCache.disabled() : AnalysisCache.load(projectDir),
  ]);
  // Start the worker threads now, so they boot while the main thread renders (about 0.15 s each).
  const expectedMisses = modelFiles.filter((f) => !cache.probablyHit(`model.${f.name}`)).length;
  const threads = Math.min(4, availableParallelism());
  const pool = expectedMisses >= PARALLEL_THRESHOLD && threads > 1 && process.env.ETL_THREADS !== '1' ? workerAnalyser(threads) : undefined;
  pool?.catch(() => undefined);
  const env = await createEnvironment(macros, diagnostics);

  mark('load');
  // ---- resolve
  const byName = new Map<string, (typeof modelFiles)[number]>();
  for (const f of modelFiles) {
    const other = byName.get(f.name);
    if (other) {
      diagnostics.push({
        code: 'ETL155',
        severity: 'error',
        message: `Two models are named '${f.name}': ${other.file} and ${f.file}`,
        file: f.file,
        line: 1,
        column: 1,
        hint: 'Model names must be unique across layers: rename one file.',
        related: [{ file: other.file, line: 1, column: 1, message: 'first defined here' }],
      });
    } else byName.set(f.name, f);
  }
  const prepared = await prepareModels([...byName.values()], config, layers, env, diagnostics, projectDir);
  const preparedByName = new Map(prepared.map((m) => [m.file.name, m]));
  const sourceRelations = new Map(sources.map((s) => [`${s.manifest.sourceName}.${s.manifest.table}`, s.manifest.bronze.relation]));
  const scope = { models: preparedByName, sources: sourceRelations, vars, modelNames: [...preparedByName.keys()], sourceNames: [...sourceRelations.keys()] };
  // A table named in SQL that is a model or a source: the exact ref/source call to write instead.
  const callFor = new Map<string, { sql: string; ts: string }>();
  for (const m of prepared) callFor.set(`${m.relation.database}.${m.relation.table}`.toLowerCase(), { sql: `{{ref "${m.file.name}"}}`, ts: `ref('${m.file.name}')` });
  for (const [key, relation] of sourceRelations) {
    const [system, table] = key.split('.');
    callFor.set(relation.toLowerCase(), { sql: `{{source "${system}" "${table}"}}`, ts: `source('${system}', '${table}')` });
  }
  const referenceHint = (p: { table?: string }, typeScript: boolean): string | undefined => {
    const call = p.table === undefined ? undefined : callFor.get(p.table);
    return call ? `Write ${typeScript ? call.ts : call.sql} instead: the build order, --select and state:modified only know dependencies declared that way.` : undefined;
  };
  const rendered = new Map<string, RenderedModel>();
  for (const m of prepared) {
    const r = renderModel(m, scope, diagnostics);
    if (r) rendered.set(m.file.name, r);
  }

  mark('render');
  // ---- plan: graph and cycles
  const graph: Graph = { parents: new Map() };
  for (const r of rendered.values()) {
    graph.parents.set(r.id, [...new Set(r.refs.map((x) => `model.${x.name}`))].sort());
  }
  const onCycle = new Set<string>();
  for (const cycle of findCycles(graph)) {
    cycle.forEach((id) => onCycle.add(id));
    const first = rendered.get(cycle[0]!.slice(6))!;
    const refTo = first.refs.find((x) => `model.${x.name}` === cycle[1]);
    diagnostics.push({
      code: 'ETL156',
      severity: 'error',
      message: `Dependency cycle: ${cycle.map((id) => id.slice(6)).join(' -> ')}`,
      file: first.file.file,
      line: refTo?.line ?? 1,
      column: refTo?.column ?? 1,
      frame: codeFrame(first.file.text, refTo?.line ?? 1, refTo?.column ?? 1),
      hint: 'Models cannot depend on themselves, even through others: break one of the refs in the chain.',
      related: cycle.slice(1, -1).map((id, i) => {
        const m = rendered.get(id.slice(6))!;
        const next = cycle[i + 2]!;
        const ref = m.refs.find((x) => `model.${x.name}` === next);
        return { file: m.file.file, line: ref?.line ?? 1, column: ref?.column ?? 1, message: `${m.file.name} refs ${next.slice(6)} here` };
      }),
    });
  }
  const order = stages(graph).flat();

  mark('graph');
  // ---- analyse, in dependency order so every upstream's columns are known
  await parserReady;
  mark('parser-init');
  const sourceById = new Map<string, LoadedSource>();
  const sourceEntries: SerialCatalogEntry[] = [];
  for (const s of sources) {
    sourceById.set(s.manifest.id, s);
    sourceEntries.push({
      relation: s.manifest.bronze.relation.toLowerCase(),
      node: s.manifest.id,
      columns: [
        ...s.manifest.columns.map((c) => baseColumn(s.manifest.id, c.name, s.types.get(c.name)!, c.nullable, c.classification)),
        ...s.manifest.bronze.metadataColumns.map((c) => baseColumn(s.manifest.id, c.name, parseTypeName(c.type)!, c.nullable, [])),
        ...s.manifest.bronze.partitionBy.map((p) => baseColumn(s.manifest.id, p, { kind: 'date' }, false, [])),
      ].map(toSerialColumn),
    });
  }
  const models = new Map<string, ManifestModel>();
  const queries = new Map<string, ModelQueries>();
  const modelContext: ModelContext = { rendered, models, queries, graph, preparedByName, sourceById, diagnostics };
  // Threads pay for their start-up (about 0.3 s) only on large projects.
  const analyser = pool ? await pool : localAnalyser();
  // Signature of each analysed node's columns, for the cache keys of what reads it.
  const signatures = new Map<string, string>();
  const sign = (e: SerialCatalogEntry) => signatures.set(e.node, sha(JSON.stringify([e.columns, e.opaque ?? false])));
  sourceEntries.forEach(sign);
  let cacheHits = 0;
  const requestFor = (id: string): SqlAnalysisRequest | undefined => {
    const r = rendered.get(id.slice(6));
    if (!r) return undefined;
    const declared = [
      ...r.refs.map((x) => preparedByName.get(x.name)?.relation.fqn.toLowerCase()),
      ...r.sources.map((x) => sourceRelations.get(`${x.source}.${x.table}`)?.toLowerCase()),
    ].filter((x): x is string => x !== undefined);
    return {
      id,
      full: r.full.text,
      declared,
      ...(r.incremental && r.incremental.text !== r.full.text ? { incremental: r.incremental.text, self: `${r.relation.database}.${r.relation.table}`.toLowerCase() } : {}),
    };
  };
  const results = new Map<string, SqlAnalysisResult>();
  try {
    analyser.addToCatalog(sourceEntries);
    // Dependency order without stage barriers: a model is sent for analysis as soon as every model it
    // reads is analysed (its columns are then in the workers' catalogs), so the threads never wait for
    // the slowest model of a stage. Results are turned into manifest entries afterwards, in stage order.
    const children = new Map<string, string[]>();
    const waitingOn = new Map<string, number>();
    for (const [id, parents] of graph.parents) {
      const inGraph = parents.filter((p) => graph.parents.has(p));
      waitingOn.set(id, inGraph.length);
      for (const p of inGraph) (children.get(p) ?? children.set(p, []).get(p)!).push(id);
    }
    const ready = [...waitingOn].filter(([, n]) => n === 0).map(([id]) => id).sort();
    // Catalog entries not yet sent to the workers; sent in one message before the next requests.
    const unsent: SerialCatalogEntry[] = [];
    const complete = (id: string, result: SqlAnalysisResult | undefined) => {
      if (result) {
        results.set(id, result);
        const r = rendered.get(id.slice(6))!;
        const entry: SerialCatalogEntry =
          result.columns && result.rowDeps
            ? { relation: r.relation.fqn.toLowerCase(), node: r.id, columns: result.columns.map((c) => ({ ...c, refs: [refKey(r.id, c.name)] })) }
            : { relation: r.relation.fqn.toLowerCase(), node: r.id, columns: [], opaque: true };
        sign(entry);
        unsent.push(entry);
      }
      for (const child of children.get(id) ?? []) {
        const left = waitingOn.get(child)! - 1;
        waitingOn.set(child, left);
        if (left === 0) ready.push(child);
      }
    };
    const maxInFlight = pool ? threads * 2 : 1;
    await new Promise<void>((resolve, reject) => {
      let inFlight = 0;
      const pump = () => {
        while (ready.length > 0 && inFlight < maxInFlight) {
          // Chunks small enough to spread the ready models over every thread, large enough to keep
          // the per-message cost low.
          const chunk = ready.splice(0, Math.max(4, Math.min(64, Math.ceil(ready.length / maxInFlight))));
          const requests: SqlAnalysisRequest[] = [];
          const keys = new Map<string, string>();
          for (const id of chunk) {
            const request = requestFor(id);
            if (!request) {
              complete(id, undefined);
              continue;
            }
            const r = rendered.get(id.slice(6))!;
            const upstream = [...r.refs.map((x) => `model.${x.name}`), ...r.sources.map((x) => `source.${x.source}.${x.table}`)].sort().map((u) => `${u}=${signatures.get(u) ?? '?'}`);
            const key = cache.key(request, upstream);
            const hit = cache.get(id, key);
            if (hit) {
              cacheHits++;
              complete(id, hit);
            } else {
              keys.set(id, key);
              requests.push(request);
            }
          }
          if (requests.length === 0) continue;
          analyser.addToCatalog(unsent.splice(0));
          inFlight++;
          analyser.analyse(requests).then((fresh) => {
            inFlight--;
            for (const result of fresh) {
              cache.set(result.id, keys.get(result.id)!, result);
              complete(result.id, result);
            }
            pump();
          }, reject);
        }
        if (inFlight === 0 && ready.length === 0) resolve();
      };
      pump();
    });
  } finally {
    await analyser.close();
  }
  for (const id of order) {
    const result = results.get(id);
    if (!result) continue;
    const r = rendered.get(id.slice(6))!;
    const reported = new Set<string>();
    for (const p of result.problems) {
      const pos = (p.form === 'incremental' ? r.incremental! : r.full).toTemplate(p.line, p.column);
      const key = `${p.code}:${pos.line}:${pos.column}:${p.message}`;
      if (reported.has(key)) continue;
      reported.add(key);
      diagnostics.push({ code: p.code, severity: p.severity, message: `${p.message} (in model ${r.file.name})`, file: r.file.file, ...pos, frame: codeFrame(r.file.text, pos.line, pos.column), hint: referenceHint(p, r.tsModel !== undefined) ?? p.hint });
    }
    if (!result.columns || !result.rowDeps) continue;
    const columns = result.columns.map(fromSerialColumn);
    const rowDeps = new Map(result.rowDeps.map(([k, roles]) => [k, new Set(roles as Array<Exclude<LineageRole, 'value'>>)]));
    models.set(r.id, toManifestModel(modelContext, r, columns, rowDeps));
  }
  await cache.save(new Set([...rendered.values()].map((r) => r.id)));


  // Source columns each model column derives from, through every model in between.
  const columnsByModel = new Map<string, Map<string, ManifestModel['columns'][number]>>();
  for (const id of order) {
    const m = models.get(id);
    if (!m) continue;
    columnsByModel.set(id, new Map(m.columns.map((c) => [c.name, c])));
    for (const c of m.columns) {
      const out = new Map<string, { node: string; column: string }>();
      for (const u of c.upstream) {
        if (u.node.startsWith('source.')) out.set(`${u.node}.${u.column}`, u);
        else for (const s of columnsByModel.get(u.node)?.get(u.column)?.sources ?? []) out.set(`${s.node}.${s.column}`, s);
      }
      c.sources = [...out.values()].sort((a, b) => `${a.node}.${a.column}`.localeCompare(`${b.node}.${b.column}`));
    }
  }

  mark('analyse');
  // ---- tests
  const { tests, operations: testOperations } = compileTests(models, sources, rendered, singular, env, scope, preparedByName, diagnostics);
  const unitTests = compileUnitTests(models, rendered, sourceById, diagnostics);
  const unitTestOperations = compileUnitTestOperations({ unitTests, models, rendered, scope, sourceById, diagnostics });

  // ---- manifest and plan
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const s of sources) childMap[s.manifest.id] = [];
  for (const m of models.values()) {
    parentMap[m.id] = [...m.dependsOn.models, ...m.dependsOn.sources].sort();
    childMap[m.id] ??= [];
  }
  for (const m of models.values()) for (const p of parentMap[m.id]!) (childMap[p] ??= []).push(m.id);
  for (const k of Object.keys(childMap)) childMap[k]!.sort();

  const manifest: Manifest = {
    manifestVersion: MANIFEST_VERSION,
    generator: { name: 'lakehouse-etl', version: TOOL_VERSION },
    project: { name: config.name, root: projectDir, vars: vars as Record<string, unknown> },
    target: { name: targetName, kind: target.kind, layers, settings: Object.fromEntries(Object.entries(target).filter(([k]) => k !== 'kind')) },
    sources: sortedRecord(sources.map((s) => [s.manifest.id, s.manifest])),
    models: sortedRecord([...models].map(([id, m]) => [id, m])),
    tests: sortedRecord(Object.entries(tests)),
    unitTests: sortedRecord(Object.entries(unitTests)),
    childMap: sortedRecord(Object.entries(childMap)),
    parentMap: sortedRecord(Object.entries(parentMap)),
  };
  const plan = buildPlan({
    target: targetName,
    layerRoots: roots,
    sources: sources.map((s) => s.manifest),
    models,
    queries,
    tests: Object.values(tests).flatMap((t) => (testOperations.has(t.id) ? [{ test: t, query: testOperations.get(t.id)! }] : [])),
    unitTests: unitTestOperations,
    onCycle,
  });
  mark('tests+plan');
  return { manifest, plan, diagnostics, ok: !diagnostics.some((d) => d.severity === 'error'), timings, cacheHits };
}

interface ModelContext {
  rendered: Map<string, RenderedModel>;
  models: Map<string, ManifestModel>;
  queries: Map<string, ModelQueries>;
  graph: Graph;
  preparedByName: Map<string, { relation: { fqn: string } }>;
  sourceById: Map<string, LoadedSource>;
  diagnostics: Diagnostic[];
}

/** The manifest entry of one analysed model: metadata, config, columns, lineage, compiled SQL and statements. */
function toManifestModel(ctx: ModelContext, r: RenderedModel, columns: AnalysedColumn[], rowDeps: Map<string, Set<Exclude<LineageRole, 'value'>>>): ManifestModel {
  const { rendered, models, queries, graph, preparedByName, sourceById, diagnostics } = ctx;
  const meta = r.file.meta?.data;
  const metaCols = meta?.columns ?? {};
  for (const [name] of Object.entries(metaCols)) {
    if (!columns.some((c) => c.name.toLowerCase() === name.toLowerCase())) {
      const pos = r.file.meta!.position(['columns'], name);
      diagnostics.push({
        code: 'ETL163',
        severity: r.config.contract ? 'error' : 'warning',
        message: `Column '${name}' is documented in ${r.file.meta!.file} but ${r.file.name} does not select it`,
        file: r.file.meta!.file,
        ...pos,
        frame: codeFrame(r.file.meta!.text, pos.line, pos.column),
        hint: `The model selects: ${columns.map((c) => c.name).join(', ')}.`,
      });
    }
  }
  if (r.config.contract) checkContract(r, columns, diagnostics);
  const upstreamIds = [...new Set(r.refs.map((x) => `model.${x.name}`))].filter((x) => rendered.has(x.slice(6))).sort();
  const sourceIds = [...new Set(r.sources.map((s) => `source.${s.source}.${s.table}`))].filter((x) => sourceById.has(x)).sort();
  const listOf = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);
  const cfg: ManifestModel['config'] = {};
  if (r.config.materialized === 'incremental') cfg.incremental_strategy = r.config.incremental_strategy ?? (r.config.unique_key ? 'merge' : 'append');
  for (const key of ['unique_key', 'partition_by', 'zorder_by'] as const) {
    const v = listOf(r.config[key]);
    if (v) cfg[key] = v;
  }
  if (r.config.tblproperties) cfg.tblproperties = r.config.tblproperties;
  if (r.config.merge_update_columns) cfg.merge_update_columns = r.config.merge_update_columns;
  if (r.config.contract) cfg.contract = true;
  checkConfigColumns(r, cfg, columns, diagnostics);
  const model: ManifestModel = {
    id: r.id,
    name: r.file.name,
    layer: r.file.layer,
    language: r.file.language,
    file: r.file.file,
    ...(r.file.meta && r.file.meta.file !== r.file.file ? { metaFile: r.file.meta.file } : {}),
    ...(meta?.description ? { description: meta.description } : {}),
    ...((r.config.owner ?? meta?.owner) ? { owner: r.config.owner ?? meta?.owner } : {}),
    tags: r.config.tags ?? [],
    materialized: r.config.materialized,
    config: cfg,
    ...(r.config.materialized !== 'ephemeral' ? { relation: r.relation } : {}),
    dependsOn: { models: upstreamIds, sources: sourceIds },
    columns: columns.map((c) => {
      const m = Object.entries(metaCols).find(([n]) => n.toLowerCase() === c.name.toLowerCase())?.[1];
      const classes = new Set<Classification>([...c.classes, ...(m?.classification ?? [])]);
      return {
        name: c.name,
        type: formatType(c.type),
        nullable: c.nullable,
        classification: [...classes].sort(),
        ...(m?.description ? { description: m.description } : {}),
        upstream: [...c.refs].sort().map(splitKey),
        sources: [],
      };
    }),
    rowDependencies: [...rowDeps]
      .flatMap(([key, roles]) => [...roles].map((role) => ({ ...splitKey(key), role }) as RowDependency))
      .sort((a, b) => (a.node + a.column + a.role).localeCompare(b.node + b.column + b.role)),
    compiledSql: '',
    artifacts: { compiled: `target/compiled/${r.file.layer}/${r.file.name}.sql`, run: `target/run/${r.file.layer}/${r.file.name}.sql` },
    checksum: sha(r.file.text + (r.file.meta && r.file.meta.file !== r.file.file ? r.file.meta.text : '')),
  };
  // Ephemeral parents are inlined as CTEs, in dependency order.
  const ephemerals: Array<{ name: string; query: Query }> = [];
  const seenEph = new Set<string>();
  const collect = (mid: string) => {
    for (const p of graph.parents.get(mid) ?? []) {
      const pm = models.get(p);
      if (pm?.materialized === 'ephemeral' && !seenEph.has(p)) {
        seenEph.add(p);
        collect(p);
        const pr = rendered.get(pm.name)!;
        ephemerals.push({ name: preparedByName.get(pm.name)!.relation.fqn, query: queryFromRendered(pr.full, pr.file.file) });
      }
    }
  };
  collect(r.id);
  const full = inlineEphemerals(trimQuery(queryFromRendered(r.full, r.file.file)), ephemerals);
  model.compiledSql = full.sql;
  queries.set(r.id, { full, ...(r.incremental ? { incremental: inlineEphemerals(trimQuery(queryFromRendered(r.incremental, r.file.file)), ephemerals) } : {}) });
  return model;
}

function baseColumn(node: string, name: string, type: SqlType, nullable: boolean, classes: Classification[]): AnalysedColumn {
  return { name, type, nullable, refs: new Set([refKey(node, name)]), classes: new Set(classes) };
}

function splitKey(key: string): { node: string; column: string } {
  const i = key.indexOf('\u0000');
  return { node: key.slice(0, i), column: key.slice(i + 1) };
}
