/**
 * Reads a compiled `target/` (manifest.json and plan.json), validated by their schemas, with the
 * version check in one place: a plan from another tool version, a hand-edited or truncated file
 * is refused with a message that says what to do, never run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { MANIFEST_VERSION, ManifestSchema } from '../../compiler/manifest/schema.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { PLAN_VERSION, PlanSchema } from '../../compiler/plan/plan-schema.js';
import { INDEX_FILE, verifyTarget } from '../../compiler/emit/artifact-index.js';

export class CompiledTargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompiledTargetError';
  }
}

function readJson(file: string): unknown {
  if (!existsSync(file)) throw new CompiledTargetError(`${file} does not exist: run \`etl compile\` (or point --plan at a compiled target/ folder).`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CompiledTargetError(`${file} is not valid JSON (${(e as Error).message}): compile again.`);
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown, file: string, what: string, version: { key: string; want: number }): T {
  const found = (value as Record<string, unknown> | null)?.[version.key];
  if (found !== version.want) {
    throw new CompiledTargetError(`${file} is ${what} version ${String(found)}; this etl runs version ${version.want}. Compile it again with this version of etl.`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
  throw new CompiledTargetError(`${file} is not a valid ${what}:\n${issues.join('\n')}\nCompile it again; do not edit compiled files by hand.`);
}

export function readManifest(file: string): Manifest {
  return validated(ManifestSchema, readJson(file), file, 'manifest', { key: 'manifestVersion', want: MANIFEST_VERSION });
}

export function readPlan(file: string): Plan {
  return validated(PlanSchema, readJson(file), file, 'plan', { key: 'planVersion', want: PLAN_VERSION });
}

/** The manifest and plan of a compiled target folder, checked to come from one compile. */
export function readCompiledTarget(dir: string): { manifest: Manifest; plan: Plan } {
  // The compile's index of content hashes travels with target/ when the copy keeps dot-files:
  // then manifest.json and plan.json must be the ones it wrote together.
  if (existsSync(join(dir, INDEX_FILE))) {
    const stale = verifyTarget(dir).filter((f) => f === 'manifest.json' || f === 'plan.json');
    if (stale.length) throw new CompiledTargetError(`${dir}: ${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} not what the compile wrote (edited, truncated or from another compile); compile again.`);
  }
  const manifest = readManifest(join(dir, 'manifest.json'));
  const plan = readPlan(join(dir, 'plan.json'));
  if (plan.target !== manifest.target.name) {
    throw new CompiledTargetError(`${dir}: plan.json is for target '${plan.target}' but manifest.json for '${manifest.target.name}'; compile again so both come from one compile.`);
  }
  for (const node of Object.values(plan.nodes)) {
    const known = node.kind === 'source' ? (manifest.sources[node.id] ?? manifest.seeds?.[node.id]) : node.kind === 'model' ? manifest.models[node.id] : node.kind === 'test' ? manifest.tests[node.id] : manifest.unitTests[node.id];
    if (!known) throw new CompiledTargetError(`${dir}: plan.json names ${node.id}, which manifest.json does not have; compile again so both come from one compile.`);
    const dangling = node.dependsOn.find((d) => !plan.nodes[d]);
    if (dangling) throw new CompiledTargetError(`${dir}: in plan.json, ${node.id} waits for ${dangling}, which the plan does not have; compile again.`);
  }
  return { manifest, plan };
}
