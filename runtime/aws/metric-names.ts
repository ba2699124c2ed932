/**
 * The one list of CloudWatch metric names, units and dimension names the tool sends. Build metrics
 * (cloudwatch-metrics.ts), ingestion metrics and the per-gold-model freshness metric use these
 * constants; the infrastructure template (`etl infra generate`) reads the same constants for its
 * alarms and dashboard, so an alarm cannot name a metric nobody sends.
 *
 * Namespace: `targets.<emr target>.cloudwatch_namespace` in project.yaml (default below). Every
 * datum carries the `Project` dimension (project.yaml `name`).
 */

/** Default of the EMR target's `cloudwatch_namespace` setting (compiler/config/targets.ts). */
export const DEFAULT_METRIC_NAMESPACE = 'LakehouseETL';
/** Where the namespace comes from: the EMR target's settings key. */
export const METRIC_NAMESPACE_SETTING = 'cloudwatch_namespace';

export const DIMENSIONS = {
  /** project.yaml `name`; on every datum. */
  project: 'Project',
  /** A model's id in the manifest, e.g. `model.fct_orders`. */
  model: 'Model',
  /** A source table: its manifest id `source.<source>.<table>` for build metrics of tested sources,
   *  `<source>.<table>` (as `etl ingest --select` names it) for ingestion metrics. */
  source: 'Source',
  /** A node status in the build summary (`success`, `error`, `skipped`...). */
  status: 'Status',
} as const;

export type DimensionName = (typeof DIMENSIONS)[keyof typeof DIMENSIONS];
export type MetricUnit = 'Count' | 'Milliseconds' | 'Percent' | 'Bytes' | 'None';

export interface MetricSpec {
  name: string;
  unit: MetricUnit;
  /** Dimension names besides `Project` (`Model` or `Source` for the per-node build metrics). */
  dimensions: readonly DimensionName[];
  description: string;
}

const P = DIMENSIONS.project;

/** Build metrics (`etl build` on an EMR target), one datum per model or tested source per run. */
export const BUILD_METRICS = {
  recordsProcessed: { name: 'RecordsProcessed', unit: 'Count', dimensions: [P, DIMENSIONS.model], description: 'rows written by a model (or source test rows) in a build; Source instead of Model for sources' },
  modelDuration: { name: 'ModelDuration', unit: 'Milliseconds', dimensions: [P, DIMENSIONS.model], description: 'time to build one model' },
  modelFailed: { name: 'ModelFailed', unit: 'Count', dimensions: [P, DIMENSIONS.model], description: '1 when the model failed in the build, else 0' },
  testsFailed: { name: 'TestsFailed', unit: 'Count', dimensions: [P, DIMENSIONS.model], description: 'data tests of the model (or source) that failed or errored' },
  testsWarned: { name: 'TestsWarned', unit: 'Count', dimensions: [P, DIMENSIONS.model], description: 'data tests of the model (or source) that warned' },
  dataQualityScore: { name: 'DataQualityScore', unit: 'Percent', dimensions: [P, DIMENSIONS.model], description: 'share of passing test rows, 0..100' },
  models: { name: 'Models', unit: 'Count', dimensions: [P, DIMENSIONS.status], description: 'nodes of the build per status' },
  buildDuration: { name: 'BuildDuration', unit: 'Milliseconds', dimensions: [P], description: 'elapsed time of the whole build' },
} as const satisfies Record<string, MetricSpec>;

/** Ingestion metrics (`etl ingest`), one datum per source table per run. */
export const INGEST_METRICS = {
  records: { name: 'IngestRecords', unit: 'Count', dimensions: [P, DIMENSIONS.source], description: 'records landed in bronze' },
  bytes: { name: 'IngestBytes', unit: 'Bytes', dimensions: [P, DIMENSIONS.source], description: 'bytes of bronze files written' },
  duration: { name: 'IngestDuration', unit: 'Milliseconds', dimensions: [P, DIMENSIONS.source], description: 'time to ingest the source table' },
  errors: { name: 'IngestErrors', unit: 'Count', dimensions: [P, DIMENSIONS.source], description: '1 when the source table failed to ingest, else 0' },
  quarantined: { name: 'IngestQuarantinedRecords', unit: 'Count', dimensions: [P, DIMENSIONS.source], description: 'records rejected to quarantine' },
  apiLatency: { name: 'SourceApiLatency', unit: 'Milliseconds', dimensions: [P, DIMENSIONS.source], description: 'mean latency of the source system calls (API, query, fetch)' },
} as const satisfies Record<string, MetricSpec>;

/** Freshness metric, one datum per gold model after each build. Alarm: > SLA minutes. */
export const FRESHNESS_METRICS = {
  freshness: { name: 'ModelFreshnessMinutes', unit: 'None', dimensions: [P, DIMENSIONS.model], description: 'minutes since the oldest extraction among the sources a gold model reads' },
} as const satisfies Record<string, MetricSpec>;

/** Default SLA when project.yaml has no `infra.sla_minutes`. */
export const DEFAULT_SLA_MINUTES = 120;

export const ALL_METRICS: readonly MetricSpec[] = [
  ...Object.values(BUILD_METRICS),
  ...Object.values(INGEST_METRICS),
  ...Object.values(FRESHNESS_METRICS),
];
