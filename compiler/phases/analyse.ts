/**
 * Phase 4, analyse: every model's SQL parsed and typed in dependency order (on worker threads for
 * large projects), problems mapped back to the template, columns traced to source columns.
 */
import { createHash } from 'node:crypto';
import type { Classification, SqlType } from '../api/columns.js';
import { refKey, type AnalysedColumn } from '../analyse/analyser.js';
import { fromSerialColumn, toSerialColumn, type SerialCatalogEntry, type SqlAnalysisRequest, type SqlAnalysisResult } from '../analyse/analyse-sql.js';
import { localAnalyser } from '../analyse/pool.js';
import { analyseInDependencyOrder } from '../analyse/schedule.js';
import { parseTypeName } from '../analyse/sql-types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import type { LoadedSource } from '../load/sources.js';
import type { LineageRole, ManifestModel } from '../manifest/types.js';
import type { ModelQueries } from '../plan/build-plan.js';
import type { LoadedProject } from './load.js';
import type { ModelGraph } from './graph.js';
import { toManifestModel, type ModelContext } from './manifest-model.js';
import type { ResolvedProject } from './resolve.js';
import type { RenderedModel } from '../resolve/models.js';
import { callsInto, reportMacroFault } from '../resolve/render-problems.js';
import { governModel } from '../governance/policy-check.js';
import { snapshotSpec } from '../config/snapshot-config.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface AnalysedProject {
  models: Map<string, ManifestModel>;
  queries: Map<string, ModelQueries>;
  sourceById: Map<string, LoadedSource>;
  cacheHits: number;
  /** Each analysed model's raw result, and the sources' catalog entries: what an incremental session starts from. */
  results: Map<string, SqlAnalysisResult>;
  sourceEntries: SerialCatalogEntry[];
}

export async function analysePhase(loaded: LoadedProject, resolved: ResolvedProject, modelGraph: ModelGraph, diagnostics: Diagnostic[]): Promise<AnalysedProject> {
  const { sources, pool, threads, cache } = loaded;
  const { rendered, preparedByName, sourceRelations, referenceHint } = resolved;
  const { graph, order } = modelGraph;
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
  // Seeds are read like sources: base columns of their own node (`seed.<name>`).
  for (const seed of resolved.seedByName.values()) {
    const m = seed.manifest;
    sourceEntries.push({ relation: m.relation.fqn.toLowerCase(), node: m.id, columns: m.columns.map((c) => toSerialColumn(baseColumn(m.id, c.name, seed.types.get(c.name)!, c.nullable, c.classification))) });
  }
  // Threads pay for their start-up (about 0.3 s) only on large projects.
  const analyser = pool ? await pool : localAnalyser();
  const signatures = new Map<string, string>();
  const sign = (e: SerialCatalogEntry) => signatures.set(e.node, sha(JSON.stringify([e.columns, e.opaque ?? false])));
  sourceEntries.forEach(sign);
  const requestFor = (id: string): SqlAnalysisRequest | undefined => {
    const r = rendered.get(id.slice(6));
    if (!r) return undefined;
    const declared = [
      ...r.refs.map((x) => preparedByName.get(x.name)?.relation.fqn.toLowerCase()),
      ...r.sources.map((x) => sourceRelations.get(`${x.source}.${x.table}`)?.toLowerCase()),
      ...(r.seeds ?? []).map((x) => resolved.seedByName.get(x.name)?.manifest.relation.fqn.toLowerCase()),
    ].filter((x): x is string => x !== undefined);
    return {
      id,
      full: r.full.text,
      declared,
      ...(r.incremental && r.incremental.text !== r.full.text ? { incremental: r.incremental.text, self: `${r.relation.database}.${r.relation.table}`.toLowerCase() } : {}),
      ...(r.config.materialized === 'snapshot' ? { snapshot: snapshotSpec(r.config) } : {}),
      ...(r.config.declassify ? { declassify: Object.keys(r.config.declassify).sort() } : {}),
    };
  };
  let scheduled: Awaited<ReturnType<typeof analyseInDependencyOrder>>;
  try {
    analyser.addToCatalog(sourceEntries);
    scheduled = await analyseInDependencyOrder({ analyser, graph, rendered, cache, maxInFlight: pool ? threads * 2 : 1, requestFor, signatures, sign });
  } finally {
    await analyser.close();
  }
  const { results, cacheHits } = scheduled;
  const models = new Map<string, ManifestModel>();
  const queries = new Map<string, ModelQueries>();
  const modelContext: ModelContext = { rendered, models, queries, graph, preparedByName, sourceById, diagnostics, policy: loaded.config.governance?.policy };
  for (const id of order) {
    const result = results.get(id);
    if (result) describeAnalysed(modelContext, rendered.get(id.slice(6))!, result, referenceHint);
  }
  await cache.save(new Set([...rendered.values()].map((r) => r.id)));
  propagateSourceLineage(models, order);
  return { models, queries, sourceById, cacheHits, results, sourceEntries };
}

/**
 * One analysed model's problems as diagnostics (at the template, or once in a partial's file) and
 * its manifest entry; also what an incremental session runs for the models it re-analyses.
 */
export function describeAnalysed(ctx: ModelContext, r: RenderedModel, result: SqlAnalysisResult, referenceHint: ResolvedProject['referenceHint']): void {
  const { diagnostics, models } = ctx;
  const reported = new Set<string>();
  for (const p of result.problems) {
    const form = p.form === 'incremental' ? r.incremental! : r.full;
    // SQL written by a partial: reported once in the partial's file, each calling model related.
    const inMacro = form.inMacro?.(p.line, p.column);
    if (inMacro) {
      const { site, line, column } = inMacro;
      const fault = { code: p.code, severity: p.severity, message: p.message, hint: p.hint, file: site.file, text: site.text, line, column };
      reportMacroFault(diagnostics, fault, callsInto(site, { name: r.file.name, file: r.file.file, text: r.file.text }));
      continue;
    }
    const pos = form.toTemplate(p.line, p.column);
    const key = `${p.code}:${pos.line}:${pos.column}:${p.message}`;
    if (reported.has(key)) continue;
    reported.add(key);
    diagnostics.push({ code: p.code, severity: p.severity, message: `${p.message} (in model ${r.file.name})`, file: r.file.file, ...pos, frame: codeFrame(r.file.text, pos.line, pos.column), hint: referenceHint(p, r.tsModel !== undefined) ?? p.hint });
  }
  if (!result.columns || !result.rowDeps) return;
  const columns = result.columns.map(fromSerialColumn);
  const rowDeps = new Map(result.rowDeps.map(([k, roles]) => [k, new Set(roles as Array<Exclude<LineageRole, 'value'>>)]));
  try {
    const model = toManifestModel(ctx, r, columns, rowDeps);
    governModel(ctx.policy, r, result.columns, model, diagnostics);
    models.set(r.id, model);
  } catch (err) {
    // A bug of the tool in one model is that model's diagnostic; the others carry on.
    const reason = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    diagnostics.push({ code: 'ETL199', severity: 'error', message: `Internal error while describing model ${r.file.name} (a bug in lakehouse-etl, not in the model): ${reason}`, file: r.file.file, line: 1, column: 1, frame: codeFrame(r.file.text, 1, 1), hint: "Please report it with this model's SQL and config; the other models were compiled as usual." });
  }
}

/** Source columns each model column derives from, through every model in between. */
export function propagateSourceLineage(models: Map<string, ManifestModel>, order: string[]): void {
  const columnsByModel = new Map<string, Map<string, ManifestModel['columns'][number]>>();
  for (const id of order) {
    const m = models.get(id);
    if (!m) continue;
    columnsByModel.set(id, new Map(m.columns.map((c) => [c.name, c])));
    for (const c of m.columns) {
      const out = new Map<string, { node: string; column: string }>();
      for (const u of c.upstream) {
        if (u.node.startsWith('source.') || u.node.startsWith('seed.')) out.set(`${u.node}.${u.column}`, u);
        else for (const s of columnsByModel.get(u.node)?.get(u.column)?.sources ?? []) out.set(`${s.node}.${s.column}`, s);
      }
      c.sources = [...out.values()].sort((a, b) => `${a.node}.${a.column}`.localeCompare(`${b.node}.${b.column}`));
    }
  }
}

function baseColumn(node: string, name: string, type: SqlType, nullable: boolean, classes: Classification[]): AnalysedColumn {
  return { name, type, nullable, refs: new Set([refKey(node, name)]), classes: new Set(classes) };
}
