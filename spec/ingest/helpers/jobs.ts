/**
 * Job specs for the reference project's 9 source tables, built the way `etl compile` builds them
 * (the compiler's own source loader + ingestionJobFor), with bronze pointed at a temp directory.
 */
import { loadSources } from '../../../compiler/load/sources.js';
import { ingestionJobFor, type IngestionJobSpec } from '../../../compiler/emit/ingestion-jobs.js';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.js';
import type { ManifestSource } from '../../../compiler/manifest/types.js';
import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import { renderOperation } from '../../../compiler/emit/spark-dialect.js';
import { sourceNode } from '../../../compiler/plan/build-plan.js';
import type { Location } from '../../../compiler/plan/operations.js';

export const projectRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

export async function referenceSources(bronzeRoot: string): Promise<ManifestSource[]> {
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSources(projectRoot, { root: bronzeRoot, database: 'bronze' }, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  return loaded.map((l) => l.manifest);
}

export async function referenceJobs(bronzeRoot: string): Promise<Record<string, IngestionJobSpec>> {
  const project = { name: 'enterprise_lakehouse', root: projectRoot, vars: {} };
  return Object.fromEntries((await referenceSources(bronzeRoot)).map((s) => [s.id, ingestionJobFor(s, { project })]));
}

/** Spark SQL registering each reference bronze table, by source id: its plan operations as the dialect renders them. */
export async function referenceBronzeStatements(bronzeRoot: string): Promise<Record<string, string[]>> {
  const locate = (l: Location) => (isAbsolute(l.path) ? l.path : join(bronzeRoot, l.path));
  return Object.fromEntries(
    (await referenceSources(bronzeRoot)).map((s) => [s.id, sourceNode(s, bronzeRoot).operations.flatMap((o) => renderOperation(o, locate)).map((st) => st.sql)]),
  );
}

/** A copy of a job with a smaller rotation, a unique consumer group, or another location. */
export function withOverrides(job: IngestionJobSpec, patch: { location?: string; consumerGroup?: string; rotation?: Partial<{ maxRecords: number; maxBytes: number; maxRecordTimeSpanSeconds: number }>; topic?: string }): IngestionJobSpec {
  const copy = structuredClone(job);
  if (patch.location) copy.bronze.location = patch.location;
  if (copy.extract.kind === 'kafka') {
    if (patch.consumerGroup) copy.extract.consumerGroup = patch.consumerGroup;
    if (patch.topic) copy.extract.topic = patch.topic;
    if (patch.rotation) copy.extract.rotation = { ...copy.extract.rotation, ...patch.rotation };
  }
  return copy;
}
