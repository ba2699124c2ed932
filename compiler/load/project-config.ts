/** `project.yaml`: schema, loading and validation. The JSON Schema for editors is generated from the same zod schema. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { hookListSchema, identifierSchema, modelConfigSchema, type ModelConfig } from '../config/model-config.js';
import { targetSchema, type TargetConfig } from '../config/targets.js';
import { infraConfigSchema } from '../config/infra.js';
import { varsSchema } from '../config/vars.js';
import { governanceSchema } from '../config/governance.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LayerName } from '../manifest/types.js';
import { withoutBom } from './text-file.js';
import { codeFrame } from '../diagnostics/frame.js';
import { parseYamlFile, positionOf, schemaDiagnostics, type YamlFile } from './yaml-file.js';

export { modelConfigSchema };
export type { TargetConfig };

const layerSchema = z.object({ database: identifierSchema, root: z.string().optional() }).strict();

export const projectConfigSchema = z
  .object({
    name: identifierSchema,
    version: z.literal(1).default(1),
    /** Catalog database per layer; roots default per target. */
    layers: z.object({ bronze: layerSchema, silver: layerSchema, gold: layerSchema }).strict().describe('Catalog database per layer; roots default per target.'),
    /** `{{var "name"}}` renders a SQL literal; `{ value, raw: true }` SQL text; `--vars` overrides (compiler/config/vars.ts). */
    vars: varsSchema,
    /** Config by folder: the longest matching path wins, tags add up. */
    defaults: z.record(z.string(), modelConfigSchema).default({}).describe('Config by folder: the longest matching path wins, tags add up.'),
    default_target: z.string().default('local').describe('The target used without --target.'),
    /** SQL run once before a build's first node / after its last, in order (compiler/resolve/hooks.ts). */
    on_run_start: hookListSchema.optional().describe('SQL run once before a build runs its first node, in order (string or list); a failure stops the build.'),
    on_run_end: hookListSchema.optional().describe('SQL run once after a build ran its nodes, in order (string or list), even when some failed.'),
    targets: z.record(z.string(), targetSchema).describe('Where models are built: kind local (Spark on this machine) or emr (S3, Glue and EMR).'),
    /** `etl infra generate`: retention per layer, replica region, SLA, alarms (compiler/config/infra.ts). */
    infra: infraConfigSchema.optional().describe('Infrastructure of the EMR target (etl infra generate): retention per layer, replica region, SLA, alarms, alert e-mails.'),
    /** Classification policy, roles, retention, audit (compiler/config/governance.ts). */
    governance: governanceSchema.optional(),
  })
  .strict();

export type ProjectConfig = z.infer<typeof projectConfigSchema>;
export type ModelConfigInput = ModelConfig;

export interface LoadedProjectConfig {
  config: ProjectConfig;
  file: string;
  /** The file with positions, for diagnostics about a value in it (an unknown default_target). */
  yaml: YamlFile;
}

/** Validates project.yaml's text; every problem becomes a diagnostic at its line and column. */
export function parseProjectConfig(text: string, diagnostics: Diagnostic[], file = 'project.yaml'): ProjectConfig | undefined {
  return parseProjectFile(text, diagnostics, file)?.config;
}

function parseProjectFile(text: string, diagnostics: Diagnostic[], file: string): { config: ProjectConfig; yaml: YamlFile } | undefined {
  const yaml = parseYamlFile(file, text, diagnostics);
  if (!yaml) return undefined;
  const parsed = projectConfigSchema.safeParse(yaml.data);
  if (!parsed.success) {
    diagnostics.push(...schemaDiagnostics(yaml, projectConfigSchema, parsed.error, 'ETL102', 'project.yaml'));
    return undefined;
  }
  return { config: parsed.data, yaml };
}

/** Reads and validates `<projectDir>/project.yaml` (synchronously: also used outside compiles). */
export function readProjectConfig(projectDir: string, diagnostics: Diagnostic[]): ProjectConfig | undefined {
  return readProjectFile(projectDir, diagnostics)?.config;
}

function readProjectFile(projectDir: string, diagnostics: Diagnostic[]): { config: ProjectConfig; yaml: YamlFile } | undefined {
  const file = 'project.yaml';
  let text: string;
  try {
    text = withoutBom(readFileSync(path.join(projectDir, file), 'utf8'));
  } catch {
    diagnostics.push({
      code: 'ETL100',
      severity: 'error',
      message: `No project.yaml in ${projectDir}`,
      hint: 'Run etl from the project root or pass --project DIR.',
    });
    return undefined;
  }
  return parseProjectFile(text, diagnostics, file);
}

export async function loadProjectConfig(projectDir: string, diagnostics: Diagnostic[]): Promise<LoadedProjectConfig | undefined> {
  const read = readProjectFile(projectDir, diagnostics);
  return read ? { ...read, file: 'project.yaml' } : undefined;
}

/** Where the value at `path` is written in project.yaml (the enclosing key when it is not written). */
export function projectPosition(loaded: LoadedProjectConfig, path: ReadonlyArray<string>): { line: number; column: number; frame: string } {
  const pos = positionOf(loaded.yaml, path);
  return { ...pos, frame: codeFrame(loaded.yaml.text, pos.line, pos.column) };
}

/** The target's settings as the manifest carries them: the target without its `kind`. */
export function targetSettings(target: TargetConfig): Record<string, unknown> {
  const { kind: _kind, ...settings } = target;
  void _kind;
  return settings;
}

/** Root URI of each layer for a target: local paths are absolute so Spark resolves them anywhere. */
export function layerRoots(projectDir: string, config: ProjectConfig, target: TargetConfig): Record<LayerName, string> {
  const roots = {} as Record<LayerName, string>;
  for (const layer of ['bronze', 'silver', 'gold'] as const) {
    const explicit = config.layers[layer].root;
    if (explicit) roots[layer] = explicit;
    else if (target.kind === 'local') roots[layer] = path.resolve(projectDir, target.warehouse_dir, layer);
    else roots[layer] = `s3://${target.bucket}/${layer}`;
  }
  return roots;
}

/** The JSON Schema shipped in `schemas/project.schema.json` for editor completion. */
export function projectJsonSchema(): unknown {
  return z.toJSONSchema(projectConfigSchema, { io: 'input' });
}
