/**
 * The manifest and plan a run works from: compiled fresh through the compile core when it is
 * available (so a build never runs stale SQL), else read from `target/` (`etl compile` output).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.js';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';

export class ProjectLoadError extends Error {
  constructor(message: string, readonly diagnostics: Diagnostic[] = []) {
    super(message);
    this.name = 'ProjectLoadError';
  }
}

export interface LoadedProject {
  manifest: Manifest;
  plan: Plan;
  diagnostics: Diagnostic[];
  origin: 'compiled' | 'target';
}

export interface LoadOptions {
  projectDir: string;
  target?: string;
  vars?: Record<string, unknown>;
  /** Use target/manifest.json and target/plan.json as they are (no compile). */
  fromTarget?: boolean;
}

interface CompilerEntry {
  compileProject?: (o: { projectDir: string; target?: string; vars?: Record<string, unknown> }) => Promise<{ manifest: Manifest; plan: Plan; diagnostics: Diagnostic[]; ok: boolean }>;
  writeArtifacts?: (result: unknown, projectDir: string) => unknown;
}

export async function loadProject(opts: LoadOptions): Promise<LoadedProject> {
  if (!opts.fromTarget) {
    const compiler = (await import('../../compiler/index.js')) as CompilerEntry;
    if (typeof compiler.compileProject === 'function') {
      const result = await compiler.compileProject({
        projectDir: opts.projectDir,
        ...(opts.target ? { target: opts.target } : {}),
        ...(opts.vars ? { vars: opts.vars } : {}),
      });
      if (!result.ok) {
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        throw new ProjectLoadError(`Compilation failed with ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was run.`, result.diagnostics);
      }
      if (typeof compiler.writeArtifacts === 'function') await compiler.writeArtifacts(result, opts.projectDir);
      return { manifest: result.manifest, plan: result.plan, diagnostics: result.diagnostics, origin: 'compiled' };
    }
  }
  return readTarget(opts.projectDir);
}

export function readTarget(projectDir: string): LoadedProject {
  const manifestFile = join(projectDir, 'target', 'manifest.json');
  const planFile = join(projectDir, 'target', 'plan.json');
  if (!existsSync(manifestFile) || !existsSync(planFile)) {
    throw new ProjectLoadError(`No compiled project in ${join(projectDir, 'target')}: run \`etl compile\` first.`);
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as Plan;
  if (manifest.manifestVersion !== 1) {
    throw new ProjectLoadError(`${manifestFile} has manifest version ${String(manifest.manifestVersion)}; this etl reads version 1. Re-run \`etl compile\`.`);
  }
  return { manifest, plan, diagnostics: [], origin: 'target' };
}
