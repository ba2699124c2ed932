/** Drops an environment on local Spark: its databases (CASCADE) in the metastore, then its files. */
import { rm } from 'node:fs/promises';
import type { SparkSession } from '../engines/spark/client.js';
import { resolveRoot } from '../plan/locations.js';
import type { EnvironmentContents } from './contents.js';

export interface DroppedEnvironment {
  databases: string[];
  locations: string[];
}

const quoteIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;

export async function dropLocalEnvironment(contents: EnvironmentContents, projectDir: string, session: SparkSession): Promise<DroppedEnvironment> {
  for (const db of contents.databases) await session.execute(`DROP DATABASE IF EXISTS ${quoteIdent(db)} CASCADE`);
  // Model tables are external (their files live under the roots): dropping them left the files.
  const locations = contents.roots.map((root) => resolveRoot(root, projectDir));
  for (const dir of locations) await rm(dir, { recursive: true, force: true });
  return { databases: contents.databases, locations };
}
