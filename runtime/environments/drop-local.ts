/** Drops an environment on local Spark: its databases (CASCADE) in the metastore, then its files. */
import { rm, rmdir } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { quoteIdent } from '../../compiler/emit/spark-dialect.js';
import type { SparkSession } from '../engines/spark/client.js';
import { resolveRoot } from '../plan/locations.js';
import type { EnvironmentContents } from './contents.js';

export interface DroppedEnvironment {
  databases: string[];
  locations: string[];
}

export async function dropLocalEnvironment(contents: EnvironmentContents, projectDir: string, session: SparkSession): Promise<DroppedEnvironment> {
  for (const db of contents.databases) await session.execute(`DROP DATABASE IF EXISTS ${quoteIdent(db)} CASCADE`);
  // Model tables are external (their files live under the roots): dropping them left the files.
  const locations = contents.roots.map((root) => resolveRoot(root, projectDir));
  for (const dir of locations) await rm(dir, { recursive: true, force: true });
  // envs/NAME/ itself, once its layer roots are gone (left alone if something else lives there).
  for (const envDir of new Set(locations.map((dir) => dirname(dir)).filter((dir) => basename(dir) === contents.name && basename(dirname(dir)) === 'envs'))) {
    await rmdir(envDir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT' && e.code !== 'ENOTEMPTY') throw e;
    });
  }
  return { databases: contents.databases, locations };
}
