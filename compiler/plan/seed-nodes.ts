/**
 * Seeds in plan.json: one node per seed (`seed.<name>`, kind `source`: it has no parents and is run
 * before what reads it) whose LoadSeed operation replaces the seed's Delta table with its typed rows.
 * Models reading a seed list it in `dependsOn`, so `etl build` loads the seeds it needs first.
 */
import type { LoadedSeed } from '../load/seeds.js';
import type { LayerName, ManifestSeed } from '../manifest/types.js';
import { layerLocation } from './build-plan.js';
import { op } from './operations.js';
import type { Plan, SourceNode } from './plan-schema.js';

export function seedNode(seed: LoadedSeed, root: string): SourceNode {
  const m = seed.manifest;
  const relation = { database: m.relation.database, table: m.relation.table };
  return {
    kind: 'source',
    id: m.id,
    name: m.relation.fqn,
    file: m.csv,
    dependsOn: [],
    operations: [
      op({ kind: 'CreateDatabase', database: relation.database }),
      op({ kind: 'LoadSeed', relation, location: layerLocation(m.layer, m.relation.location, root), columns: m.columns.map((c) => ({ name: c.name, type: c.type })), rows: seed.rows }),
    ],
  };
}

/** The plan with a node for every seed, nodes kept in id order. */
export function withSeedNodes(plan: Plan, seeds: Iterable<LoadedSeed>, roots: Record<LayerName, string>): Plan {
  const nodes: Plan['nodes'] = { ...plan.nodes };
  for (const s of seeds) nodes[s.manifest.id] = seedNode(s, roots[s.manifest.layer]);
  const sorted = Object.fromEntries(Object.entries(nodes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { ...plan, nodes: sorted };
}

/** The manifest's seeds, by id. */
export function seedManifests(seeds: Iterable<LoadedSeed>): Record<string, ManifestSeed> {
  return Object.fromEntries([...seeds].map((s) => [s.manifest.id, s.manifest] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
