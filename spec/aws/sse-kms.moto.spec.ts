/**
 * SSE-KMS on every S3 object the tool writes (moto): a KMS key is created, its ARN set as
 * `targets.emr.kms_key` in a copy of the lakehouse fixture project, which is compiled; then an EMR
 * build (artifacts) and an S3 ingestion from a local Snowflake (bronze Parquet, batch manifests,
 * state, lock) run against moto. Every object in the bucket must be encrypted with that key; the
 * cluster and each step carry the EMRFS/S3A settings for the Spark writes on the cluster.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { ingestionJobFor } from '../../compiler/emit/ingestion-jobs.js';
import { runEmrBuild } from '../../runtime/aws/emr-build.js';
import { INGEST_METRICS } from '../../runtime/aws/metric-names.js';
import { S3ObjectStore } from '../../runtime/bronze/s3-object-store.js';
import { runIngestion } from '../../runtime/ingest/run-ingestion.js';
import { opsContext } from '../../runtime/metrics/ops-context.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { snowflakeTableFor, startSnowflakeServer, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { LAKEHOUSE_PROJECT } from './fixtures/manifest.js';
import { MOTO_ENV } from './moto-server.js';
import { useMoto } from './moto-env.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const BUCKET = 'company-lakehouse';
const moto = useMoto(BUCKET);
let project: string;
let snowflake: SnowflakeServer | undefined;

beforeAll(() => {
  mkdirSync(join(ROOT, '.etl', 'tmp'), { recursive: true });
  project = mkdtempSync(join(ROOT, '.etl', 'tmp', 'sse-kms-'));
  cpSync(LAKEHOUSE_PROJECT, project, { recursive: true });
});
afterAll(async () => {
  await snowflake?.stop();
  if (project) rmSync(project, { recursive: true, force: true });
});

async function createKey(): Promise<{ KeyId: string; Arn: string }> {
  const kms = new KMSClient({ endpoint: moto.server.endpoint, region: MOTO_ENV.AWS_REGION, credentials: { accessKeyId: MOTO_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: MOTO_ENV.AWS_SECRET_ACCESS_KEY } });
  const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'lakehouse' }));
  return { KeyId: KeyMetadata!.KeyId!, Arn: KeyMetadata!.Arn! };
}

/** Compiles the project copy for the emr target, with `kms_key` set in its project.yaml. */
async function compileWithKey(kmsKey: string) {
  const yamlPath = join(project, 'project.yaml');
  const original = readFileSync(join(LAKEHOUSE_PROJECT, 'project.yaml'), 'utf8');
  const marker = '    cloudwatch_namespace: EnterpriseLakehouse/ETL\n';
  expect(original).toContain(marker);
  writeFileSync(yamlPath, original.replace(marker, `${marker}    kms_key: ${kmsKey}\n`));
  const compiled = await compileProject({ projectDir: project, target: 'emr' });
  expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compiled;
}

/** Every key of the bucket with its encryption as HeadObject reports it. */
async function encryptionOfEveryObject(): Promise<Array<{ key: string; sse?: string; keyId?: string }>> {
  const out: Array<{ key: string; sse?: string; keyId?: string }> = [];
  let token: string | undefined;
  do {
    const page = await moto.clients.s3.send(new ListObjectsV2Command({ Bucket: BUCKET, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const head = await moto.clients.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: o.Key }));
      out.push({ key: o.Key, sse: head.ServerSideEncryption, keyId: head.SSEKMSKeyId });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

describe('SSE-KMS on every S3 write (moto)', () => {
  it('an EMR build and an S3 ingestion write every object with the project key; EMR steps and cluster carry it for Spark', async () => {
    const key = await createKey();

    const compiled = await compileWithKey(key.Arn);
    expect(compiled.manifest.target.settings).toMatchObject({ kms_key: key.Arn });
    const build = await runEmrBuild(compiled.manifest, compiled.plan, { projectDir: project, env: moto.env, wait: false, sleep: async () => {} });
    const emrfs = build.requests.emr.RunJobFlow!.Configurations!.find((c) => c.Classification === 'emrfs-site');
    expect(emrfs?.Properties).toEqual({ 'fs.s3.enableServerSideEncryption': 'true', 'fs.s3.serverSideEncryption.kms.keyId': key.Arn });
    for (const step of build.requests.emr.AddJobFlowSteps.Steps as Array<{ HadoopJarStep: { Args: string[] } }>) {
      expect(step.HadoopJarStep.Args).toContain(`spark.hadoop.fs.s3.serverSideEncryption.kms.keyId=${key.Arn}`);
      expect(step.HadoopJarStep.Args).toContain(`spark.hadoop.fs.s3a.encryption.key=${key.Arn}`);
    }
    expect(build.requests.s3.PutObject.every((p) => p.SSEKMSKeyId === key.Arn && p.ServerSideEncryption === 'aws:kms')).toBe(true);

    // Ingestion into S3 bronze with the settings of the compiled target (key and metric sinks).
    const job = ingestionJobFor(compiled.manifest.sources['source.snowflake.customer_orders']!, compiled.manifest);
    expect(job.bronze.location).toBe(`s3://${BUCKET}/bronze/snowflake/customer_orders`);
    const rows = generateRows(job.columns, { rows: 300, timeColumn: 'updated_at', days: 3, seed: 5 });
    snowflake = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(job, rows)]), users: { ETL: { password: 'pw' } } });
    const ops = await opsContext(compiled.manifest, { projectDir: project, env: moto.env, cloudwatch: moto.clients.cloudwatch });
    expect(ops.kmsKeyId).toBe(key.Arn);
    const record = await runIngestion({
      projectDir: project,
      jobs: [job],
      env: { ...moto.env, ETL_SNOWFLAKE_ACCESS_URL: snowflake.url, SNOWFLAKE_USERNAME: 'etl', SNOWFLAKE_PASSWORD: 'pw' },
      ops,
    });
    expect(record.jobs.map((j) => [j.status, j.rows])).toEqual([['success', 300]]);
    expect(record.metrics?.map((m) => [m.sink, m.points, m.error])).toEqual([
      [join(project, '.etl', 'metrics', 'metrics.jsonl'), 6, undefined],
      ['cloudwatch:EnterpriseLakehouse/ETL', 6, undefined],
    ]);
    const sent = await moto.clients.cloudwatch.send(new ListMetricsCommand({ Namespace: 'EnterpriseLakehouse/ETL', MetricName: INGEST_METRICS.records.name }));
    expect(sent.Metrics.map((m: { Dimensions: unknown }) => m.Dimensions)).toEqual([[{ Name: 'Project', Value: 'enterprise_lakehouse' }, { Name: 'Source', Value: 'snowflake.customer_orders' }]]);

    // The bronze store's other writes: a multipart upload and the conditional puts of locks and state.
    const store = new S3ObjectStore(`s3://${BUCKET}/bronze/sse-check`, { client: moto.clients.s3 as unknown as S3Client, partSize: 5 * 1024 * 1024, kmsKeyId: ops.kmsKeyId! });
    await store.put('big.bin', new Uint8Array(11 * 1024 * 1024).map((_, i) => i % 251));
    expect(await store.putIfAbsent('_etl/lock.json', '{"runId":"a"}')).toBe(true);
    const version = (await store.getVersioned('_etl/lock.json'))!.version;
    expect(await store.putIfVersion('_etl/lock.json', '{"runId":"a","beat":2}', version)).toBe(true);

    const objects = await encryptionOfEveryObject();
    const keys = objects.map((o) => o.key);
    expect(keys.filter((k) => k.startsWith('etl/builds/')).length).toBe(build.requests.s3.PutObject.length);
    expect(keys.some((k) => /^bronze\/snowflake\/customer_orders\/ingest_date=.*\.parquet$/.test(k))).toBe(true);
    expect(keys).toContain('bronze/snowflake/customer_orders/_etl/state.json');
    expect(keys.some((k) => k.startsWith('bronze/snowflake/customer_orders/_etl/manifests/'))).toBe(true);
    expect(keys).toEqual(expect.arrayContaining(['bronze/sse-check/big.bin', 'bronze/sse-check/_etl/lock.json']));
    expect(objects.filter((o) => o.sse !== 'aws:kms' || o.keyId !== key.Arn)).toEqual([]);
  }, 120_000);
});
