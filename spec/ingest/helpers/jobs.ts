/**
 * Job specs for the reference project's 9 source tables, built the way `etl compile` builds them
 * (the compiler's own source loader + ingestionJobFor), with bronze pointed at a temp directory.
 */
import { loadSources } from '../../../compiler/load/sources.js';
import { ingestionJobFor, type IngestionJobSpec } from '../../../compiler/emit/ingestion-jobs.js';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.js';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const projectRoot = resolve(fileURLToPath(import.meta.url), '../../../..');

export async function referenceJobs(bronzeRoot: string): Promise<Record<string, IngestionJobSpec>> {
  const diagnostics: Diagnostic[] = [];
  const loaded = await loadSources(projectRoot, { root: bronzeRoot, database: 'bronze' }, diagnostics);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => d.message).join('\n'));
  const project = { name: 'enterprise_lakehouse', root: projectRoot, vars: {} };
  return Object.fromEntries(loaded.map((l) => [l.manifest.id, ingestionJobFor(l.manifest, { project })]));
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
