/** Spark settings of a project's target, read from project.yaml without compiling (for `etl spark start`). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sparkSettingsFromTarget } from './engine.js';
import type { SparkSettings } from './launcher.js';

export function readTargetSparkSettings(projectDir: string, target?: string): { settings: SparkSettings; warehouseDir?: string } {
  const file = join(projectDir, 'project.yaml');
  if (!existsSync(file)) throw new Error(`No project.yaml in ${projectDir}: pass --project <dir>.`);
  const doc = (parse(readFileSync(file, 'utf8')) ?? {}) as { default_target?: string; targets?: Record<string, Record<string, unknown>> };
  const name = target ?? doc.default_target ?? 'local';
  const t = doc.targets?.[name];
  if (!t) throw new Error(`project.yaml has no target "${name}" (targets: ${Object.keys(doc.targets ?? {}).join(', ') || 'none'}).`);
  const warehouse = typeof t.warehouse_dir === 'string' ? t.warehouse_dir : undefined;
  return { settings: sparkSettingsFromTarget(t), ...(warehouse ? { warehouseDir: warehouse } : {}) };
}
