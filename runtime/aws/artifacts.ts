/**
 * The files a build uploads: manifest, plan, the driver script, one step spec per step (what
 * the driver executes) and the human-readable SQL from target/. Everything is derived from the
 * compile result, so the build id is a hash of it and keys are deterministic.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Manifest, ManifestModel, ManifestTest, Plan } from '../../compiler/manifest/types.js';
import { buildLayout, keys, type BuildLayout } from './build-layout.js';
import type { BuildNode } from './build-models.js';

export const DRIVER_PATH = join(dirname(fileURLToPath(import.meta.url)), 'driver', 'etl_driver.py');
export const STEP_SPEC_VERSION = 1;

export interface Artifact {
  key: string;
  body: string;
  contentType: string;
  sha256: string;
}

/** What the driver runs for one model, or for one source's tests. */
export interface StepSpec {
  specVersion: typeof STEP_SPEC_VERSION;
  buildId: string;
  kind: BuildNode['kind'];
  /** Model or source id. */
  model: string;
  name: string;
  layer: string;
  materialized: ManifestModel['materialized'] | null;
  relation: string | null;
  location: string | null;
  statements: ManifestModel['statements'];
  /** `test` is the generic test's name: a failing `freshness` test does not fail its node. */
  tests: Array<Pick<ManifestTest, 'id' | 'name' | 'severity' | 'warnIf' | 'errorIf' | 'sql'> & { test?: string }>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function readDriverSource(): string {
  return readFileSync(DRIVER_PATH, 'utf8');
}

/** Content hash of everything a build runs: the same compile gives the same id. */
export function computeBuildId(manifest: Manifest, plan: Plan, driverSource: string): string {
  return sha256([JSON.stringify(manifest), JSON.stringify(plan), driverSource].join('\n')).slice(0, 16);
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
  driverSource?: string;
}): BuildArtifacts {
  const { manifest, plan, nodes } = args;
  const driverSource = args.driverSource ?? readDriverSource();
  const layout = buildLayout(args.bucket, args.artifactsPrefix, computeBuildId(manifest, plan, driverSource));
  const files = new Map<string, Artifact>();
  const add = (key: string, body: string, contentType: string) => files.set(key, { key, body, contentType, sha256: sha256(body) });

  add(keys.manifest(layout), `${JSON.stringify(manifest, null, 2)}\n`, 'application/json');
  add(keys.plan(layout), `${JSON.stringify(plan, null, 2)}\n`, 'application/json');
  add(keys.driver(layout), driverSource, 'text/x-python');

  const stepSpecKeys = new Map<string, string>();
  for (const node of nodes) {
    const { model, testIds } = node;
    const spec: StepSpec = {
      specVersion: STEP_SPEC_VERSION,
      buildId: layout.buildId,
      kind: node.kind,
      model: node.id,
      name: node.name,
      layer: model?.layer ?? 'bronze',
      materialized: model?.materialized ?? null,
      relation: node.relation,
      location: model?.relation?.location ?? null,
      statements: model?.statements ?? { full: [], post: [] },
      tests: testIds
        .map((id) => manifest.tests[id])
        .filter((t): t is ManifestTest => Boolean(t))
        .map(({ id, name, severity, warnIf, errorIf, sql, test }) => ({ id, name, severity, warnIf, errorIf, sql, ...(test ? { test } : {}) })),
    };
    const key = keys.stepSpec(layout, node.id);
    add(key, `${JSON.stringify(spec, null, 2)}\n`, 'application/json');
    stepSpecKeys.set(node.id, key);

    if (model) {
      add(keys.targetFile(layout, targetRelative(model.artifacts.compiled)), readTargetFile(args.projectDir, model.artifacts.compiled) ?? `${model.compiledSql}\n`, 'application/sql');
      add(keys.targetFile(layout, targetRelative(model.artifacts.run)), readTargetFile(args.projectDir, model.artifacts.run) ?? statementsText(model), 'application/sql');
    }
    for (const id of testIds) {
      const test = manifest.tests[id];
      if (test) add(keys.targetFile(layout, targetRelative(test.artifact)), readTargetFile(args.projectDir, test.artifact) ?? `${test.sql}\n`, 'application/sql');
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

function statementsText(model: ManifestModel): string {
  const block = (title: string, sql: string[] | undefined) => (sql?.length ? [`-- ${title}`, ...sql.map((s) => `${s.trim().replace(/;$/, '')};`)].join('\n') : '');
  return `${[block('full', model.statements.full), block('incremental', model.statements.incremental), block('post', model.statements.post)].filter(Boolean).join('\n\n')}\n`;
}
