/**
 * `etl build --target emr`: upload the build, register every table in Glue, run the plan as
 * EMR steps, report per-model status, record run metrics. `dryRun` returns the exact requests
 * instead of sending them (and needs no credentials).
 */
import type { RunJobFlowCommandInput } from '@aws-sdk/client-emr';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { buildArtifacts } from './artifacts.js';
import { s3Uri } from './build-layout.js';
import { buildNodes } from './build-models.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { metricData, putRunMetrics } from './cloudwatch-metrics.js';
import { checkCluster, createCluster, runJobFlowRequest, terminateCluster } from './emr-cluster.js';
import { stepRequests } from './emr-steps.js';
import { AwsTargetError } from './errors.js';
import { ensureDatabases, glueDatabaseRequests, syncBronzePartitions, upsertTable, type UpsertOutcome } from './glue-catalog.js';
import { glueTableRequests } from './glue-tables.js';
import { fetchDriverResult, mergeResult, runSucceeded, summarize, writeRunResults, type EmrRunResults, type NodeOutcome } from './run-results.js';
import { uploadArtifacts } from './s3-upload.js';
import { sparkSseKmsConf, sseKmsParams } from './sse-kms.js';
import { startFreshness } from '../metrics/build-freshness.js';
import { CloudWatchSink } from '../metrics/cloudwatch-sink.js';
import { JsonlSink, metricsFile } from '../metrics/jsonl-sink.js';
import { assertNoSecrets, secretEnvNames } from './secret-guard.js';
import { parseEmrSettings } from './settings.js';
import { runSteps, type StepEvent } from './step-runner.js';

export interface EmrBuildOptions {
  projectDir: string;
  dryRun?: boolean;
  fullRefresh?: boolean;
  /** Model ids to run (from selectModels); default: every model in the plan. */
  select?: string[];
  /** Wait for the steps to finish (default). Without, return once they are submitted. */
  wait?: boolean;
  /** Overrides targets.<emr>.cluster.existing_cluster_id. */
  clusterId?: string;
  /** Overrides targets.<emr>.cluster.terminate_after_build. */
  terminate?: boolean;
  runId?: string;
  /** Seconds a step waits on the cluster for the models it requires (default 2 h). */
  stepWaitTimeoutSeconds?: number;
  pollIntervalSeconds?: number;
  clients?: Partial<AwsClients>;
  env?: NodeJS.ProcessEnv;
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
  log?: (line: string) => void;
  now?: () => Date;
}

/** The exact requests a build sends, in order; what `--dry-run` prints. */
export interface EmrBuildRequests {
  buildId: string;
  runId: string;
  artifactsUri: string;
  s3: { PutObject: Array<{ Bucket: string; Key: string; ContentType: string; ContentLength: number; Metadata: { sha256: string }; ServerSideEncryption?: 'aws:kms'; SSEKMSKeyId?: string }> };
  glue: {
    CreateDatabase: Array<{ DatabaseInput: unknown }>;
    /** CreateTable, or UpdateTable when the table exists. */
    UpsertTable: Array<{ DatabaseName: string; TableInput: unknown }>;
  };
  emr: {
    RunJobFlow?: RunJobFlowCommandInput;
    AddJobFlowSteps: { JobFlowId: string; Steps: unknown[] };
    TerminateJobFlows?: { JobFlowIds: string[] };
  };
  cloudwatch: { Namespace: string };
}

export interface EmrBuildResult {
  ok: boolean;
  requests: EmrBuildRequests;
  run?: EmrRunResults;
  runResultsPath?: string;
}

const NEW_CLUSTER = '<new cluster from RunJobFlow>';

export function compactTimestamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

/** Glue tables come from the manifest and steps from the plan: both must come from one compile. */
function assertSameCompile(manifest: Manifest, plan: Plan): void {
  const missing = Object.values(plan.nodes).find((n) => (n.kind === 'model' && !manifest.models[n.id]) || (n.kind === 'source' && !manifest.sources[n.id] && !manifest.seeds?.[n.id]));
  if (plan.manifestVersion !== manifest.manifestVersion || missing) {
    const what = missing ? `plan.json names ${missing.id}, which manifest.json does not have` : `plan.json is for manifest version ${plan.manifestVersion}, manifest.json is version ${manifest.manifestVersion}`;
    throw new AwsTargetError('EMR_PLAN_MISMATCH', what, 'run etl compile again so both files come from one compile');
  }
}

export async function runEmrBuild(manifest: Manifest, plan: Plan, options: EmrBuildOptions): Promise<EmrBuildResult> {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const startedAt = now();
  const settings = parseEmrSettings(manifest.target);
  const wait = options.wait ?? true;
  const terminate = options.terminate ?? settings.cluster.terminate_after_build;
  if (terminate && !wait) {
    throw new AwsTargetError('EMR_TERMINATE_NO_WAIT', 'cannot terminate the cluster after the build without waiting for it', 'drop --no-wait, or do not ask for termination');
  }

  assertSameCompile(manifest, plan);
  const nodes = buildNodes(plan, options.select);
  const { layout, artifacts } = buildArtifacts({ manifest, plan, nodes, bucket: settings.bucket, artifactsPrefix: settings.artifacts_prefix, projectDir: options.projectDir });
  assertNoSecrets(artifacts, secretEnvNames(manifest), env);
  const tables = glueTableRequests(manifest);
  const databases = glueDatabaseRequests(manifest, tables);
  const existingCluster = options.clusterId ?? settings.cluster.existing_cluster_id ?? undefined;
  const runId = options.runId ?? compactTimestamp(startedAt);
  const steps = stepRequests(layout, nodes, { runId, fullRefresh: Boolean(options.fullRefresh), waitTimeoutSeconds: options.stepWaitTimeoutSeconds ?? 7200, sparkConf: { ...sparkSseKmsConf(settings.kms_key), ...settings.spark_conf } });
  const jobFlow = existingCluster ? undefined : runJobFlowRequest(settings, manifest.project.name);
  const artifactsUri = s3Uri(layout, `${layout.root}/`);

  const requests: EmrBuildRequests = {
    buildId: layout.buildId,
    runId,
    artifactsUri,
    s3: {
      PutObject: artifacts.map((a) => ({ Bucket: settings.bucket, Key: a.key, ContentType: a.contentType, ContentLength: Buffer.byteLength(a.body), Metadata: { sha256: a.sha256 }, ...sseKmsParams(settings.kms_key) })),
    },
    glue: {
      CreateDatabase: databases.map((d) => ({ DatabaseInput: d })),
      UpsertTable: tables.map((t) => ({ DatabaseName: t.database, TableInput: t.tableInput })),
    },
    emr: {
      ...(jobFlow ? { RunJobFlow: jobFlow } : {}),
      AddJobFlowSteps: { JobFlowId: existingCluster ?? NEW_CLUSTER, Steps: steps.map((s) => s.step) },
      ...(terminate ? { TerminateJobFlows: { JobFlowIds: [existingCluster ?? NEW_CLUSTER] } } : {}),
    },
    cloudwatch: { Namespace: settings.cloudwatch_namespace },
  };
  if (options.dryRun) return { ok: true, requests };

  const clients: AwsClients = { ...createAwsClients(settings.region, env), ...options.clients };
  const modelCount = nodes.filter((n) => n.kind === 'model').length;
  log(`EMR build ${layout.buildId} (run ${runId}): ${modelCount} models, ${nodes.length - modelCount} tested sources`);
  // The sources' extraction times as the build starts: what its gold models will be built from.
  const metricSinks = [new JsonlSink(metricsFile(options.projectDir)), new CloudWatchSink(clients.cloudwatch, settings.cloudwatch_namespace)];
  const freshness = await startFreshness(manifest, { projectDir: options.projectDir, env, s3: clients.s3, sinks: metricSinks });

  const upload = await uploadArtifacts(clients.s3, settings.bucket, artifacts, settings.kms_key);
  log(`  s3: ${artifacts.length} artifacts at ${artifactsUri} (${upload.uploaded} uploaded, ${upload.unchanged} unchanged)`);

  const created = await ensureDatabases(clients.glue, databases, settings.catalog_id);
  const upserts: Record<UpsertOutcome, number> = { created: 0, updated: 0, unchanged: 0 };
  for (const t of tables) upserts[await upsertTable(clients.glue, t, settings.catalog_id)]++;
  let partitions = 0;
  for (const source of Object.values(manifest.sources)) {
    partitions += (await syncBronzePartitions(clients.s3, clients.glue, source, settings.catalog_id)).created.length;
  }
  log(
    `  glue: ${databases.length} databases (${created.length} created), ${tables.length} tables (${upserts.created} created, ${upserts.updated} updated, ${upserts.unchanged} unchanged), ${partitions} new bronze partitions`,
  );

  let clusterId = existingCluster;
  if (clusterId) {
    const { state } = await checkCluster(clients.emr, clusterId);
    log(`  emr: using cluster ${clusterId} (${state})`);
  } else {
    clusterId = await createCluster(clients.emr, jobFlow!);
    log(`  emr: created cluster ${clusterId} (${jobFlow!.ReleaseLabel})`);
  }

  let outcomes: NodeOutcome[] = [];
  try {
    const nodeOf = new Map(nodes.map((n) => [n.id, n]));
    const label = (id: string) => nodeOf.get(id)?.relation ?? id;
    const total = steps.length;
    let finished = 0;
    const onEvent = (e: StepEvent) => {
      if (e.kind === 'submitted') log(`  submitted ${label(e.nodeId)} as step ${e.stepId}`);
      if (e.kind === 'finished') {
        finished++;
        const o = e.outcome;
        const secs = o.durationMs !== undefined ? ` ${(o.durationMs / 1000).toFixed(1)}s` : '';
        log(`  [${finished}/${total}] ${o.status.toUpperCase().padEnd(9)} ${label(o.nodeId)}${secs}${o.message ? `  ${o.message}` : ''}`);
      }
    };
    const stepOutcomes = await runSteps({
      emr: clients.emr,
      clusterId,
      steps,
      wait,
      pollIntervalMs: 1000 * (options.pollIntervalSeconds ?? settings.poll_interval_seconds),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onEvent,
    });
    log(`  emr: ${steps.length} steps ${wait ? 'finished' : 'submitted'} on ${clusterId}`);
    outcomes = await Promise.all(
      stepOutcomes.map(async (o) => {
        const step = steps.find((s) => s.nodeId === o.nodeId)!;
        const driver = wait ? await fetchDriverResult(clients.s3, settings.bucket, step.resultKey) : undefined;
        return mergeResult(o, nodeOf.get(o.nodeId)!, driver);
      }),
    );
    // Spark's CREATE OR REPLACE rewrites the Glue entry with a placeholder schema: restore ours.
    for (const { node } of outcomes.filter((x) => x.node.status === 'success')) {
      const t = tables.find((x) => x.node === node.id);
      if (t) await upsertTable(clients.glue, t, settings.catalog_id);
    }
  } finally {
    if (terminate && clusterId) {
      await terminateCluster(clients.emr, clusterId);
      log(`  emr: terminated cluster ${clusterId}`);
    }
  }

  const endedAt = now();
  const results = outcomes.flatMap((o) => [o.node, ...o.tests]);
  const summary = summarize(outcomes);
  const elapsedMs = endedAt.getTime() - startedAt.getTime();
  const run: EmrRunResults = {
    command: 'build',
    generatedAt: endedAt.toISOString(),
    elapsedMs,
    args: { target: manifest.target.name, select: options.select ?? null, fullRefresh: Boolean(options.fullRefresh), wait },
    success: runSucceeded(results),
    results,
    target: 'emr',
    project: manifest.project.name,
    buildId: layout.buildId,
    runId,
    clusterId,
    startedAt: startedAt.toISOString(),
    artifactsUri,
    summary,
  };
  const runResultsPath = await writeRunResults(options.projectDir, run);
  if (wait) {
    const count = await putRunMetrics(clients.cloudwatch, settings.cloudwatch_namespace, metricData(run.project, outcomes, summary, elapsedMs, endedAt));
    log(`  cloudwatch: ${count} metrics to ${settings.cloudwatch_namespace}`);
    const built = outcomes.filter((o) => o.node.kind === 'model' && o.node.status === 'success').map((o) => o.node.id);
    for (const f of await freshness.finish(built, runId)) log(`  freshness: ${f.error ? `not sent to ${f.sink}: ${f.error}` : `${f.points} gold model points to ${f.sink}`}`);
  }
  const s = run.summary;
  log(`Done: ${s.success} success, ${s.error} error, ${s.skipped} skipped, ${s.cancelled} cancelled${s.submitted ? `, ${s.submitted} submitted` : ''}`);
  return { ok: run.success, requests, run, runResultsPath };
}
