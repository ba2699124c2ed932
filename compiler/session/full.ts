/**
 * A session's full compile: the compile core's phases (compiler/phases/) run in the same order as
 * compileProject, each with its own diagnostics list, and everything an edit needs kept.
 */
import path from 'node:path';
import { refKey } from '../analyse/analyser.js';
import { analyseSql, toCatalogEntry, type SerialCatalogEntry, type SqlAnalysisResult } from '../analyse/analyse-sql.js';
import { initParser } from '../analyse/parse.js';
import type { CompileOptions } from '../compile-types.js';
import { withProjectModules } from '../load/import-project-module.js';
import { analysePhase } from '../phases/analyse.js';
import { graphPhase } from '../phases/graph.js';
import { loadPhase } from '../phases/load.js';
import { resolvePhase } from '../phases/resolve.js';
import type { RenderedModel } from '../resolve/models.js';
import { emptyPhases, signatureOf, type CompiledParts, type SessionState } from './state.js';
import { runTestsStage } from './tests-stage.js';

export function fullCompile(options: CompileOptions): Promise<SessionState> {
  return withProjectModules(() => compileAll(options));
}

async function compileAll(options: CompileOptions): Promise<SessionState> {
  const projectDir = path.resolve(options.projectDir);
  const phases = emptyPhases();
  const parserReady = initParser();
  const loaded = await loadPhase(projectDir, options, phases.load);
  if (!loaded) return { projectDir, options, phases };
  const resolved = await resolvePhase(loaded, phases.resolve, options.defer);
  const modelGraph = graphPhase(resolved.rendered, phases.graph, { unavailable: resolved.unavailable, failedSources: resolved.failedSources });
  await parserReady;
  const analysed = await analysePhase(loaded, resolved, modelGraph, phases.analyse);
  const { models, queries, sourceById, results, sourceEntries } = analysed;
  const catalog = new Map(sourceEntries.map((e) => [e.relation, toCatalogEntry(e)]));
  const signatures = new Map(sourceEntries.map((e) => [e.node, signatureOf(e)]));
  for (const [id, result] of results) {
    const entry = modelCatalogEntry(resolved.rendered.get(id.slice(6))!, result);
    catalog.set(entry.relation, toCatalogEntry(entry));
    signatures.set(id, signatureOf(entry));
  }
  const children = new Map<string, string[]>();
  for (const [id, parents] of modelGraph.graph.parents) for (const p of parents) (children.get(p) ?? children.set(p, []).get(p)!).push(id);
  const orderIndex = new Map(modelGraph.order.map((id, i) => [id, i]));
  const modelByFile = new Map<string, string>();
  const relationshipTests = new Set<string>();
  for (const r of resolved.rendered.values()) {
    modelByFile.set(r.file.file, r.file.name);
    if (r.file.meta) modelByFile.set(r.file.meta.file, r.file.name);
    if (r.file.meta?.text.includes('relationships')) relationshipTests.add(r.id);
  }
  const compiled: CompiledParts = { loaded, resolved, modelGraph, models, queries, sourceById, results, catalog, signatures, children, orderIndex, modelByFile, relationshipTests };
  runTestsStage(compiled, undefined, phases.tests);
  warmUp(compiled);
  return { projectDir, options, phases, compiled };
}

/**
 * Large projects are analysed on worker threads, so the main thread's parser and analyser are cold
 * (first call: seconds under load). One model analysed here and thrown away makes the first edit fast.
 */
function warmUp(c: CompiledParts): void {
  const first = c.modelGraph.order.find((id) => c.results.has(id));
  const r = first === undefined ? undefined : c.resolved.rendered.get(first.slice(6));
  if (r) analyseSql({ id: r.id, full: r.full.text }, c.catalog);
}

/** The catalog entry other models read for an analysed model (as the scheduler makes it). */
export function modelCatalogEntry(r: RenderedModel, result: SqlAnalysisResult): SerialCatalogEntry {
  const relation = r.relation.fqn.toLowerCase();
  return result.columns && result.rowDeps
    ? { relation, node: r.id, columns: result.columns.map((c) => ({ ...c, refs: [refKey(r.id, c.name)] })) }
    : { relation, node: r.id, columns: [], opaque: true };
}
