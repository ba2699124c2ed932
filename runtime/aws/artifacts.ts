/**
 * The files a build uploads: manifest, plan, the driver script, one step spec per step (what
 * the driver executes) and the human-readable SQL from target/. Everything is derived from the
 * compile result, so the build id is a hash of it and keys are deterministic.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { script } from '../../compiler/emit/spark-dialect.js';
import type { ModelNode } from '../../compiler/plan/plan-schema.js';
import { buildLayout, keys, type BuildLayout } from './build-layout.js';
import type { BuildNode } from './build-models.js';
import { layerRoots, locate, stepSpec, type LayerRoots } from './step-spec.js';

export const DRIVER_DIR = join(dirname(fileURLToPath(import.meta.url)), 'driver');
export const DRIVER_PATH = join(DRIVER_DIR, 'etl_driver.py');
export const DRIVER_ENGINE_PATH = join(DRIVER_DIR, 'etl_engine.py');

export interface Artifact {
  key: string;
  body: string;
  contentType: string;
  sha256: string;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The step driver and its engine module, as uploaded. */
export interface DriverSource {
  driver: string;
  engine: string;
}

export function readDriverSource(): DriverSource {
  return { driver: readFileSync(DRIVER_PATH, 'utf8'), engine: readFileSync(DRIVER_ENGINE_PATH, 'utf8') };
}

/** Content hash of everything a build runs: the same compile gives the same id. */
export function computeBuildId(manifest: Manifest, plan: Plan, driverSource: DriverSource): string {
  return sha256([JSON.stringify(manifest), JSON.stringify(plan), driverSource.driver, driverSource.engine].join('\n')).slice(0, 16);
}

export interface BuildArtifacts {
  layout: BuildLayout;
  artifacts: Artifact[];
  /** Node id -> key of its step spec. */
  stepSpecKeys: Map<string, string>;
}

export function buildArtifacts(args: {
  manifest: Manifest;
  plan: Plan;
  nodes: BuildNode[];
  bucket: string;
  artifactsPrefix: string;
  projectDir: string;
  driverSource?: DriverSource;
}): BuildArtifacts {
  const { manifest, plan, nodes } = args;
  const driverSource = args.driverSource ?? readDriverSource();
  const layout = buildLayout(args.bucket, args.artifactsPrefix, computeBuildId(manifest, plan, driverSource));
  const files = new Map<string, Artifact>();
  const add = (key: string, body: string, contentType: string) => files.set(key, { key, body, contentType, sha256: sha256(body) });

  add(keys.manifest(layout), `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  add(keys.plan(layout), `${JSON.stringify(plan, null, 2)}\n`, 'application/json');
  add(keys.driver(layout), driverSource.driver, 'text/x-python');
  add(keys.driverEngine(layout), driverSource.engine, 'text/x-python');

  const roots = layerRoots(manifest.target);
  const stepSpecKeys = new Map<string, string>();
  for (const node of nodes) {
    const spec = stepSpec({ buildId: layout.buildId, node: node.node, tests: node.tests, layerRoots: roots });
    const key = keys.stepSpec(layout, node.id);
    add(key, `${JSON.stringify(spec, null, 2)}\n`, 'application/json');
    stepSpecKeys.set(node.id, key);

    const model = manifest.models[node.id];
    if (model && node.node.kind === 'model') {
      add(keys.targetFile(layout, targetRelative(model.artifacts.compiled)), readTargetFile(args.projectDir, model.artifacts.compiled) ?? `${model.compiledSql}\n`, 'application/sql');
      add(keys.targetFile(layout, targetRelative(model.artifacts.run)), readTargetFile(args.projectDir, model.artifacts.run) ?? operationsText(node.node, roots), 'application/sql');
    }
    for (const { id, test } of node.tests) {
      const artifact = manifest.tests[id]?.artifact;
      if (artifact) add(keys.targetFile(layout, targetRelative(artifact)), readTargetFile(args.projectDir, artifact) ?? `${test.query.sql}\n`, 'application/sql');
    }
  }
  return { layout, artifacts: [...files.values()].sort((a, b) => a.key.localeCompare(b.key)), stepSpecKeys };
}

/** `target/compiled/x.sql` and `compiled/x.sql` both map to `compiled/x.sql` under the build. */
function targetRelative(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)?(target\/)?/, '');
}

/** The compiler's own file when present (byte-identical to what a person sees locally). */
function readTargetFile(projectDir: string, path: string): string | undefined {
  for (const candidate of [resolve(projectDir, path), resolve(projectDir, 'target', targetRelative(path))]) {
    if (existsSync(candidate)) return readFileSync(candidate, 'utf8');
  }
  return undefined;
}

/** What target/run holds when the compile's own file is absent: the plan's operations, rendered by the dialect. */
function operationsText(node: ModelNode, roots: LayerRoots): string {
  const where = (l: Parameters<typeof locate>[1]) => locate(roots, l);
  const block = (title: string, ops: ModelNode['full'] | null) => (ops?.length ? `-- ${title}\n${script(ops, where)}` : '');
  return `${[block('full', node.full), block('incremental', node.incremental), block('post', node.post)].filter(Boolean).join('\n')}`;
}
