/**
 * What the operations side of a run needs from the compiled target: the project name, the KMS key
 * for S3 writes, and the metric sinks. Locally every point goes to .etl/metrics/metrics.jsonl; on an
 * EMR target (CloudWatch namespace and region from its settings) to CloudWatch as well.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { emrSettingsSchema } from '../../compiler/config/targets.js';
import type { SdkClient } from '../aws/clients.js';
import { JsonlSink, metricsFile } from './jsonl-sink.js';
import type { MetricsSink } from './sink.js';

const opsManifestSchema = z.object({
  project: z.object({ name: z.string() }),
  target: z.object({ name: z.string(), kind: z.string(), settings: z.record(z.string(), z.unknown()) }),
});

export type OpsManifest = z.infer<typeof opsManifestSchema>;

export interface OpsContext {
  project: string;
  kmsKeyId?: string;
  sinks: MetricsSink[];
}

export interface OpsOptions {
  projectDir: string;
  env?: NodeJS.ProcessEnv;
  /** CloudWatch client (tests inject moto's); default: one for the target's region. */
  cloudwatch?: SdkClient;
}

/** The EMR settings of the target, when it is an EMR target with valid settings. */
function emrSettings(manifest: OpsManifest) {
  if (manifest.target.kind !== 'emr') return undefined;
  const parsed = emrSettingsSchema.safeParse(manifest.target.settings);
  return parsed.success ? parsed.data : undefined;
}

export async function opsContext(manifest: OpsManifest, options: OpsOptions): Promise<OpsContext> {
  const sinks: MetricsSink[] = [new JsonlSink(metricsFile(options.projectDir))];
  const emr = emrSettings(manifest);
  if (emr) {
    const { CloudWatchSink } = await import('./cloudwatch-sink.js');
    const client = options.cloudwatch ?? (await import('../aws/clients.js')).createAwsClients(emr.region, options.env ?? process.env).cloudwatch;
    sinks.push(new CloudWatchSink(client, emr.cloudwatch_namespace));
  }
  return { project: manifest.project.name, ...(emr?.kms_key ? { kmsKeyId: emr.kms_key } : {}), sinks };
}

/** The manifest of a compiled target folder (or of the target folder holding an `ingestion/` folder). */
export async function readOpsManifest(dir: string): Promise<OpsManifest | undefined> {
  for (const file of [join(dir, 'manifest.json'), join(dirname(dir), 'manifest.json')]) {
    try {
      const parsed = opsManifestSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}
