/**
 * Loads `exposures/*.ts` (consumers of the project's models declared with `defineExposure`) with the
 * project-module loader sources use, and checks each against its zod schema: a problem is a
 * diagnostic at the key or value the user wrote. Whether the models and columns it names exist is
 * checked once the models are analysed (exposure-references.ts).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { EXPOSURE_BRAND } from '../api/exposures.js';
import { ExposureDeclarationSchema, type ExposureDeclaration } from '../config/exposure-schema.js';
import { allowedKeys, issueFacts } from '../config/issues.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { codeFrame } from '../diagnostics/frame.js';
import { declarationKeys, DeclarationKeys } from './declaration-positions.js';
import type { ManifestExposure, ManifestModel } from '../manifest/types.js';
import { manifestExposures } from './exposure-references.js';
import { importProjectModule } from './import-project-module.js';
import { positionFromStack } from './sources.js';

/** Where an exposure was declared: its file, text and the positions of its keys. */
export interface ExposureSite {
  file: string;
  text: string;
  keys: DeclarationKeys;
}

export interface LoadedExposure {
  declaration: ExposureDeclaration;
  site: ExposureSite;
}

export const EXPOSURES_DIR = 'exposures';

/**
 * The project's exposures as loaded, reporting into the compile's diagnostics: the models they read
 * are checked once analysed, when the manifest is assembled.
 */
export class ProjectExposures {
  constructor(
    readonly items: LoadedExposure[],
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** The manifest's `exposures` record; unknown models and columns are reported. */
  toManifest(models: Iterable<ManifestModel>): Record<string, ManifestExposure> {
    return manifestExposures(this.items, models, this.diagnostics);
  }
}

export async function loadExposures(projectDir: string, diagnostics: Diagnostic[]): Promise<ProjectExposures> {
  const dir = path.join(projectDir, EXPOSURES_DIR);
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith('.d.ts')).sort();
  } catch {
    /* no exposures/ folder: none declared */
  }
  const out: LoadedExposure[] = [];
  for (const name of files) out.push(...(await loadFile(path.join(dir, name), `${EXPOSURES_DIR}/${name}`, diagnostics)));
  return new ProjectExposures(out, diagnostics);
}

async function loadFile(abs: string, file: string, diagnostics: Diagnostic[]): Promise<LoadedExposure[]> {
  const text = await readFile(abs, 'utf8');
  let mod: Record<string, unknown>;
  try {
    mod = await importProjectModule(abs);
  } catch (err) {
    const pos = positionFromStack(err, abs);
    diagnostics.push({
      code: 'ETL210',
      severity: 'error',
      message: `Cannot load exposure declaration: ${(err as Error).message.split('\n')[0]}`,
      file,
      ...pos,
      frame: codeFrame(text, pos.line, pos.column),
      hint: 'Fix the TypeScript error; `npx tsc --noEmit` shows type errors with positions.',
    });
    return [];
  }
  const defs = Object.values(mod).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && EXPOSURE_BRAND in v);
  if (defs.length === 0) {
    diagnostics.push({
      code: 'ETL211',
      severity: 'warning',
      message: `${file} exports no exposure declared with defineExposure()`,
      file,
      line: 1,
      column: 1,
      hint: 'Export the declaration: `export default defineExposure({...})`.',
    });
  }
  const calls = declarationKeys(text, 'defineExposure');
  const out: LoadedExposure[] = [];
  for (const def of defs) {
    const keys = calls.find((c) => c.name === def.name) ?? (calls.length === 1 ? calls[0]! : new DeclarationKeys({ line: 1, column: 1 }));
    const site: ExposureSite = { file, text, keys };
    const plainDef = { ...def };
    const parsed = ExposureDeclarationSchema.safeParse(plainDef);
    if (parsed.success) out.push({ declaration: parsed.data, site });
    else diagnostics.push(...schemaDiagnostics(plainDef, parsed.error, site));
  }
  return out;
}

/** One diagnostic per schema problem, at the key (unknown or missing) or the value (invalid). */
function schemaDiagnostics(def: Record<string, unknown>, error: import('zod').ZodError, site: ExposureSite): Diagnostic[] {
  const name = typeof def.name === 'string' ? def.name : '(unnamed)';
  return issueFacts(ExposureDeclarationSchema, def, error).map((fact) => {
    const missing = !fact.unknownKey && valueAt(def, fact.path) === undefined;
    const where = fact.path.length ? `${fact.path.join('.')} of exposure ${name}` : `exposure ${name}`;
    const pos = site.keys.positionOf(fact.unknownKey ? [...fact.path, fact.unknownKey] : fact.path, fact.unknownKey || missing ? 'key' : 'value');
    const message = fact.unknownKey ? `Unknown key '${fact.unknownKey}' in ${where}` : missing ? `Missing ${where}` : `Invalid ${where}: ${fact.message}`;
    const hint =
      fact.suggestion ||
      (fact.unknownKey ? `Allowed keys here: ${allowedKeys(ExposureDeclarationSchema, def, fact.path).join(', ')}.` : missing ? `Add it: ${fact.message.replace(/, received undefined$/, '')}.` : 'See "Exposures" in README.md for the keys of defineExposure().');
    return { code: 'ETL212', severity: 'error' as const, message, file: site.file, ...pos, frame: codeFrame(site.text, pos.line, pos.column), hint };
  });
}

function valueAt(data: unknown, at: ReadonlyArray<string | number>): unknown {
  let v = data;
  for (const p of at) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}
