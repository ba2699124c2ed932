/**
 * Phase 2, resolve: model names checked unique, config and relations prepared, every model rendered
 * (refs, sources and vars resolved) in a scope the tests and unit tests reuse.
 */
import type { DeferredRelation } from '../compile-types.js';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { prepareModels, renderModel, type RenderedModel } from '../resolve/models.js';
import { SourceScope, unavailableModels, type FailedSource } from './cascades.js';
import { addSeedsToScope, splitSeedRefs } from '../resolve/seed-refs.js';
import type { LoadedProject } from './load.js';

export type ResolvedProject = Awaited<ReturnType<typeof resolvePhase>>;

export async function resolvePhase(loaded: LoadedProject, diagnostics: Diagnostic[], defer?: Record<string, DeferredRelation>) {
  const { modelFiles, config, layers, env, projectDir, sources, vars, environment } = loaded;
  const failedSources: FailedSource[] = loaded.failedSources;
  const byName = new Map<string, (typeof modelFiles)[number]>();
  // Keyed without case: Spark and Glue resolve table names case-insensitively.
  const byLowerName = new Map<string, (typeof modelFiles)[number]>();
  // Of two names differing only in case, the lower-case one is kept and the other reported.
  const files = [...modelFiles].sort((a, b) => Number(a.name !== a.name.toLowerCase()) - Number(b.name !== b.name.toLowerCase()));
  for (const f of files) {
    const other = byLowerName.get(f.name.toLowerCase());
    if (other) {
      const sameCase = other.name === f.name;
      const free = [`${f.name.toLowerCase()}_${f.layer}`, `${f.name.toLowerCase()}_2`].find((n) => !byLowerName.has(n)) ?? `${f.name.toLowerCase()}_2`;
      diagnostics.push({
        code: 'ETL155',
        severity: 'error',
        message: sameCase
          ? `Two models are named '${f.name}': ${other.file} and ${f.file}`
          : `Models '${other.name}' and '${f.name}' differ only in case (${other.file} and ${f.file}): Spark and Glue see one table name`,
        file: f.file,
        line: 1,
        column: 1,
        hint: `Model names must be unique across layers, ignoring case: rename ${f.file} to ${path.posix.dirname(f.file)}/${free}${path.posix.extname(f.file)}, or merge the two models.`,
        related: [{ file: other.file, line: 1, column: 1, message: 'first defined here' }],
      });
    } else {
      byName.set(f.name, f);
      byLowerName.set(f.name.toLowerCase(), f);
    }
  }
  const prepareDiagnostics: Diagnostic[] = [];
  const prepared = await prepareModels([...byName.values()], config, layers, env, prepareDiagnostics, projectDir, { environment, defer });
  diagnostics.push(...prepareDiagnostics);
  const preparedByName = new Map(prepared.map((m) => [m.file.name, m]));
  const unavailable = unavailableModels([...byName.values()], new Set(preparedByName.keys()), prepareDiagnostics, projectDir);
  for (const f of modelFiles) if (!byName.has(f.name)) unavailable.set(f.name, { name: f.name, file: f.file, kind: 'failed' });
  const sourceRelations = new Map(sources.map((s) => [`${s.manifest.sourceName}.${s.manifest.table}`, s.manifest.bronze.relation]));
  // Failed and disabled models still answer ref (a placeholder): their readers are cascades, handled by the graph phase.
  const readable = new Map<string, { relation: { fqn: string } }>([...unavailable.keys()].map((n) => [n, { relation: { fqn: `__unavailable_${n}__` } }]));
  for (const [n, m] of preparedByName) readable.set(n, m);
  const seedByName = addSeedsToScope({ seeds: loaded.seeds, failedSeeds: loaded.failedSeeds, modelNames: new Set([...byLowerName.values()].map((f) => f.name)), readable, unavailable, diagnostics });
  const sourceScope = new SourceScope(sourceRelations, failedSources);
  const scope = { models: readable, sources: sourceScope, vars, modelNames: [...preparedByName.keys(), ...seedByName.keys()], sourceNames: [...sourceRelations.keys()] };
  // A table named in SQL that is a model or a source: the exact ref/source call to write instead.
  const callFor = new Map<string, { sql: string; ts: string }>();
  for (const m of prepared) callFor.set(`${m.relation.database}.${m.relation.table}`.toLowerCase(), { sql: `{{ref "${m.file.name}"}}`, ts: `ref('${m.file.name}')` });
  for (const [key, relation] of sourceRelations) {
    const [system, table] = key.split('.');
    callFor.set(relation.toLowerCase(), { sql: `{{source "${system}" "${table}"}}`, ts: `source('${system}', '${table}')` });
  }
  const rendered = new Map<string, RenderedModel>();
  const referenceHint = (p: { table?: string }, typeScript: boolean): string | undefined => {
    const call = p.table === undefined ? undefined : callFor.get(p.table);
    if (!call) return undefined;
    // Never "write ref('x')" to a model that already does: x itself failed to compile.
    const model = prepared.find((m) => `${m.relation.database}.${m.relation.table}`.toLowerCase() === p.table);
    if (model && !rendered.has(model.file.name)) return `${model.file.name} failed to compile (see its own error): fix it first.`;
    return `Write ${typeScript ? call.ts : call.sql} instead: the build order, --select and state:modified only know dependencies declared that way.`;
  };
  for (const m of prepared) {
    const r = renderModel(m, scope, diagnostics);
    if (r) splitSeedRefs(r, seedByName);
    if (r) rendered.set(m.file.name, r);
    else unavailable.set(m.file.name, { name: m.file.name, file: m.file.file, kind: 'failed' });
  }

  return { prepared, preparedByName, sourceRelations, scope, referenceHint, rendered, unavailable, failedSources, seedByName };
}
