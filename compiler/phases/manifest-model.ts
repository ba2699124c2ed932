/** The manifest entry of one analysed model, and its queries for the plan (ephemeral parents inlined). */
import { createHash } from 'node:crypto';
import type { Classification } from '../api/columns.js';
import { formatType } from '../api/columns.js';
import type { AnalysedColumn } from '../analyse/analyser.js';
import { checkConfigColumns, checkContract } from '../analyse/model-checks.js';
import { checkSnapshot, snapshotManifestConfig } from '../analyse/snapshot-checks.js';
import { backfillConfig, checkBackfillConfig } from '../analyse/backfill-checks.js';
import { checkRetentionConfig } from '../governance/retention-checks.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { GovernancePolicy } from '../config/governance-policy.js';
import { codeFrame } from '../diagnostics/frame.js';
import { inlineEphemerals } from '../emit/ephemerals.js';
import type { LoadedSource } from '../load/sources.js';
import type { LineageRole, ManifestModel, RowDependency } from '../manifest/types.js';
import type { ModelQueries } from '../plan/build-plan.js';
import type { Graph } from '../plan/graph.js';
import type { Query } from '../plan/operations.js';
import { queryFromRendered, trimQuery } from '../plan/query-map.js';
import type { RenderedModel } from '../resolve/models.js';
import { seedIdsOf } from '../resolve/seed-refs.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export interface ModelContext {
  rendered: Map<string, RenderedModel>;
  models: Map<string, ManifestModel>;
  queries: Map<string, ModelQueries>;
  graph: Graph;
  preparedByName: Map<string, { relation: { fqn: string } }>;
  sourceById: Map<string, LoadedSource>;
  diagnostics: Diagnostic[];
  /** project.yaml `governance.policy` (compiler/governance/policy-check.ts). */
  policy?: GovernancePolicy | undefined;
}

/** The manifest entry of one analysed model: metadata, config, columns, lineage, compiled SQL and statements. */
export function toManifestModel(ctx: ModelContext, r: RenderedModel, columns: AnalysedColumn[], rowDeps: Map<string, Set<Exclude<LineageRole, 'value'>>>): ManifestModel {
  const { rendered, sourceById, diagnostics } = ctx;
  const meta = r.file.meta?.data;
  const metaCols = meta?.columns ?? {};
  for (const [name, documented] of Object.entries(metaCols)) {
    // A column with tests is an error of the tests stage (ETL183, at the test): not reported twice.
    if (documented?.tests?.length) continue;
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
  const sourceIds = [...[...new Set(r.sources.map((s) => `source.${s.source}.${s.table}`))].filter((x) => sourceById.has(x)), ...seedIdsOf(r)].sort();
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
  if (r.config.on_schema_change) cfg.on_schema_change = r.config.on_schema_change;
  for (const key of ['pre_hook', 'post_hook'] as const) {
    const v = listOf(r.config[key]);
    if (v?.length) cfg[key] = v;
  }
  Object.assign(cfg, backfillConfig(r.config));
  Object.assign(cfg, snapshotManifestConfig(r));
  checkConfigColumns(r, cfg, columns, diagnostics);
  checkSnapshot(r, columns, diagnostics);
  checkBackfillConfig(r, cfg, columns, diagnostics);
  if (r.config.retention) cfg.retention = r.config.retention;
  checkRetentionConfig(r, cfg, columns, diagnostics);
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
  model.compiledSql = modelQueries(ctx, r).full.sql;
  return model;
}


function splitKey(key: string): { node: string; column: string } {
  const i = key.indexOf('\u0000');
  return { node: key.slice(0, i), column: key.slice(i + 1) };
}

/** The model's queries with its ephemeral parents inlined as CTEs, in dependency order; kept for the plan. */
function modelQueries(ctx: ModelContext, r: RenderedModel): ModelQueries {
  const { rendered, models, queries, graph, preparedByName } = ctx;
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
  queries.set(r.id, { full, ...(r.incremental ? { incremental: inlineEphemerals(trimQuery(queryFromRendered(r.incremental, r.file.file)), ephemerals) } : {}) });
  return queries.get(r.id)!;
}
