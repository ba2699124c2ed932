/**
 * One edited model (its .sql/.ts file or its sidecar) brought up to date in place: re-read and
 * re-rendered alone, re-analysed, and the models reading it re-checked while its output columns
 * change (transitively). Anything that would change the graph or another model's rendering (refs,
 * sources, its relation, whether it compiles at all) answers `false`: the caller compiles in full.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyseSql, toCatalogEntry, type SqlAnalysisRequest } from '../analyse/analyse-sql.js';
import { modelMetaSchema } from '../config/model-config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { yamlMeta, type ModelFile } from '../load/model-files.js';
import { withoutBom } from '../load/text-file.js';
import { parseYamlFile, schemaDiagnostics } from '../load/yaml-file.js';
import { describeAnalysed } from '../phases/analyse.js';
import { graphPhase } from '../phases/graph.js';
import type { ModelContext } from '../phases/manifest-model.js';
import { prepareModels, renderModel, type RenderedModel } from '../resolve/models.js';
import { modelCatalogEntry } from './full.js';
import { signatureOf, type CompiledParts, type PhaseDiagnostics, type SessionState } from './state.js';
import { runTestsStage } from './tests-stage.js';
import { refreshSourceLineage } from './lineage.js';
import { snapshotSpec } from '../config/snapshot-config.js';

/** Unsaved editor text by project-relative path; read before the disk. */
export type Overlays = ReadonlyMap<string, string>;

const sidecarCode = (p: ReadonlyArray<string | number>) => (p[0] === 'config' ? 'ETL153' : 'ETL121');

/** Files whose diagnostics belong to a model: its own file and its sidecar. */
const filesOf = (f: ModelFile) => new Set([f.file, ...(f.meta ? [f.meta.file] : [])]);

function readText(projectDir: string, file: string, overlays: Overlays): string {
  return overlays.get(file) ?? withoutBom(readFileSync(path.join(projectDir, file), 'utf8'));
}

/** The model file read again (text and sidecar), or undefined when its sidecar no longer parses as one. */
function reread(c: CompiledParts, old: ModelFile, overlays: Overlays, loadDiagnostics: Diagnostic[]): ModelFile | undefined {
  const text = readText(c.loaded.projectDir, old.file, overlays);
  if (!old.meta) return { ...old, text };
  const metaText = readText(c.loaded.projectDir, old.meta.file, overlays);
  const yaml = parseYamlFile(old.meta.file, metaText, loadDiagnostics);
  if (!yaml) return undefined;
  const parsed = modelMetaSchema.safeParse(yaml.data ?? {});
  if (!parsed.success) {
    loadDiagnostics.push(...schemaDiagnostics(yaml, modelMetaSchema, parsed.error, sidecarCode, `model metadata of ${old.name}`));
    return undefined;
  }
  return { ...old, text, meta: yamlMeta(yaml, parsed.data) };
}

/** What other models' rendering depends on: unchanged, or the edit needs a full compile. */
const samePlace = (a: RenderedModel, b: RenderedModel) => JSON.stringify([a.relation, a.config.materialized, a.deferred]) === JSON.stringify([b.relation, b.config.materialized, b.deferred]);
const reads = (r: RenderedModel) => JSON.stringify([r.refs.map((x) => x.name), r.sources.map((x) => `${x.source}.${x.table}`)]);

/** Applies the edit of model `name`; returns the ids of the models re-analysed, or false when a full compile is needed. */
export async function editModel(state: SessionState, name: string, overlays: Overlays, mark: (step: string) => void = () => {}): Promise<string[] | false> {
  const { phases, compiled: c } = state;
  if (!c) return false;
  const { resolved, loaded } = c;
  const before = resolved.rendered.get(name);
  // Only a model that compiled and still compiles with the same reads is updated in place.
  if (!before) return false;
  const files = filesOf(before.file);
  if ([...phases.resolve, ...phases.analyse].some((d) => d.file?.startsWith('macros/') && d.related?.some((r) => files.has(r.file)))) return false;
  const loadDiagnostics: Diagnostic[] = [];
  const file = reread(c, before.file, overlays, loadDiagnostics);
  if (!file || loadDiagnostics.length) return false;
  const resolveDiagnostics: Diagnostic[] = [];
  const [prepared] = await prepareModels([file], loaded.config, loaded.layers, loaded.env, resolveDiagnostics, loaded.projectDir, { environment: loaded.environment, defer: state.options.defer });
  if (!prepared || prepared.deferred !== before.deferred) return false;
  const after = renderModel(prepared, resolved.scope, resolveDiagnostics);
  mark('render');
  if (!after || !samePlace(before, after) || resolveDiagnostics.some((d) => !files.has(d.file ?? ''))) return false;

  // In place from here: the model's render, then its analysis and its readers'.
  resolved.rendered.set(name, after);
  resolved.preparedByName.set(name, prepared);
  resolved.prepared[resolved.prepared.findIndex((m) => m.file.name === name)] = prepared;
  resolved.scope.models.set(name, prepared);
  if (file.meta?.text.includes('relationships')) c.relationshipTests.add(after.id);
  else c.relationshipTests.delete(after.id);
  const i = loaded.modelFiles.findIndex((f) => f.name === name);
  if (i >= 0) loaded.modelFiles[i] = file;
  phases.load = phases.load.filter((d) => !files.has(d.file ?? ''));
  phases.resolve = [...phases.resolve.filter((d) => !files.has(d.file ?? '')), ...resolveDiagnostics];
  if (reads(before) !== reads(after) && !regraph(c, phases)) return false;
  mark('graph');
  const analysed = reanalyse(c, phases, after.id);
  if (analysed === false) return false;
  mark('analyse');
  refreshSourceLineage(c, analysed);
  mark('lineage');
  retest(c, phases, analysed);
  mark('tests');
  return analysed;
}

/**
 * The graph again after a model's refs or sources changed: kept when the same models are left out
 * (cascades) and none is on a cycle, else false (a full compile reports those).
 */
function regraph(c: CompiledParts, phases: PhaseDiagnostics): boolean {
  const { resolved, modelGraph: old } = c;
  const diagnostics: Diagnostic[] = [];
  const fresh = graphPhase(resolved.rendered, diagnostics, { unavailable: resolved.unavailable, failedSources: resolved.failedSources });
  const same = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));
  if (!same(fresh.excluded, old.excluded) || fresh.onCycle.size > 0 || old.onCycle.size > 0) return false;
  c.modelGraph = fresh;
  phases.graph = diagnostics;
  c.children.clear();
  for (const [id, parents] of fresh.graph.parents) for (const p of parents) (c.children.get(p) ?? c.children.set(p, []).get(p)!).push(id);
  c.orderIndex.clear();
  fresh.order.forEach((id, i) => c.orderIndex.set(id, i));
  return true;
}

/** Re-analyses `start` and, while a model's output columns change, the models reading it; in dependency order. */
function reanalyse(c: CompiledParts, phases: PhaseDiagnostics, start: string): string[] | false {
  const { resolved, modelGraph } = c;
  const analysable = (id: string) => modelGraph.graph.parents.has(id) && !modelGraph.onCycle.has(id);
  const pending = new Set([start].filter(analysable));
  const done: string[] = [];
  const ctx: ModelContext = { rendered: resolved.rendered, models: c.models, queries: c.queries, graph: modelGraph.graph, preparedByName: resolved.preparedByName, sourceById: c.sourceById, diagnostics: [], policy: c.loaded.config.governance?.policy };
  while (pending.size) {
    const id = [...pending].reduce((a, b) => (c.orderIndex.get(a)! <= c.orderIndex.get(b)! ? a : b));
    pending.delete(id);
    const r = resolved.rendered.get(id.slice(6))!;
    const result = analyseSql(requestFor(c, r), c.catalog);
    c.results.set(id, result);
    const entry = modelCatalogEntry(r, result);
    c.catalog.set(entry.relation, toCatalogEntry(entry));
    const signature = signatureOf(entry);
    const changed = signature !== c.signatures.get(id) || r.config.materialized === 'ephemeral';
    c.signatures.set(id, signature);
    const files = filesOf(r.file);
    ctx.diagnostics = [];
    c.models.delete(id);
    c.queries.delete(id);
    describeAnalysed(ctx, r, result, resolved.referenceHint);
    // SQL a partial writes is reported once across its callers: only a full compile merges those.
    if (ctx.diagnostics.some((d) => !files.has(d.file ?? ''))) return false;
    phases.analyse = [...phases.analyse.filter((d) => !files.has(d.file ?? '')), ...ctx.diagnostics];
    done.push(id);
    if (changed) for (const child of c.children.get(id) ?? []) if (analysable(child)) pending.add(child);
  }
  return done;
}

/** The analysis request of a rendered model (as the analyse phase makes it). */
function requestFor(c: CompiledParts, r: RenderedModel): SqlAnalysisRequest {
  const { preparedByName, sourceRelations } = c.resolved;
  const declared = [
    ...r.refs.map((x) => preparedByName.get(x.name)?.relation.fqn.toLowerCase()),
    ...r.sources.map((x) => sourceRelations.get(`${x.source}.${x.table}`)?.toLowerCase()),
  ].filter((x): x is string => x !== undefined);
  return {
    id: r.id,
    full: r.full.text,
    declared,
    ...(r.incremental && r.incremental.text !== r.full.text ? { incremental: r.incremental.text, self: `${r.relation.database}.${r.relation.table}`.toLowerCase() } : {}),
    ...(r.config.materialized === 'snapshot' ? { snapshot: snapshotSpec(r.config) } : {}),
    ...(r.config.declassify ? { declassify: Object.keys(r.config.declassify).sort() } : {}),
  };
}

/** Tests of the re-analysed models and of the models whose relationships tests name one of them. */
function retest(c: CompiledParts, phases: PhaseDiagnostics, analysed: string[]): void {
  if (c.loaded.singular.length > 0) {
    phases.tests = [];
    runTestsStage(c, undefined, phases.tests);
    return;
  }
  const names = analysed.map((id) => id.slice(6));
  const focus = new Set(analysed);
  for (const id of c.relationshipTests) {
    const meta = c.resolved.rendered.get(id.slice(6))?.file.meta;
    if (meta && names.some((n) => meta.text.includes(n))) focus.add(id);
  }
  const files = new Set<string>();
  for (const id of focus) for (const f of filesOf(c.resolved.rendered.get(id.slice(6))!.file)) files.add(f);
  const fresh: Diagnostic[] = [];
  runTestsStage(c, focus, fresh);
  phases.tests = [...phases.tests.filter((d) => !files.has(d.file ?? '')), ...fresh];
}
