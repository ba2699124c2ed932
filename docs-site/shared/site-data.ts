/**
 * The data contract between the docs generator (Node) and the client app (browser).
 * The index is small and loaded up front; per-node details live in chunks loaded on demand,
 * so a 10,000-model site does not parse every model's SQL to show the overview.
 */

export type NodeKind = 'source' | 'model' | 'seed';
export type Layer = 'bronze' | 'silver' | 'gold';
/** Normalised status of the last run of a node or test. */
export type RunStatus = 'success' | 'error' | 'warn' | 'skipped' | 'pass' | 'fail' | 'unknown';

export interface IndexNode {
  id: string;
  kind: NodeKind;
  /** Model name, or `<sourceName>.<table>` for sources. */
  name: string;
  layer: Layer;
  /** Source system (sources only). */
  system?: string;
  /** `sourceName` of a source (for the `source:` selector). */
  sourceName?: string;
  materialized?: string;
  tags: string[];
  file: string;
  owner?: string;
  /** First sentence-ish of the description, for lists and search. */
  summary?: string;
  /** Indices into `SiteIndex.nodes`. */
  parents: number[];
  children: number[];
  chunk: number;
  /** Classifications present among the node's columns. */
  classes: string[];
  columnCount: number;
  status?: RunStatus;
  tests: TestCounts;
}

export interface TestCounts {
  total: number;
  pass: number;
  fail: number;
  warn: number;
  error: number;
  notRun: number;
}

export interface PiiGoldColumn {
  /** Index of the gold model. */
  node: number;
  column: string;
  classification: string[];
  /** PII source columns it derives from, as `[nodeIndex, column]`. */
  piiSources: Array<[number, string]>;
}

/** A consumer of models outside the project (a dashboard, notebook...), from `exposures/*.ts`. */
export interface ExposureSummary {
  id: string;
  name: string;
  type: string;
  tool: string;
  owner: { name: string; email: string };
  url?: string;
  description?: string;
  file: string;
  /** The models it reads (index into `SiteIndex.nodes`) and the columns it shows (none: the whole model). */
  depends: Array<{ node: number; columns: string[] }>;
}

export interface SiteIndex {
  formatVersion: 1;
  project: { name: string; target: string; generatedAt: string; generator: string; manifestVersion: number };
  run?: { generatedAt?: string; nodeCount: number };
  nodes: IndexNode[];
  chunkCount: number;
  /** Size of the PII-in-gold list, which itself is in data/pii.js (loaded by its page). */
  piiGoldCount: number;
  testTotals: TestCounts;
  /** Dashboards, notebooks and applications reading the project's models (absent before exposures existed). */
  exposures?: ExposureSummary[];
  /** Non-fatal problems met while generating (unreadable run_results, dangling refs...). */
  warnings: string[];
}

export type ColumnRefData = [node: string, column: string];
export type RoleRefData = [node: string, column: string, role: string];

export interface ColumnDetail {
  name: string;
  type: string;
  nullable: boolean;
  classification: string[];
  description?: string;
  primaryKey?: boolean;
  /** Value lineage: columns whose values flow into this one. */
  upstream: ColumnRefData[];
  /** Source columns at the root of the value lineage. */
  sources: ColumnRefData[];
  /** Columns (or whole models, column '*') downstream that read this column, with the role. */
  consumers: RoleRefData[];
}

export interface TestDetail {
  id: string;
  name: string;
  kind: string;
  test?: string;
  column?: string;
  severity: string;
  args: Record<string, unknown>;
  sql: string;
  file: string;
  status?: RunStatus;
  failures?: number;
  message?: string;
}

/** A model's unit test: inputs and expected row counts only (fixture rows stay in the project). */
export interface UnitTestDetail {
  id: string;
  name: string;
  file: string;
  /** `[input node id, given rows]`. */
  inputs: Array<[string, number]>;
  expectRows: number;
  status?: RunStatus;
  message?: string;
}

export interface NodeDetail {
  id: string;
  description?: string;
  columns: ColumnDetail[];
  /** Columns that decide which rows a model has (filter, join, group...). */
  rowDependencies: RoleRefData[];
  tests: TestDetail[];
  unitTests?: UnitTestDetail[];
  run?: { status: RunStatus; message?: string; executionTime?: number };
  /** Model-only fields. */
  model?: {
    language: string;
    file: string;
    metaFile?: string;
    config: Record<string, unknown>;
    relation?: { fqn: string; location: string };
    rawSql?: string;
    compiledSql: string;
    statements: { full: string[]; incremental?: string[]; post: string[] };
  };
  /** Seed-only fields (seeds/*.csv loaded by `etl seed`). */
  seed?: { csv: string; rowCount: number; primaryKey: string[]; relation: string; location: string };
  /** Source-only fields; secrets are shown as `env:NAME` and never resolved. */
  source?: {
    system: string;
    sourceName: string;
    table: string;
    connection: Record<string, unknown>;
    settings: Record<string, unknown>;
    primaryKey: string[];
    cursor?: string;
    freshness?: { loadedAtColumn: string; warnAfterSeconds?: number; errorAfterSeconds?: number };
    drift: string;
    bronze: { relation: string; location: string; partitionBy: string[]; metadataColumns: Array<{ name: string; type: string }> };
    ingestionJob: string;
  };
}

/** One test in the project-wide list (data/tests.js, loaded by the tests page only). */
export interface TestRow {
  id: string;
  name: string;
  /** Index of the node the test is attached to. */
  node: number;
  column?: string;
  test?: string;
  severity: string;
  status?: RunStatus;
  failures?: number;
  message?: string;
}

/**
 * Search data for one node's columns: a plain name, or `[name, classifications]` for a classified
 * column (most are not, so the common case stays a bare string).
 */
export type SearchColumn = string | [name: string, classification: string];

export interface ChunkData {
  chunk: number;
  nodes: NodeDetail[];
}

/** Global the data scripts call; the client defines it before loading any data script. */
export const DOCS_GLOBAL = '__etlDocs';
export const NODES_PER_CHUNK = 40;
