/**
 * The reference project, compiled by the real compiler for the emr target, built against moto:
 * every table registered in Glue, every artifact uploaded, every step pointing at them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ListStepsCommand } from '@aws-sdk/client-emr';
import { GetTableCommand } from '@aws-sdk/client-glue';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { runEmrBuild } from '../../runtime/aws/emr-build.js';
import { useMoto } from './moto-env.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const moto = useMoto('company-lakehouse');
let compiled: CompileResult;

beforeAll(async () => {
  compiled = await compileProject({ projectDir: ROOT, target: 'emr' });
}, 120_000);

describe('reference project on the emr target (moto)', () => {
  it('compiles for emr with S3 layer roots', () => {
    expect(compiled.ok).toBe(true);
    expect(compiled.manifest.target.layers.silver.root).toMatch(/^s3:\/\//);
  });

  it('registers every bronze source and every table model, uploads every artifact and submits a step per model', async () => {
    const { manifest, plan } = compiled;
    const projectDir = mkdtempSync(join(tmpdir(), 'etl-ref-'));
    const result = await runEmrBuild(manifest, plan, { projectDir, env: moto.env, wait: false });

    for (const source of Object.values(manifest.sources)) {
      const t = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: source.bronze.database, Name: source.bronze.table }))).Table;
      const names = t.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name);
      expect(names).toEqual([...source.columns, ...source.bronze.metadataColumns].map((c) => c.name));
      expect(t.PartitionKeys).toEqual([{ Name: 'ingest_date', Type: 'date' }]);
    }
    const tableModels = Object.values(manifest.models).filter((m) => m.materialized === 'table' || m.materialized === 'incremental');
    expect(tableModels.length).toBeGreaterThan(0);
    for (const m of tableModels) {
      const t = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: m.relation!.database, Name: m.relation!.table }))).Table;
      expect(t.StorageDescriptor.Columns.map((c: { Name: string }) => c.Name)).toEqual(m.columns.map((c) => c.name));
      expect(t.Parameters['spark.sql.sources.provider']).toBe('delta');
    }

    for (const put of result.requests.s3.PutObject) {
      const head = await moto.clients.s3.send(new HeadObjectCommand({ Bucket: put.Bucket, Key: put.Key }));
      expect(head.Metadata.sha256).toBe(put.Metadata.sha256);
    }
    const steps = (await moto.clients.emr.send(new ListStepsCommand({ ClusterId: result.run!.clusterId }))).Steps;
    const runnable = plan.stages.flatMap((s) => s.models);
    const testedSources = Object.keys(manifest.sources).filter((id) => Object.values(plan.nodes).some((n) => n.kind === 'test' && n.attachedTo === id));
    expect(steps).toHaveLength(runnable.length + testedSources.length);
    const uploaded = new Set(result.requests.s3.PutObject.map((p) => `s3://${p.Bucket}/${p.Key}`));
    for (const s of steps) {
      const args: string[] = s.Config.Args;
      expect(uploaded.has(args[args.indexOf('--step') + 1]!)).toBe(true);
      expect(uploaded.has(args.find((a) => a.endsWith('/driver/etl_driver.py'))!)).toBe(true);
      expect(uploaded.has(args[args.indexOf('--py-files') + 1]!)).toBe(true);
    }
  });
});
