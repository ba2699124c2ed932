/**
 * What the template is made of, derived once from project.yaml (the EMR target, layers, `infra:`)
 * and the compiled manifest (sources with their cadence, gold models with the sources they read).
 * Every template module reads this, never the raw config.
 */
import { DEFAULT_RETENTION, infraConfigSchema, type InfraConfig, type LayerStorage } from '../../compiler/config/infra.js';
import { defaultSchedule, type Schedule } from '../../compiler/config/schedule.js';
import type { EmrSettings } from '../../compiler/config/targets.js';
import type { ProjectConfig } from '../../compiler/load/project-config.js';
import type { Manifest } from '../../compiler/manifest/types.js';
import { DEFAULT_METRIC_NAMESPACE } from '../aws/metric-names.js';

export type Layer = 'bronze' | 'silver' | 'gold';

export interface LayerInfo {
  layer: Layer;
  database: string;
  /** Key prefix of the layer's root in the lakehouse bucket (no slashes at the ends); undefined when the root is elsewhere. */
  prefix: string | undefined;
  storage: LayerStorage;
}

export interface SourceInfo {
  id: string;
  /** As `etl ingest --select` names it: `snowflake.customer_orders`. */
  select: string;
  schedule: Schedule;
}

export interface GoldModelInfo {
  id: string;
  name: string;
}

export interface InfraContext {
  project: string;
  targetName: string;
  stackName: string;
  region: string;
  bucket: string;
  replicaRegion: string;
  replicaBucket: string;
  keyAlias: string;
  replicaKeyAlias: string;
  namespace: string;
  artifactsPrefix: string;
  /** Key prefix of the EMR logs when `cluster.log_uri` is in the lakehouse bucket. */
  logsPrefix: string | undefined;
  layers: LayerInfo[];
  sources: SourceInfo[];
  goldModels: GoldModelInfo[];
  infra: InfraConfig;
  tags: Record<string, string>;
}

export class InfraConfigError extends Error {}

/** The EMR target the stack serves: `infra.target`, else the only `kind: emr` target. */
export function infraTarget(config: ProjectConfig, wanted = config.infra?.target): { name: string; settings: EmrSettings } {
  const emr = Object.entries(config.targets).filter(([, t]) => t.kind === 'emr');
  const found = wanted ? emr.find(([name]) => name === wanted) : emr.length === 1 ? emr[0] : undefined;
  if (!found) {
    const names = emr.map(([n]) => n).join(', ') || 'none';
    throw new InfraConfigError(wanted ? `target '${wanted}' is not an emr target (emr targets: ${names})` : `project.yaml needs exactly one kind: emr target or infra.target (emr targets: ${names})`);
  }
  const [name, target] = found;
  const { kind: _kind, ...settings } = target as Extract<typeof target, { kind: 'emr' }>;
  void _kind;
  return { name, settings };
}

function prefixIn(uri: string | undefined, bucket: string): string | undefined {
  const head = `s3://${bucket}/`;
  if (!uri?.startsWith(head)) return undefined;
  return uri.slice(head.length).replace(/^\/+|\/+$/g, '') || undefined;
}

/** `<bucket>-replica`, shortened to S3's 63 characters. */
export function replicaName(bucket: string): string {
  const suffix = '-replica';
  return `${bucket.slice(0, 63 - suffix.length).replace(/[.-]+$/, '')}${suffix}`;
}

function sourcesOf(manifest: Manifest): SourceInfo[] {
  return Object.values(manifest.sources)
    .map((s) => ({ id: s.id, select: `${s.sourceName}.${s.table}`, schedule: (s.schedule as Schedule | undefined) ?? defaultSchedule(s.freshness?.warnAfterSeconds) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function goldModelsOf(manifest: Manifest): GoldModelInfo[] {
  return Object.values(manifest.models)
    .filter((m) => m.layer === 'gold' && m.materialized !== 'ephemeral')
    .map((m) => ({ id: m.id, name: m.name }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

export function infraContext(config: ProjectConfig, manifest: Manifest, target?: string): InfraContext {
  const { name: targetName, settings } = infraTarget(config, target ?? config.infra?.target);
  const infra = config.infra ?? infraConfigSchema.parse({});
  const bucket = settings.bucket;
  const layers = (['bronze', 'silver', 'gold'] as const).map<LayerInfo>((layer) => ({
    layer,
    database: config.layers[layer].database,
    prefix: config.layers[layer].root ? prefixIn(config.layers[layer].root, bucket) : layer,
    storage: infra.retention[layer] ?? DEFAULT_RETENTION[layer],
  }));
  const sources = sourcesOf(manifest);
  return {
    project: config.name,
    targetName,
    stackName: infra.stack_name ?? `${config.name.replace(/_/g, '-')}-lakehouse`,
    region: settings.region,
    bucket,
    replicaRegion: infra.replica_region,
    replicaBucket: replicaName(bucket),
    keyAlias: `alias/${config.name}-lakehouse`,
    replicaKeyAlias: `alias/${config.name}-lakehouse-replica`,
    namespace: settings.cloudwatch_namespace ?? DEFAULT_METRIC_NAMESPACE,
    artifactsPrefix: settings.artifacts_prefix,
    logsPrefix: prefixIn(settings.cluster.log_uri, bucket),
    layers,
    sources,
    goldModels: goldModelsOf(manifest),
    infra,
    tags: { project: config.name, ...settings.cluster.tags },
  };
}
