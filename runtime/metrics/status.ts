/**
 * `etl status`: each gold model's freshness against the SLA, from the metrics file. A model's last
 * freshness point says when the data of its last successful build was extracted; its age is taken
 * now. As `dbt source freshness`: `late` (older than the SLA) is an error, `ok` passes, and a
 * model with no point yet (never built since its sources landed) is `unknown`, reported but not
 * failing.
 */
import type { Manifest } from '../../compiler/manifest/types.js';
import { DIMENSIONS, FRESHNESS_METRICS } from '../aws/metric-names.js';
import { goldModelSources, minutesBetween } from './freshness.js';
import type { MetricPoint } from './points.js';

export type FreshnessState = 'ok' | 'late' | 'unknown';

export interface FreshnessRow {
  model: string;
  /** `database.table`, or the model name. */
  relation: string;
  sources: string[];
  state: FreshnessState;
  slaMinutes: number;
  /** When the data of the model's last build was extracted. */
  extractedAt?: string;
  ageMinutes?: number;
  /** When that build recorded the point. */
  builtAt?: string;
  runId?: string;
}

export interface FreshnessReport {
  at: string;
  slaMinutes: number;
  models: FreshnessRow[];
  late: number;
  unknown: number;
}

/** The latest freshness point of each model of the project. */
function latestPoints(points: MetricPoint[], project: string): Map<string, MetricPoint> {
  const latest = new Map<string, MetricPoint>();
  for (const p of points) {
    if (p.metric !== FRESHNESS_METRICS.freshness.name || p.dimensions[DIMENSIONS.project] !== project || !p.extractedAt) continue;
    const model = p.dimensions[DIMENSIONS.model];
    if (!model) continue;
    const seen = latest.get(model);
    if (!seen || seen.at < p.at) latest.set(model, p);
  }
  return latest;
}

/** Freshness of every gold model that reads a source. */
export function freshnessReport(manifest: Pick<Manifest, 'models' | 'project'>, points: MetricPoint[], slaMinutes: number, now: Date): FreshnessReport {
  const latest = latestPoints(points, manifest.project.name);
  const models: FreshnessRow[] = [];
  for (const [id, sources] of goldModelSources(manifest)) {
    if (!sources.length) continue;
    const m = manifest.models[id]!;
    const row: FreshnessRow = { model: id, relation: m.relation?.fqn ?? m.name, sources, state: 'unknown', slaMinutes };
    const p = latest.get(id);
    if (p?.extractedAt) {
      const age = minutesBetween(new Date(p.extractedAt), now);
      Object.assign(row, { extractedAt: p.extractedAt, ageMinutes: age, builtAt: p.at, state: age > slaMinutes ? 'late' : 'ok', ...(p.runId ? { runId: p.runId } : {}) });
    }
    models.push(row);
  }
  return { at: now.toISOString(), slaMinutes, models, late: models.filter((r) => r.state === 'late').length, unknown: models.filter((r) => r.state === 'unknown').length };
}

const pad = (s: string, n: number) => s.padEnd(n);

/** The report as a table for people. */
export function formatFreshness(report: FreshnessReport): string {
  const width = Math.max(5, ...report.models.map((r) => r.relation.length));
  const head = `${pad('MODEL', width)}  ${pad('STATE', 7)}  ${'AGE (min)'.padStart(9)}  ${pad('DATA EXTRACTED AT', 24)}  BUILT AT`;
  const lines = report.models.map(
    (r) => `${pad(r.relation, width)}  ${pad(r.state.toUpperCase(), 7)}  ${(r.ageMinutes === undefined ? '-' : r.ageMinutes.toFixed(1)).padStart(9)}  ${pad(r.extractedAt ?? '-', 24)}  ${r.builtAt ?? '-'}`,
  );
  const summary =
    report.models.length === 0
      ? 'no gold model reads a source: nothing to check'
      : `${report.models.length - report.late - report.unknown} ok, ${report.late} late, ${report.unknown} unknown (never built since their sources landed)`;
  return [`Freshness of gold models against the SLA of ${report.slaMinutes} minutes, at ${report.at}`, head, ...lines, summary].join('\n');
}
