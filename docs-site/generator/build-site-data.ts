/**
 * Turns a manifest (plus optional run results) into the site's data: a compact index for the
 * overview, graph and search, and per-node details cut into chunks that load on demand.
 * Everything the browser would otherwise compute over the whole project (reverse column lineage,
 * the PII-in-gold list, test counts) is computed here once.
 */
import type { Manifest, ManifestModel, ManifestSeed, ManifestSource, Plan } from '../../compiler/manifest/types.js';
import { modelStatements } from './statements.js';
import {
  NODES_PER_CHUNK,
  type ChunkData,
  type ColumnDetail,
  type IndexNode,
  type NodeDetail,
  type PiiGoldColumn,
  type RoleRefData,
  type RunStatus,
  type SearchColumn,
  type SiteIndex,
  type TestCounts,
  type TestDetail,
  type TestRow,
  type UnitTestDetail,
} from '../shared/site-data.js';
import { exposureSummaries } from './exposures.js';
import { governanceData } from './governance.js';
import type { GovernanceData } from '../shared/governance-data.js';
import type { RolesConfig } from '../../compiler/config/governance-roles.js';
import { redactSecrets } from './redact.js';
import type { RunResults } from './run-results.js';

export interface SiteData {
  index: SiteIndex;
  chunks: ChunkData[];
  /** Column names per node (aligned with `index.nodes`), loaded lazily by search. */
  searchColumns: SearchColumn[][];
  tests: TestRow[];
  piiGold: PiiGoldColumn[];
  /** The governance view (data/governance.js, loaded by its page). */
  governance: GovernanceData;
}

export interface BuildOptions {
  runResults?: RunResults;
  /** The compiled plan, for the statements each model runs (absent: none shown). */
  plan?: Plan;
  /** Reads a project file (model source) or returns undefined; kept out so this stays pure. */
  readProjectFile?: (relativePath: string) => string | undefined;
  generatedAt?: string;
  warnings?: string[];
  /** project.yaml `governance.roles`, for the governance view's access matrix. */
  roles?: RolesConfig;
}

const emptyCounts = (): TestCounts => ({ total: 0, pass: 0, fail: 0, warn: 0, error: 0, notRun: 0 });

function summarise(description: string | undefined): string | undefined {
  if (!description) return undefined;
  const oneLine = description.replace(/\s+/g, ' ').trim();
  return oneLine.length > 140 ? oneLine.slice(0, 137) + '...' : oneLine;
}

function countTest(c: TestCounts, status: RunStatus | undefined): void {
  c.total++;
  if (status === 'pass' || status === 'success') c.pass++;
  else if (status === 'fail') c.fail++;
  else if (status === 'warn') c.warn++;
  else if (status === 'error') c.error++;
  else c.notRun++;
}

const LAYER_ORDER = { bronze: 0, silver: 1, gold: 2 } as const;

export function buildSiteData(manifest: Manifest, opts: BuildOptions = {}): SiteData {
  const warnings = opts.warnings ?? [];
  const run = opts.runResults;
  const sources = Object.values(manifest.sources).sort((a, b) => a.id.localeCompare(b.id));
  const models = Object.values(manifest.models).sort(
    (a, b) => LAYER_ORDER[a.layer] - LAYER_ORDER[b.layer] || a.name.localeCompare(b.name),
  );
  const seeds = Object.values(manifest.seeds ?? {}).sort((a, b) => a.id.localeCompare(b.id));
  const order: Array<ManifestSource | ManifestSeed | ManifestModel> = [...sources, ...seeds, ...models];
  const indexOf = new Map(order.map((n, i) => [n.id, i]));

  // Reverse lineage: for every (node, column), who reads it and how.
  const consumers = new Map<string, RoleRefData[]>();
  const consumerSeen = new Set<string>();
  const addConsumer = (node: string, column: string, ref: RoleRefData) => {
    const key = `${node}\u0000${column}`;
    const seen = `${key}\u0000${ref.join('\u0000')}`;
    if (consumerSeen.has(seen)) return;
    consumerSeen.add(seen);
    const list = consumers.get(key);
    if (list) list.push(ref);
    else consumers.set(key, [ref]);
  };
  let dangling = 0;
  for (const m of models) {
    for (const c of m.columns) {
      for (const u of c.upstream) {
        if (!indexOf.has(u.node)) dangling++;
        addConsumer(u.node, u.column, [m.id, c.name, 'value']);
      }
    }
    for (const d of m.rowDependencies) addConsumer(d.node, d.column, [m.id, '*', d.role]);
  }
  if (dangling) warnings.push(`${dangling} column lineage reference(s) point to nodes missing from the manifest`);

  // Tests per node.
  const testsByNode = new Map<string, TestDetail[]>();
  const testTotals = emptyCounts();
  for (const t of Object.values(manifest.tests).sort((a, b) => a.id.localeCompare(b.id))) {
    const r = run?.byId.get(t.id);
    const detail: TestDetail = {
      id: t.id,
      name: t.name,
      kind: t.kind,
      ...(t.test ? { test: t.test } : {}),
      ...(t.attachedTo.column ? { column: t.attachedTo.column } : {}),
      severity: t.severity,
      args: t.args ?? {},
      sql: t.sql,
      file: t.file,
      ...(r ? { status: r.status } : {}),
      ...(r?.failures !== undefined ? { failures: r.failures } : {}),
      ...(r?.message ? { message: r.message } : {}),
    };
    countTest(testTotals, r?.status);
    const list = testsByNode.get(t.attachedTo.node);
    if (list) list.push(detail);
    else testsByNode.set(t.attachedTo.node, [detail]);
  }

  const unitTestsByModel = new Map<string, UnitTestDetail[]>();
  for (const u of Object.values(manifest.unitTests ?? {})) {
    const r = run?.byId.get(u.id);
    const detail: UnitTestDetail = {
      id: u.id,
      name: u.name,
      file: u.file,
      inputs: u.given.map((g) => [g.input, g.rows.length]),
      expectRows: u.expect.rows.length,
      ...(r ? { status: r.status } : {}),
      ...(r?.message ? { message: r.message } : {}),
    };
    const list = unitTestsByModel.get(u.model);
    if (list) list.push(detail);
    else unitTestsByModel.set(u.model, [detail]);
  }

  const sourceColumnClasses = new Map<string, string[]>();
  for (const s of sources) for (const c of s.columns) sourceColumnClasses.set(`${s.id}\u0000${c.name}`, c.classification);

  const refs = (list: Array<{ node: string; column: string }>): Array<[string, string]> => list.map((r) => [r.node, r.column]);
  const parentIds = (id: string, fallback: string[]) => manifest.parentMap?.[id] ?? fallback;
  const childIds = (id: string) => manifest.childMap?.[id] ?? [];
  const toIdx = (ids: string[]) => [...new Set(ids)].map((id) => indexOf.get(id)).filter((i): i is number => i !== undefined);

  const nodes: IndexNode[] = [];
  const details: NodeDetail[] = [];
  const searchColumns: SearchColumn[][] = [];
  const piiGold: PiiGoldColumn[] = [];

  order.forEach((n, i) => {
    const isModel = 'compiledSql' in n;
    const isSeed = 'csv' in n;
    const tests = testsByNode.get(n.id) ?? [];
    const counts = emptyCounts();
    for (const t of tests) countTest(counts, t.status);
    const r = run?.byId.get(n.id);
    const columns: ColumnDetail[] = n.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      classification: [...c.classification],
      ...(c.description ? { description: c.description } : {}),
      ...('primaryKey' in c && c.primaryKey ? { primaryKey: true } : {}),
      upstream: 'upstream' in c ? refs(c.upstream) : [],
      sources: 'sources' in c ? refs(c.sources) : [],
      consumers: consumers.get(`${n.id}\u0000${c.name}`) ?? [],
    }));
    const classes = [...new Set(columns.flatMap((c) => c.classification))].sort();
    const base: IndexNode = {
      id: n.id,
      kind: isModel ? 'model' : isSeed ? 'seed' : 'source',
      name: isModel || isSeed ? n.name : `${n.sourceName}.${n.table}`,
      layer: isModel || isSeed ? n.layer : 'bronze',
      tags: [...n.tags],
      file: n.file,
      parents: isModel ? toIdx(parentIds(n.id, [...n.dependsOn.sources, ...n.dependsOn.models])) : [],
      children: toIdx(childIds(n.id)),
      chunk: Math.floor(i / NODES_PER_CHUNK),
      classes,
      columnCount: columns.length,
      tests: counts,
    };
    if (n.owner) base.owner = n.owner;
    const summary = summarise(n.description);
    if (summary) base.summary = summary;
    if (r) base.status = r.status;
    const detail: NodeDetail = {
      id: n.id,
      ...(n.description ? { description: n.description } : {}),
      columns,
      rowDependencies: isModel ? n.rowDependencies.map((d) => [d.node, d.column, d.role]) : [],
      tests,
      ...(unitTestsByModel.has(n.id) ? { unitTests: unitTestsByModel.get(n.id)! } : {}),
      ...(r ? { run: { status: r.status, ...(r.message ? { message: r.message } : {}), ...(r.executionTime !== undefined ? { executionTime: r.executionTime } : {}) } } : {}),
    };
    if (isModel) {
      base.materialized = n.materialized;
      const rawSql = opts.readProjectFile?.(n.file);
      detail.model = {
        language: n.language,
        file: n.file,
        ...(n.metaFile ? { metaFile: n.metaFile } : {}),
        config: n.config as Record<string, unknown>,
        ...(n.relation ? { relation: { fqn: n.relation.fqn, location: n.relation.location } } : {}),
        ...(rawSql !== undefined ? { rawSql } : {}),
        compiledSql: n.compiledSql,
        statements: modelStatements(manifest, opts.plan, n.id),
      };
      if (n.layer === 'gold') {
        for (const c of n.columns) {
          const piiSources = c.sources.filter((s) => sourceColumnClasses.get(`${s.node}\u0000${s.column}`)?.includes('pii'));
          if (piiSources.length > 0 || c.classification.includes('pii')) {
            piiGold.push({
              node: i,
              column: c.name,
              classification: [...c.classification],
              piiSources: piiSources.map((s) => [indexOf.get(s.node)!, s.column]),
            });
          }
        }
      }
    } else if (isSeed) {
      detail.seed = { csv: n.csv, rowCount: n.rowCount, primaryKey: n.primaryKey, relation: n.relation.fqn, location: n.relation.location };
    } else {
      base.system = n.system;
      base.sourceName = n.sourceName;
      detail.source = {
        system: n.system,
        sourceName: n.sourceName,
        table: n.table,
        connection: redactSecrets(n.connection, `${n.id}.connection`, warnings) as Record<string, unknown>,
        settings: redactSecrets(n.settings, `${n.id}.settings`, warnings) as Record<string, unknown>,
        primaryKey: n.primaryKey,
        ...(n.cursor ? { cursor: n.cursor } : {}),
        ...(n.freshness ? { freshness: n.freshness } : {}),
        drift: n.drift,
        bronze: {
          relation: n.bronze.relation,
          location: n.bronze.location,
          partitionBy: n.bronze.partitionBy,
          metadataColumns: n.bronze.metadataColumns.map((c) => ({ name: c.name, type: c.type })),
        },
        ingestionJob: n.ingestionJob,
      };
    }
    nodes.push(base);
    details.push(detail);
    searchColumns.push(columns.map((c): SearchColumn => (c.classification.length ? [c.name, c.classification.join(',')] : c.name)));
  });

  const testRows: TestRow[] = [];
  details.forEach((d, i) => {
    for (const t of d.tests) {
      testRows.push({
        id: t.id,
        name: t.name,
        node: i,
        ...(t.column ? { column: t.column } : {}),
        ...(t.test ? { test: t.test } : {}),
        severity: t.severity,
        ...(t.status ? { status: t.status } : {}),
        ...(t.failures !== undefined ? { failures: t.failures } : {}),
        ...(t.message ? { message: t.message } : {}),
      });
    }
  });
  if (testsByNode.size) {
    const orphans = [...testsByNode.keys()].filter((id) => !indexOf.has(id));
    if (orphans.length) warnings.push(`${orphans.length} test(s) attached to nodes missing from the manifest: ${orphans.slice(0, 3).join(', ')}`);
  }

  const chunks: ChunkData[] = [];
  for (let start = 0, c = 0; start < details.length; start += NODES_PER_CHUNK, c++) {
    chunks.push({ chunk: c, nodes: details.slice(start, start + NODES_PER_CHUNK) });
  }

  const index: SiteIndex = {
    formatVersion: 1,
    project: {
      name: manifest.project?.name ?? 'project',
      target: manifest.target?.name ?? '',
      generatedAt: opts.generatedAt ?? new Date().toISOString(),
      generator: `${manifest.generator?.name ?? 'lakehouse-etl'} ${manifest.generator?.version ?? ''}`.trim(),
      manifestVersion: manifest.manifestVersion,
    },
    ...(run ? { run: { ...(run.generatedAt ? { generatedAt: run.generatedAt } : {}), nodeCount: run.byId.size } } : {}),
    nodes,
    chunkCount: chunks.length,
    piiGoldCount: piiGold.length,
    testTotals,
    exposures: exposureSummaries(manifest, indexOf, warnings),
    warnings,
  };
  const governance = governanceData(manifest, { ...(opts.plan ? { plan: opts.plan } : {}), ...(opts.roles ? { roles: opts.roles } : {}) });
  return { index, chunks, searchColumns, tests: testRows, piiGold, governance };
}
