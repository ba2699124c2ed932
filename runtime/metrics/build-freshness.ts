/**
 * Freshness around a build: the sources' extraction times are read when the build starts (what it
 * will read), and once it ends each gold model it built gets its freshness point, sent to the sinks.
 * Metrics never fail a build: a store that cannot be read or a sink that refuses comes back as data.
 */
import type { Manifest } from '../../compiler/manifest/types.js';
import type { SdkClient } from '../aws/clients.js';
import type { ObjectStore } from '../bronze/object-store.js';
import { extractionTimes, freshnessPoints } from './freshness.js';
import { fanOut, type MetricsSink, type SendOutcome } from './sink.js';

export interface FreshnessRecorder {
  /** Sends the points of the gold models in `built` (model ids built successfully). */
  finish(built: string[], runId?: string): Promise<SendOutcome[]>;
}

export interface FreshnessOptions {
  projectDir: string;
  sinks: MetricsSink[];
  env?: NodeJS.ProcessEnv;
  /** S3 client for bronze on S3 (the build's own client); default: one from the environment. */
  s3?: SdkClient;
  now?: () => Date;
}

export async function startFreshness(manifest: Pick<Manifest, 'models' | 'sources' | 'project'>, options: FreshnessOptions): Promise<FreshnessRecorder> {
  const now = options.now ?? (() => new Date());
  const s3 = options.s3;
  const storeFor = s3
    ? async (location: string): Promise<ObjectStore> => {
        if (!/^s3a?:\/\//.test(location)) return new (await import('../bronze/object-store.js')).LocalObjectStore(location);
        const { S3ObjectStore } = await import('../bronze/s3-object-store.js');
        return new S3ObjectStore(location, { client: s3 as never });
      }
    : undefined;
  let times: Awaited<ReturnType<typeof extractionTimes>>;
  try {
    times = await extractionTimes(manifest, { projectDir: options.projectDir, ...(options.env ? { env: options.env } : {}), ...(storeFor ? { storeFor } : {}) });
  } catch (err) {
    const error = `could not read the sources' extraction times: ${(err as Error).message}`;
    return { finish: async () => options.sinks.map((s) => ({ sink: s.name, points: 0, error })) };
  }
  return { finish: (built, runId) => fanOut(options.sinks, freshnessPoints(manifest, times, built, now(), runId)) };
}
