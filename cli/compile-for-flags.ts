/**
 * The compile a command's flags ask for: the target, vars and cache, the environment (`--env`), and
 * with `--defer` the unselected models read from the `--state` deployment.
 */
import type { CompileOptions, CompileResult } from '../compiler/compile-types.js';
import { compileProject } from '../compiler/compile.js';
import { compileDeferred } from '../compiler/environments/defer.js';
import type { Manifest } from '../compiler/manifest/types.js';

export interface CompileFlagValues {
  target?: string | undefined;
  'no-cache'?: boolean | undefined;
  env?: string | undefined;
  defer?: boolean | undefined;
  select?: string[] | undefined;
  exclude?: string[] | undefined;
}

export class DeferWithoutStateError extends Error {
  constructor() {
    super('--defer needs --state PROD_TARGET_DIR: the manifest of the deployment to read unselected models from.');
  }
}

export function compileForFlags(projectDir: string, vars: Record<string, unknown> | undefined, flags: CompileFlagValues, state: Manifest | undefined): Promise<CompileResult> {
  const options: CompileOptions = {
    projectDir,
    ...(flags.target ? { target: flags.target } : {}),
    ...(vars ? { vars } : {}),
    ...(flags['no-cache'] ? { cache: false } : {}),
    ...(flags.env ? { environment: flags.env } : {}),
  };
  if (!flags.defer) return compileProject(options);
  if (!state) throw new DeferWithoutStateError();
  return compileDeferred(options, { reference: state, select: flags.select, exclude: flags.exclude });
}
