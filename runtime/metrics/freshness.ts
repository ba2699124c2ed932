/**
 * Freshness of gold models: minutes since the data they were built from was extracted. A gold
 * model's data is as old as the oldest latest extraction among the sources it reads (through
 * silver and ephemeral models). A source's extraction time is its bronze table's last commit
 * (`committedAt` in `_etl/state.json`, written when a batch lands; its rows carry `_extracted_at`
 * of the same run), read from the bronze store (local folder or S3) before a build starts, so it
 * is what that build read. After the build, each gold model that was built gets one
 * ModelFreshnessMinutes point.
 */
import type { Manifest } from '../../compiler/manifest/types.js';
import { DIMENSIONS, FRESHNESS_METRICS } from '../aws/metric-names.js';
import { LocalObjectStore, type ObjectStore } from '../bronze/object-store.js';
import { resolveManifestLocation } from '../plan/locations.js';
import { point, type MetricPoint } from './points.js';

type FreshnessManifest = Pick<Manifest, 'models' | 'sources' | 'project'>;

/** State file of a bronze table, relative to its root (as the ingestion job spec names it). */
const STATE_KEY = '_etl/state.json';

/** Each gold model (not ephemeral) with the source ids it reads, directly or through other models. */
export function goldModelSources(manifest: Pick<Manifest, 'models'>): Map<string, string[]> {
  const memo = new Map<string, Set<string>>();
  const sourcesOf = (id: string, seen: Set<string>): Set<string> => {
    const known = memo.get(id);
    if (known) return known;
    const model = manifest.models[id];
    const out = new Set<string>(model?.dependsOn.sources ?? []);
    if (model && !seen.has(id)) {
      seen.add(id);
      for (const parent of model.dependsOn.models) for (const s of sourcesOf(parent, seen)) out.add(s);
    }
    memo.set(id, out);
    return out;
  };
  const gold = Object.values(manifest.models).filter((m) => m.layer === 'gold' && m.materialized !== 'ephemeral');
  return new Map(gold.sort((a, b) => a.id.localeCompare(b.id)).map((m) => [m.id, [...sourcesOf(m.id, new Set())].sort()]));
}

export interface ExtractionTimesOptions {
  projectDir: string;
  /** Opens a bronze table's store (S3 locations need a client; tests inject moto's). */
  storeFor?: (location: string) => Promise<ObjectStore>;
  env?: NodeJS.ProcessEnv;
}

/** The last commit time of each source's bronze table; undefined when it never landed data. */
export async function extractionTimes(manifest: Pick<Manifest, 'sources'>, options: ExtractionTimesOptions): Promise<Map<string, Date | undefined>> {
  const open = options.storeFor ?? ((location: string) => defaultStore(location, options.env ?? process.env));
  const entries = await Promise.all(
    Object.values(manifest.sources).map(async (s): Promise<[string, Date | undefined]> => {
      const store = await open(resolveManifestLocation(s.bronze.location, options.projectDir));
      const text = await store.get(STATE_KEY).catch(() => undefined);
      const committedAt = text ? (JSON.parse(text.toString('utf8')) as { committedAt?: unknown }).committedAt : undefined;
      return [s.id, typeof committedAt === 'string' ? new Date(committedAt) : undefined];
    }),
  );
  return new Map(entries);
}

async function defaultStore(location: string, env: NodeJS.ProcessEnv): Promise<ObjectStore> {
  if (!/^s3a?:\/\//.test(location)) return new LocalObjectStore(location);
  const { S3ObjectStore } = await import('../bronze/s3-object-store.js');
  const endpoint = env.ETL_AWS_ENDPOINT_URL;
  return new S3ObjectStore(location, { clientConfig: endpoint ? { endpoint, forcePathStyle: true, region: env.AWS_REGION ?? 'us-east-1' } : {} });
}

/** When a gold model's data was extracted: the oldest of its sources' times; undefined if one never landed. */
export function dataExtractedAt(sources: string[], times: Map<string, Date | undefined>): Date | undefined {
  let oldest: Date | undefined;
  for (const s of sources) {
    const t = times.get(s);
    if (!t) return undefined;
    if (!oldest || t < oldest) oldest = t;
  }
  return oldest;
}

export const minutesBetween = (from: Date, to: Date) => Math.max(0, Math.round(((to.getTime() - from.getTime()) / 60_000) * 10) / 10);

/**
 * One freshness point per gold model in `built` whose sources all have an extraction time. Gold
 * models reading no source at all (seeds, constants) get none.
 */
export function freshnessPoints(manifest: FreshnessManifest, times: Map<string, Date | undefined>, built: Iterable<string>, now: Date, runId?: string): MetricPoint[] {
  const gold = goldModelSources(manifest);
  const out: MetricPoint[] = [];
  for (const id of [...new Set(built)].sort()) {
    const sources = gold.get(id);
    if (!sources?.length) continue;
    const extractedAt = dataExtractedAt(sources, times);
    if (!extractedAt) continue;
    out.push(
      point(FRESHNESS_METRICS.freshness, manifest.project.name, { [DIMENSIONS.model]: id }, minutesBetween(extractedAt, now), now, {
        ...(runId ? { runId } : {}),
        extractedAt: extractedAt.toISOString(),
      }),
    );
  }
  return out;
}
