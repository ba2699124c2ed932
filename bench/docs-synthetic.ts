/**
 * A synthetic manifest of any size, shaped like a real lakehouse (sources -> silver -> gold, column
 * lineage, row dependencies, classification, tests, run results), for the docs benchmark and the
 * docs scale spec. Deterministic (seeded) so figures compare across runs. The docs read only the
 * manifest, so this skips compiling a 10,000-model project and measures the site alone.
 */
import type { ColumnRef, Manifest, ManifestModel, ManifestSource, ManifestTest, ModelColumn } from '../compiler/manifest/types.js';
import { prng } from '../runtime/dev-servers/reference-data.js';


export interface SyntheticOptions {
  models: number;
  sources?: number;
  seed?: number;
  /** Share of models in silver (the rest are gold). */
  silverShare?: number;
}

const SYSTEMS = ['snowflake', 'salesforce', 'kafka'] as const;
const WORDS = ['customer', 'order', 'product', 'lead', 'account', 'event', 'invoice', 'payment', 'shipment', 'session', 'campaign', 'ticket'];
const COLS = ['id', 'email', 'phone', 'amount', 'status', 'created_at', 'updated_at', 'country', 'category', 'score', 'quantity', 'price', 'name', 'region', 'channel', 'segment'];
const PII = new Set(['email', 'phone', 'name']);

export function syntheticManifest(opts: SyntheticOptions): Manifest {
  const rand = prng(opts.seed ?? 42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const sourceCount = opts.sources ?? Math.max(9, Math.round(opts.models / 200));
  const silverCount = Math.round(opts.models * (opts.silverShare ?? 0.3));

  const sources: ManifestSource[] = [];
  for (let s = 0; s < sourceCount; s++) {
    const system = SYSTEMS[s % 3]!;
    const table = `${pick(WORDS)}_${s}`;
    const cols = COLS.slice(0, 8 + (s % 8));
    const relation = `bronze.${system}_${table}`;
    sources.push({
      id: `source.${system}.${table}`,
      sourceName: system,
      table,
      system,
      file: `sources/${system}.ts`,
      description: `Synthetic ${system} table ${table}.`,
      tags: [system, pick(WORDS)],
      connection: { account: 'company', auth: { kind: 'password', username: { env: `${system.toUpperCase()}_USERNAME` }, password: { env: `${system.toUpperCase()}_PASSWORD` } } },
      settings: { table: table.toUpperCase() },
      columns: cols.map((c, i) => ({ name: c, type: c === 'amount' || c === 'price' ? 'decimal(18,2)' : c.endsWith('_at') ? 'timestamp' : 'string', nullable: i > 0, classification: PII.has(c) ? ['pii'] : c === 'amount' ? ['sensitive'] : [], primaryKey: i === 0 })),
      primaryKey: ['id'],
      cursor: 'updated_at',
      freshness: { loadedAtColumn: 'updated_at', warnAfterSeconds: 7200, errorAfterSeconds: 21600 },
      drift: 'evolve',
      bronze: { database: 'bronze', table: `${system}_${table}`, relation, location: `data/warehouse/bronze/${system}/${table}`, format: 'parquet', partitionBy: ['ingest_date'], metadataColumns: [{ name: '_run_id', type: 'string', nullable: false, classification: [] }] },
      ingestionJob: `target/ingestion/${system}/${table}.json`,
      checksum: `s${s}`,
    });
  }

  const models: ManifestModel[] = [];
  const tests: ManifestTest[] = [];
  const columnsOf = new Map<string, ModelColumn[] | ManifestSource['columns']>();
  for (const s of sources) columnsOf.set(s.id, s.columns);
  const sourcesOfColumn = (node: string, column: string): ColumnRef[] => {
    const c = columnsOf.get(node)?.find((x) => x.name === column);
    return c && 'sources' in c ? c.sources : [{ node, column }];
  };
  const classOf = (ref: ColumnRef) => columnsOf.get(ref.node)?.find((x) => x.name === ref.column)?.classification ?? [];

  for (let m = 0; m < opts.models; m++) {
    const silver = m < silverCount;
    const layer = silver ? 'silver' : 'gold';
    const name = `${silver ? 'stg' : pick(['fct', 'dim', 'mart', 'agg'])}_${pick(WORDS)}_${m}`;
    const parents: string[] = [];
    if (silver) {
      parents.push(sources[m % sources.length]!.id);
      if (m > 20 && rand() < 0.3) parents.push(models[Math.floor(rand() * m)]!.id);
    } else {
      // Gold reads 1-4 earlier models, biased to recent ones so chains get deep.
      const n = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < n; k++) {
        const j = rand() < 0.5 ? Math.max(0, m - 1 - Math.floor(rand() * 200)) : Math.floor(rand() * m);
        const id = models[j]!.id;
        if (!parents.includes(id)) parents.push(id);
      }
    }
    const colCount = 8 + Math.floor(rand() * 9);
    const columns: ModelColumn[] = [];
    for (let c = 0; c < colCount; c++) {
      const p = pick(parents);
      const pcols = columnsOf.get(p)!;
      const from = pcols[c % pcols.length]!;
      const upstream: ColumnRef[] = [{ node: p, column: from.name }];
      if (rand() < 0.2) {
        const q = pick(parents);
        const qc = pick<{ name: string }>(columnsOf.get(q)!);
        if (q !== p || qc.name !== from.name) upstream.push({ node: q, column: qc.name });
      }
      const srcs = new Map<string, ColumnRef>();
      for (const u of upstream) for (const s of sourcesOfColumn(u.node, u.column)) srcs.set(`${s.node}.${s.column}`, s);
      const fromPii = [...srcs.values()].some((s) => classOf(s).includes('pii'));
      const name = c === 0 ? 'id' : columns.some((x) => x.name === from.name) ? `${from.name}_${c}` : from.name;
      columns.push({
        name,
        type: from.type,
        nullable: true,
        // Every tenth PII-derived column is hashed (derived from PII, no longer classified).
        classification: fromPii && c % 10 !== 9 ? ['pii'] : [],
        ...(c % 3 === 0 ? { description: `The ${name} of the ${layer} ${pick(WORDS)}.` } : {}),
        upstream,
        sources: [...srcs.values()].slice(0, 6),
      });
    }
    columnsOf.set(`model.${name}`, columns);
    const select = columns.map((c) => `  ${c.upstream[0]!.column} AS ${c.name}`).join(',\n');
    const compiledSql = `SELECT\n${select}\nFROM ${parents.map((p) => p.replace(/^model\./, `${layer}.`).replace(/^source\.(\w+)\./, 'bronze.$1_')).join('\nJOIN ')}\nWHERE status <> 'deleted'`;
    const id = `model.${name}`;
    models.push({
      id,
      name,
      layer,
      language: 'sql',
      file: `models/${layer}/${name}.sql`,
      description: `Synthetic ${layer} model ${m}: ${pick(WORDS)} ${pick(WORDS)} facts, refreshed hourly.`,
      owner: pick(['data-platform', 'analytics', 'crm-analytics', 'finance']),
      tags: [layer, pick(WORDS)],
      materialized: rand() < 0.3 ? 'incremental' : silver ? 'view' : 'table',
      config: {},
      relation: { database: layer, table: name, fqn: `${layer}.${name}`, location: `data/warehouse/${layer}/${name}` },
      dependsOn: { models: parents.filter((p) => p.startsWith('model.')), sources: parents.filter((p) => p.startsWith('source.')) },
      columns,
      rowDependencies: parents.length > 1 ? [{ node: parents[1]!, column: 'id', role: 'join' }] : [{ node: parents[0]!, column: 'status', role: 'filter' }],
      compiledSql,
      artifacts: { compiled: `target/compiled/${layer}/${name}.sql`, run: `target/run/${layer}/${name}.sql` },
      checksum: `m${m}`,
    });
    for (const t of ['not_null', 'unique']) {
      tests.push({
        id: `test.${name}.${t}.id`,
        name: `${t}_${name}_id`,
        kind: 'generic',
        test: t,
        args: {},
        attachedTo: { node: id, column: 'id' },
        dependsOn: { models: [id], sources: [] },
        severity: 'error',
        warnIf: '>0',
        errorIf: '>0',
        sql: `SELECT * FROM ${layer}.${name} WHERE id IS NULL`,
        file: `models/${layer}/${name}.yml`,
        artifact: `target/tests/${name}.${t}.sql`,
      });
    }
  }

  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const s of sources) childMap[s.id] = [];
  for (const m of models) {
    childMap[m.id] ??= [];
    parentMap[m.id] = [...m.dependsOn.sources, ...m.dependsOn.models];
    for (const p of parentMap[m.id]!) childMap[p]!.push(m.id);
  }
  return {
    manifestVersion: 2,
    generator: { name: 'lakehouse-etl', version: 'synthetic' },
    project: { name: `synthetic_${opts.models}`, root: '.', vars: {} },
    target: { name: 'local', kind: 'local', layers: { bronze: { root: 'b', database: 'bronze' }, silver: { root: 's', database: 'silver' }, gold: { root: 'g', database: 'gold' } }, settings: {} },
    environment: null,
    deferred: {},
    sources: Object.fromEntries(sources.map((s) => [s.id, s])),
    models: Object.fromEntries(models.map((m) => [m.id, m])),
    tests: Object.fromEntries(tests.map((t) => [t.id, t])),
    unitTests: {},
    exposures: {},
    childMap,
    parentMap,
  };
}

/** Run results for a synthetic manifest: mostly green, a few failures. */
export function syntheticRunResults(manifest: Manifest, seed = 7): unknown {
  const rand = prng(seed);
  const status = () => (rand() < 0.02 ? 'error' : 'success');
  return {
    generatedAt: '2026-11-26T08:00:00Z',
    results: [
      ...Object.keys(manifest.models).map((id) => ({ id, kind: 'model', status: status(), durationMs: Math.round(rand() * 5000) })),
      ...Object.keys(manifest.tests).map((id) => ({ id, kind: 'test', status: rand() < 0.03 ? 'fail' : 'pass', failures: 0 })),
    ],
  };
}
