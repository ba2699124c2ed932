/**
 * Seeds answer `ref` like models (`{{ref "country_currency"}}`, `ref('country_currency')`), but are
 * not models: after rendering, a model's refs to seeds are moved to its `seeds`, so the model graph,
 * the analysis order and `dependsOn.models` hold models only, and the seed is read like a source.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FailedSeed, LoadedSeed } from '../load/seeds.js';
import type { RenderedModel } from './models.js';

interface SeedScopeInput {
  seeds: LoadedSeed[];
  failedSeeds: FailedSeed[];
  /** Model names (prepared, failed or disabled): a model wins over a seed of the same name. */
  modelNames: Set<string>;
  readable: Map<string, { relation: { fqn: string } }>;
  unavailable: Map<string, { name: string; file: string; kind: 'failed' | 'disabled' }>;
  diagnostics: Diagnostic[];
}

/** The seeds `ref` answers, by name; a seed named like a model is reported (ETL416) and left out. */
export function addSeedsToScope(input: SeedScopeInput): Map<string, LoadedSeed> {
  const out = new Map<string, LoadedSeed>();
  for (const s of input.seeds) {
    if ([...input.modelNames].some((n) => n.toLowerCase() === s.manifest.name.toLowerCase())) {
      input.diagnostics.push({
        code: 'ETL416',
        severity: 'error',
        message: `Seed ${s.manifest.name} has the name of a model: ref('${s.manifest.name}') would be ambiguous`,
        file: s.manifest.file,
        line: 1,
        column: 1,
        hint: `Rename the seed (name: in ${s.manifest.file}) or the model.`,
      });
      continue;
    }
    out.set(s.manifest.name, s);
    input.readable.set(s.manifest.name, { relation: { fqn: s.manifest.relation.fqn } });
  }
  // A seed that failed to load still answers ref: its readers are cascades of its error.
  for (const f of input.failedSeeds) {
    if (input.modelNames.has(f.name) || out.has(f.name)) continue;
    input.unavailable.set(f.name, { name: f.name, file: f.file, kind: 'failed' });
    input.readable.set(f.name, { relation: { fqn: `__unavailable_${f.name}__` } });
  }
  return out;
}

/** Moves a rendered model's refs to seeds into its `seeds`. */
export function splitSeedRefs(r: RenderedModel, seeds: ReadonlyMap<string, LoadedSeed>): void {
  if (!r.refs.some((x) => seeds.has(x.name))) return;
  r.seeds = r.refs.filter((x) => seeds.has(x.name));
  r.refs = r.refs.filter((x) => !seeds.has(x.name));
}

/** The seed ids a rendered model reads. */
export const seedIdsOf = (r: RenderedModel): string[] => [...new Set((r.seeds ?? []).map((x) => `seed.${x.name}`))].sort();
