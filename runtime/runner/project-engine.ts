/**
 * The Spark engine for a compiled project, acquired one way by every command that runs statements
 * (build, show, diff-data, backfills, grants, retention, erasure, restore): the target's Spark
 * settings, its warehouse, its layer locations, or the caller's already running Spark.
 */
import { resolve } from 'node:path';
import type { Manifest } from '../../compiler/manifest/types.js';
import { sparkSettingsFromTarget, type SparkEngine } from '../engines/spark/engine.js';
import { SparkThriftEngine } from '../engines/spark/spark-engine.js';
import { locationResolver } from '../plan/locations.js';

/** The local target's warehouse folder (absolute), or undefined for targets without one. */
export function localWarehouse(manifest: Manifest, projectDir: string): string | undefined {
  const root = manifest.target.settings?.warehouse_dir;
  return typeof root === 'string' ? resolve(projectDir, root) : undefined;
}

export function acquireProjectEngine(manifest: Manifest, projectDir: string, shared?: SparkEngine): Promise<SparkThriftEngine> {
  const warehouseDir = localWarehouse(manifest, projectDir);
  return SparkThriftEngine.acquire({
    projectDir,
    ...(warehouseDir ? { warehouseDir } : {}),
    settings: sparkSettingsFromTarget(manifest.target.settings),
    locate: locationResolver(manifest.target, projectDir),
    ...(shared ? { shared } : {}),
  });
}
