/**
 * What `etl retention run` does, as data: per table, the period, the date column, the cutoff on the
 * run's date and the operations. Models with a `retention:` config get DeleteOlderThan then Vacuum
 * (their Delta tables); each source's bronze table (Parquet, date-partitioned by landing) loses its
 * partitions before the cutoff, whole: which partitions those are is read from the catalog at run
 * time, so the DropPartitions operation is built by the runtime from this entry.
 */
import type { Manifest, Plan } from '../manifest/types.js';
import type { Location, Operation, Relation } from '../plan/operations.js';
import { op } from '../plan/operations.js';
import type { ProjectConfig } from '../load/project-config.js';
import { cutoffDate, layerPeriod, periodOf, type Period } from './retention-config.js';

/** Hours VACUUM keeps after a retention delete when `governance.retention.delta` is not declared (Delta's default). */
const DEFAULT_RETAIN_HOURS = 168;

interface Common {
  /** `model.fct_x` or `source.snowflake.orders`. */
  id: string;
  /** What `--select` matches: the model name, or `source_name.table`. */
  name: string;
  relation: Relation;
  location: Location;
  column: string;
  period: Period;
  /** First date kept (ISO): rows or partitions dated before it are deleted. */
  before: string;
}

export type RetentionEntry = (Common & { kind: 'model'; operations: Operation[] }) | (Common & { kind: 'bronze' });

/** Locations are the plan's own (where its operations create and register the tables). */
export function retentionPlan(manifest: Manifest, plan: Plan, config: ProjectConfig, asOf: string): RetentionEntry[] {
  const retention = config.governance?.retention;
  const retainHours = retention ? retention.delta.deleted_file_retention_days * 24 : DEFAULT_RETAIN_HOURS;
  const out: RetentionEntry[] = [];
  for (const s of Object.values(manifest.sources).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const name = `${s.sourceName}.${s.table}`;
    const declared = retention?.sources[name];
    const column = declared?.column ?? s.bronze.partitionBy[0];
    if (!column || !s.bronze.partitionBy.includes(column)) continue; // unpartitioned bronze: the S3 lifecycle expires its files
    const period = (declared && periodOf(declared)) ?? layerPeriod(config.infra, 'bronze');
    const node = plan.nodes[s.id];
    const register = node?.kind === 'source' ? node.operations.find((o) => o.kind === 'RegisterBronze') : undefined;
    if (register?.kind !== 'RegisterBronze') continue;
    out.push({ kind: 'bronze', id: s.id, name, relation: register.relation, location: register.location, column, period, before: cutoffDate(asOf, period) });
  }
  for (const m of Object.values(manifest.models).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const r = m.config.retention;
    const node = plan.nodes[m.id];
    if (!r || node?.kind !== 'model' || !node.location) continue;
    const period = periodOf(r) ?? layerPeriod(config.infra, m.layer);
    const relation = node.relation;
    const before = cutoffDate(asOf, period);
    const operations: Operation[] = [op({ kind: 'DeleteOlderThan', relation, column: r.column, olderThan: period, before }), op({ kind: 'Vacuum', relation, retainHours })];
    out.push({ kind: 'model', id: m.id, name: m.name, relation, location: node.location, column: r.column, period, before, operations });
  }
  return out;
}
