/**
 * EMR target benchmark. Two parts, both printed, nothing asserted:
 * 1. Dry run on a synthetic project of --models models (the pure part of a build: step specs,
 *    build id hash, Glue table inputs, step definitions), timed over --runs runs.
 * 2. The reference project compiled for emr and built against a local moto server with --no-wait:
 *    a cold build (everything uploaded and created) then a warm one (nothing changed), split by
 *    phase from the build's own log lines. moto is a Python emulator on loopback, so these figures
 *    are the tool's request count and overhead, not AWS latency.
 *
 *   node --import tsx bench/aws-build.ts [--models 2000] [--runs 3] [--no-moto]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { compileProject } from '../compiler/index.js';
import type { Manifest, ModelNode, Plan } from '../compiler/manifest/types.js';
import type { Operation } from '../compiler/plan/operations.js';
import { createAwsClients } from '../runtime/aws/clients.js';
import { runEmrBuild } from '../runtime/aws/emr-build.js';
import { fixtureProject } from '../spec/aws/fixtures/manifest.js';
import { MOTO_ENV, startMotoServer } from '../spec/aws/moto-server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const models = arg('models', 2000);
const runs = arg('runs', 3);

/**
 * The fixture's gold table cloned N times in plan.json and the manifest, each reading the previous
 * one (a long chain) or the silver model.
 */
function syntheticProject(n: number): { manifest: Manifest; plan: Plan } {
  const { manifest, plan } = fixtureProject();
  const templateModel = manifest.models['model.dim_customers']!;
  const templateNode = plan.nodes['model.dim_customers'] as ModelNode;
  const stages: string[][] = [];
  for (let i = 0; i < n; i++) {
    const name = `m_${String(i).padStart(5, '0')}`;
    const parent = i % 10 === 0 ? 'model.stg_customer_orders' : `model.m_${String(i - 1).padStart(5, '0')}`;
    const relation = { database: 'gold', table: name };
    const location = { layer: 'gold' as const, path: name };
    const query = { sql: `SELECT * FROM ${parent.replace('model.', i % 10 === 0 ? 'silver.' : 'gold.')}`, files: [`models/gold/${name}.sql`], segments: [] };
    manifest.models[`model.${name}`] = {
      ...templateModel,
      id: `model.${name}`,
      name,
      relation: { ...relation, fqn: `gold.${name}`, location: `s3://company-lakehouse/gold/${name}` },
      dependsOn: { models: [parent], sources: [] },
      artifacts: { compiled: `target/compiled/gold/${name}.sql`, run: `target/run/gold/${name}.sql` },
      checksum: `sum-${name}`,
    };
    const full: Operation[] = [{ kind: 'CreateDatabase', database: 'gold' }, { kind: 'CreateOrReplaceTableAs', relation, location, partitionBy: [], properties: {}, query }];
    plan.nodes[`model.${name}`] = { ...templateNode, id: `model.${name}`, name: `gold.${name}`, file: `models/gold/${name}.sql`, relation, location, full, dependsOn: [parent] };
    (stages[i % 10] ??= []).push(`model.${name}`);
  }
  return { manifest, plan: { ...plan, stages: [...plan.stages, ...stages.map((m) => ({ models: m }))] } };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

async function dryRunBench(): Promise<void> {
  const { manifest, plan } = syntheticProject(models);
  const times: number[] = [];
  let requests!: Awaited<ReturnType<typeof runEmrBuild>>['requests'];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    ({ requests } = await runEmrBuild(manifest, plan, { projectDir: tmpdir(), dryRun: true, env: {}, runId: 'bench' }));
    times.push(ms(t0));
  }
  const bytes = requests.s3.PutObject.reduce((s, p) => s + p.ContentLength, 0);
  console.log(`dry run, ${Object.keys(manifest.models).length} models: ${requests.emr.AddJobFlowSteps.Steps.length} steps, ${requests.glue.UpsertTable.length} Glue tables, ${requests.s3.PutObject.length} artifacts (${(bytes / 1e6).toFixed(1)} MB)`);
  console.log(`  wall ms per run: ${times.map((t) => t.toFixed(0)).join(', ')} (best ${Math.min(...times).toFixed(0)})`);
}

async function motoBench(): Promise<void> {
  const compiled = await compileProject({ projectDir: ROOT, target: 'emr' });
  if (!compiled.ok) throw new Error('the reference project does not compile for emr');
  const moto = await startMotoServer();
  try {
    const env = { ...MOTO_ENV, ETL_AWS_ENDPOINT_URL: moto.endpoint, AWS_EC2_METADATA_DISABLED: 'true' };
    Object.assign(process.env, env);
    await createAwsClients('us-east-1', env).s3.send(new CreateBucketCommand({ Bucket: 'company-lakehouse' }));
    const projectDir = mkdtempSync(path.join(tmpdir(), 'etl-aws-bench-'));
    for (const label of ['cold', 'warm']) {
      const lines: Array<{ at: number; line: string }> = [];
      const t0 = process.hrtime.bigint();
      const result = await runEmrBuild(compiled.manifest, compiled.plan, { projectDir, env, wait: false, log: (line) => lines.push({ at: ms(t0), line }) });
      const total = ms(t0);
      console.log(`moto ${label} build of the reference project: ${total.toFixed(0)} ms, ${result.requests.emr.AddJobFlowSteps.Steps.length} steps submitted`);
      let prev = 0;
      for (const { at, line } of lines.filter((l) => /^\s+(s3|glue|emr):/.test(l.line))) {
        console.log(`  +${(at - prev).toFixed(0).padStart(6)} ms  ${line.trim()}`);
        prev = at;
      }
    }
  } finally {
    await moto.stop();
  }
}

await dryRunBench();
if (!argv.includes('--no-moto')) await motoBench();
