/**
 * What an environment holds, read from a manifest compiled with `--env NAME`: its databases and its
 * layer roots. Production is never in it: a manifest without an environment is refused, and every
 * database and root must carry the environment's name where `--env` puts it.
 */
import type { Manifest } from '../../compiler/manifest/types.js';

export interface EnvironmentContents {
  name: string;
  /** Catalog databases (`silver__pr_42`, `gold__pr_42`, and models' own databases with the suffix). */
  databases: string[];
  /** Layer roots as declared (relative to the project, or URIs): `.../envs/pr_42/silver`. */
  roots: string[];
}

export class NotAnEnvironmentError extends Error {}

export function environmentContents(manifest: Manifest): EnvironmentContents {
  const name = manifest.environment;
  if (!name) throw new NotAnEnvironmentError('This manifest was compiled without --env: it describes production, which `etl env drop` never touches.');
  const suffix = `__${name}`;
  const databases = new Set<string>([manifest.target.layers.silver.database, manifest.target.layers.gold.database]);
  for (const m of Object.values(manifest.models)) if (m.relation && !manifest.deferred[m.id]) databases.add(m.relation.database);
  const roots = [manifest.target.layers.silver.root, manifest.target.layers.gold.root];
  const segment = `envs/${name}/`;
  for (const db of databases) if (!db.endsWith(suffix)) throw new NotAnEnvironmentError(`Database '${db}' does not belong to environment ${name}: refusing to drop it.`);
  for (const root of roots) if (!`${root}/`.includes(segment)) throw new NotAnEnvironmentError(`Root '${root}' is not under ${segment}: refusing to delete it.`);
  return { name, databases: [...databases].sort(), roots };
}
