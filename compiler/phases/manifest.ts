/** Phase 6, manifest: sources, models, tests and lineage maps in one sorted, serialisable document. */
import type { Manifest, ManifestModel, ManifestTest, ManifestUnitTest } from '../manifest/types.js';
import { MANIFEST_VERSION } from '../manifest/types.js';
import { TOOL_VERSION } from '../version.js';
import type { LoadedProject } from './load.js';
import { governanceSummary } from '../governance/policy-manifest.js';

const sortedRecord = <T>(entries: Array<[string, T]>): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

export function assembleManifest(
  loaded: LoadedProject,
  models: Map<string, ManifestModel>,
  tests: Record<string, ManifestTest>,
  unitTests: Record<string, ManifestUnitTest>,
  deferred: Array<{ id: string; relation: { fqn: string } }> = [],
): Manifest {
  const { config, targetName, target, layers, vars, sources, projectDir } = loaded;
  const parentMap: Record<string, string[]> = {};
  const childMap: Record<string, string[]> = {};
  for (const s of sources) childMap[s.manifest.id] = [];
  for (const m of models.values()) {
    parentMap[m.id] = [...m.dependsOn.models, ...m.dependsOn.sources].sort();
    childMap[m.id] ??= [];
  }
  for (const m of models.values()) for (const p of parentMap[m.id]!) (childMap[p] ??= []).push(m.id);
  for (const k of Object.keys(childMap)) childMap[k]!.sort();
  return {
    manifestVersion: MANIFEST_VERSION,
    generator: { name: 'lakehouse-etl', version: TOOL_VERSION },
    project: { name: config.name, root: projectDir, vars: vars as Record<string, unknown> },
    target: { name: targetName, kind: target.kind, layers, settings: Object.fromEntries(Object.entries(target).filter(([k]) => k !== 'kind')) },
    environment: loaded.environment ?? null,
    deferred: sortedRecord(deferred.map((m) => [m.id, m.relation.fqn])),
    sources: sortedRecord(sources.map((s) => [s.manifest.id, s.manifest])),
    models: sortedRecord([...models].map(([id, m]) => [id, m])),
    tests: sortedRecord(Object.entries(tests)),
    unitTests: sortedRecord(Object.entries(unitTests)),
    exposures: loaded.exposures.toManifest(models.values()),
    ...governanceSummary(config.governance?.policy, models.values()),
    childMap: sortedRecord(Object.entries(childMap)),
    parentMap: sortedRecord(Object.entries(parentMap)),
  };
}
