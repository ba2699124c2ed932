/** Reads target/manifest.json and checks the little the generator relies on, with clear errors. */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MANIFEST_VERSION, type Manifest, type Plan } from '../../compiler/manifest/types.js';
import { PlanSchema } from '../../compiler/plan/plan-schema.js';
import { DocsError } from './errors.js';

export async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new DocsError(`no manifest at ${path}`, 'run `etl compile` first, or pass --manifest <path>', path);
    }
    throw new DocsError(`cannot read the manifest ${path}: ${(err as Error).message}`, undefined, path);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DocsError(`${path} is not valid JSON: ${(err as Error).message}`, 're-run `etl compile` to rewrite it', path);
  }
  return checkManifest(data, path);
}

export function checkManifest(data: unknown, where = 'manifest'): Manifest {
  const m = data as Partial<Manifest> | null;
  if (!m || typeof m !== 'object') throw new DocsError(`${where} is not a manifest object`, 're-run `etl compile`', where);
  if (m.manifestVersion !== MANIFEST_VERSION) {
    throw new DocsError(
      `${where} has manifestVersion ${JSON.stringify(m.manifestVersion)}, this docs generator reads version ${MANIFEST_VERSION}`,
      're-run `etl compile` with this version of lakehouse-etl',
      where,
    );
  }
  for (const key of ['models', 'sources', 'tests'] as const) {
    if (!m[key] || typeof m[key] !== 'object') {
      throw new DocsError(`${where} has no "${key}" object`, 're-run `etl compile`; the file may be truncated', where);
    }
  }
  return m as Manifest;
}

/** plan.json next to the manifest, if there is a valid one: model pages show the statements it runs. */
export async function loadPlanBeside(manifestPath: string, warnings: string[]): Promise<Plan | undefined> {
  const file = join(dirname(manifestPath), 'plan.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = PlanSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    /* reported below */
  }
  warnings.push(`${file} is not a plan this version reads; model pages show no statements (re-run \`etl compile\`).`);
  return undefined;
}
