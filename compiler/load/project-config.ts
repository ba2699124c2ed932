/** `project.yaml`: schema, loading and validation. The JSON Schema for editors is generated from the same zod schema. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { LayerName } from '../manifest/types.js';
import { parseYamlFile, schemaDiagnostics } from './yaml-file.js';

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a SQL identifier (letters, digits, _)');
const stringList = z.union([z.string(), z.array(z.string())]);

export const modelConfigSchema = z
  .object({
    materialized: z.enum(['view', 'table', 'incremental', 'ephemeral']),
    incremental_strategy: z.enum(['append', 'merge', 'insert_overwrite']),
    unique_key: stringList,
    partition_by: stringList,
    zorder_by: stringList,
    location: z.string(),
    tblproperties: z.record(z.string(), z.string()),
    database: identifier,
    alias: identifier,
    tags: z.array(z.string()),
    owner: z.string(),
    enabled: z.boolean(),
    merge_update_columns: z.array(z.string()),
    contract: z.boolean(),
  })
  .partial()
  .strict();

const layerSchema = z.object({ database: identifier, root: z.string().optional() }).strict();

const localTargetSchema = z
  .object({
    kind: z.literal('local'),
    warehouse_dir: z.string().default('data/warehouse'),
    spark: z
      .object({
        master: z.string().default('local[2]'),
        driver_memory: z.string().default('4g'),
        conf: z.record(z.string(), z.string()).default({}),
      })
      .strict()
      .optional(),
  })
  .strict();

const emrTargetSchema = z
  .object({
    kind: z.literal('emr'),
    region: z.string(),
    bucket: z.string(),
    artifacts_prefix: z.string().default('etl/builds'),
    cluster: z
      .object({
        existing_cluster_id: z.string().nullable().optional(),
        release: z.string().regex(/^emr-7\.\d+\.\d+$/, 'must be an emr-7.x release such as emr-7.13.0'),
        log_uri: z.string().optional(),
        primary_instance_type: z.string(),
        core_instance_type: z.string(),
        core_instance_count: z.number().int().min(1),
        task_spot_instance_count: z.number().int().min(0).default(0),
        managed_scaling: z.object({ min_units: z.number().int(), max_units: z.number().int() }).strict().optional(),
        service_role: z.string().default('EMR_DefaultRole'),
        instance_profile: z.string().default('EMR_EC2_DefaultRole'),
        terminate_after_build: z.boolean().default(false),
        tags: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
    cloudwatch_namespace: z.string().optional(),
  })
  .strict();

export const projectConfigSchema = z
  .object({
    name: identifier,
    version: z.literal(1).default(1),
    layers: z.object({ bronze: layerSchema, silver: layerSchema, gold: layerSchema }).strict(),
    vars: z.record(z.string(), z.unknown()).default({}),
    defaults: z.record(z.string(), modelConfigSchema).default({}),
    default_target: z.string().default('local'),
    targets: z.record(z.string(), z.discriminatedUnion('kind', [localTargetSchema, emrTargetSchema])),
  })
  .strict();

export type ProjectConfig = z.infer<typeof projectConfigSchema>;
export type TargetConfig = ProjectConfig['targets'][string];
export type ModelConfigInput = z.infer<typeof modelConfigSchema>;

export interface LoadedProjectConfig {
  config: ProjectConfig;
  file: string;
}

export async function loadProjectConfig(projectDir: string, diagnostics: Diagnostic[]): Promise<LoadedProjectConfig | undefined> {
  const file = 'project.yaml';
  let text: string;
  try {
    text = await readFile(path.join(projectDir, file), 'utf8');
  } catch {
    diagnostics.push({
      code: 'ETL100',
      severity: 'error',
      message: `No project.yaml in ${projectDir}`,
      hint: 'Run etl from the project root or pass --project DIR.',
    });
    return undefined;
  }
  const yaml = parseYamlFile(file, text, diagnostics);
  if (!yaml) return undefined;
  const parsed = projectConfigSchema.safeParse(yaml.data);
  if (!parsed.success) {
    diagnostics.push(...schemaDiagnostics(yaml, parsed.error, 'ETL102', 'project.yaml'));
    return undefined;
  }
  return { config: parsed.data, file };
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
