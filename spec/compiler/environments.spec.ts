/**
 * Environments and deferral at compile time: `--env` moves silver and gold into their own databases
 * and roots (bronze stays), `--defer` reads unselected models from the reference deployment with no
 * plan node, and comparing manifests across targets and environments compares models, not locations.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileDeferred, compileProject, selectModels, type Manifest } from '../../compiler/index.js';
import { environmentContents, NotAnEnvironmentError } from '../../runtime/environments/contents.js';
import { fixture, runEtl } from './helpers.js';

const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((t) => rm(t, { recursive: true, force: true })));
});

/** A copy of the materializations fixture with a second, EMR target on other roots. */
async function checkout(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'etl-env-'));
  temps.push(dir);
  await cp(fixture('materializations'), dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.etl`) });
  const yaml = await readFile(path.join(dir, 'project.yaml'), 'utf8');
  await writeFile(
    path.join(dir, 'project.yaml'),
    yaml.replace(/, root: s3:\/\/lake\/\w+/g, '').replace('  local: { kind: local }', '  local: { kind: local }\n  prod: { kind: emr, region: eu-west-1, bucket: prod-lake }'),
  );
  return dir;
}

async function compiled(dir: string, options: { environment?: string; target?: string } = {}): Promise<Manifest> {
  const result = await compileProject({ projectDir: dir, cache: false, ...options });
  expect(result.ok, JSON.stringify(result.diagnostics.map((d) => d.message))).toBe(true);
  return result.manifest;
}

describe('environments', () => {
  it('--env puts silver and gold in their own databases under envs/NAME/, and leaves bronze as it is', async () => {
    const dir = await checkout();
    const [prod, pr] = await Promise.all([compiled(dir), compiled(dir, { environment: 'pr_7' })]);
    expect(pr.environment).toBe('pr_7');
    expect(pr.target.layers).toEqual({
      bronze: prod.target.layers.bronze,
      silver: { database: 'silver__pr_7', root: 'data/warehouse/envs/pr_7/silver' },
      gold: { database: 'gold__pr_7', root: 'data/warehouse/envs/pr_7/gold' },
    });
    expect(pr.models['model.orders_table']!.relation).toEqual({
      database: 'silver__pr_7',
      table: 'orders_table',
      fqn: 'silver__pr_7.orders_table',
      location: 'data/warehouse/envs/pr_7/silver/orders_table',
    });
    expect(pr.models['model.customer_revenue']!.compiledSql).toContain('silver__pr_7.');
    expect(pr.models['model.customer_revenue']!.compiledSql).not.toMatch(/\bsilver\.(?!_)/);
    expect(pr.sources).toEqual(prod.sources);
  }, 60_000);

  it('on an EMR target the environment is under s3://bucket/envs/NAME/', async () => {
    const dir = await checkout();
    const pr = await compiled(dir, { environment: 'pr_7', target: 'prod' });
    expect(pr.target.layers.gold).toEqual({ database: 'gold__pr_7', root: 's3://prod-lake/envs/pr_7/gold' });
    expect(pr.target.layers.bronze).toEqual({ database: 'bronze', root: 's3://prod-lake/bronze' });
  }, 60_000);

  it('an invalid environment name is ETL104 and nothing is compiled into it', async () => {
    const dir = await checkout();
    const result = await compileProject({ projectDir: dir, cache: false, environment: 'PR-7' });
    expect(result.ok).toBe(false);
    expect(result.diagnostics.map((d) => d.code)).toContain('ETL104');
  }, 60_000);

  it('comparing across environments and targets compares models: nothing is modified', async () => {
    const dir = await checkout();
    const [prod, pr, emr] = await Promise.all([compiled(dir), compiled(dir, { environment: 'pr_7' }), compiled(dir, { target: 'prod' })]);
    expect(selectModels(pr, { select: ['state:modified'], state: prod })).toEqual([]);
    expect(selectModels(emr, { select: ['state:modified'], state: prod })).toEqual([]);
    expect(selectModels(prod, { select: ['state:modified'], state: emr })).toEqual([]);
  }, 60_000);

  it('environmentContents refuses a production manifest and lists an environment\'s databases and roots', async () => {
    const dir = await checkout();
    const [prod, pr] = await Promise.all([compiled(dir), compiled(dir, { environment: 'pr_7' })]);
    expect(() => environmentContents(prod)).toThrow(NotAnEnvironmentError);
    expect(environmentContents(pr)).toEqual({
      name: 'pr_7',
      databases: ['gold__pr_7', 'silver__pr_7'],
      roots: ['data/warehouse/envs/pr_7/silver', 'data/warehouse/envs/pr_7/gold'],
    });
  }, 60_000);
});

describe('deferral', () => {
  it('state:modified+ builds the edited model and its children; the others are read from production, with no plan node', async () => {
    const dir = await checkout();
    const prod = await compiled(dir);
    const file = path.join(dir, 'models/silver/orders_table.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replace('SELECT order_id,', 'SELECT order_id, 1 AS version,'));
    const result = await compileDeferred({ projectDir: dir, cache: false, environment: 'pr_7' }, { reference: prod, select: ['state:modified+'] });
    expect(result.ok).toBe(true);
    const { manifest, plan } = result;
    const planned = Object.values(plan.nodes).filter((n) => n.kind === 'model').map((n) => n.id).sort();
    const selected = selectModels(manifest, { select: ['state:modified+'], state: prod });
    expect(planned).toEqual([...selected].sort());
    expect(planned).toContain('model.orders_table');
    for (const [id, relation] of Object.entries(manifest.deferred)) {
      expect(relation).toBe(prod.models[id]!.relation!.fqn);
      expect(plan.nodes[id]).toBeUndefined();
      expect(Object.values(plan.nodes).some((n) => n.dependsOn.includes(id))).toBe(false);
    }
    expect(Object.keys(manifest.deferred).length).toBeGreaterThan(0);
    // Children of a deferred model read production's table.
    const child = Object.values(manifest.models).find((m) => planned.includes(m.id) && m.dependsOn.models.some((p) => manifest.deferred[p]));
    if (child) for (const p of child.dependsOn.models.filter((p) => manifest.deferred[p])) expect(child.compiledSql).toContain(manifest.deferred[p]!);
  }, 60_000);

  it('--defer without --state is a usage error (exit 2)', async () => {
    const dir = await checkout();
    const r = await runEtl(['compile', '--project', dir, '--env', 'pr_7', '--defer', '--no-write']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--state/);
  }, 60_000);
});
