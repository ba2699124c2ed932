/** Spark settings of a project's target, read from project.yaml without compiling (for `etl spark start`). */
import { formatDiagnostic } from '../../../compiler/diagnostics/format.js';
import type { Diagnostic } from '../../../compiler/diagnostics/diagnostic.js';
import { readProjectConfig, targetSettings } from '../../../compiler/load/project-config.js';
import { sparkSettingsFromTarget } from './engine.js';
import type { SparkSettings } from './launcher.js';

/** project.yaml validated with the compiler's schema: a mistake is reported at its line and column. */
export function readTargetSparkSettings(projectDir: string, target?: string): { settings: SparkSettings; warehouseDir?: string } {
  const diagnostics: Diagnostic[] = [];
  const config = readProjectConfig(projectDir, diagnostics);
  if (!config) throw new Error(diagnostics.map((d) => formatDiagnostic(d)).join('\n'));
  const name = target ?? config.default_target;
  const t = config.targets[name];
  if (!t) throw new Error(`project.yaml has no target "${name}" (targets: ${Object.keys(config.targets).join(', ') || 'none'}).`);
  if (t.kind !== 'local') throw new Error(`Target "${name}" is of kind "${t.kind}": local Spark runs a target of kind "local".`);
  return { settings: sparkSettingsFromTarget(targetSettings(t)), warehouseDir: t.warehouse_dir };
}
