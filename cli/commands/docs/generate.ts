import { Command, Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { DocsError, generateDocs } from '../../../docs-site/generator/index.js';
import type { Manifest } from '../../../compiler/manifest/types.js';

/** Compiles the project when the compiler core is available; undefined means "read target/manifest.json". */
async function compileIfAvailable(projectDir: string, log: (s: string) => void): Promise<Manifest | undefined> {
  const compiler = (await import('../../../compiler/index.js')) as Record<string, unknown>;
  const compileProject = compiler.compileProject as
    | ((o: { projectDir: string }) => Promise<{ manifest: Manifest; ok: boolean; diagnostics: Array<{ severity: string; code: string; message: string; file?: string; line?: number; column?: number; frame?: string; hint?: string }> }>)
    | undefined;
  const writeArtifacts = compiler.writeArtifacts as ((r: unknown, dir: string) => Promise<unknown> | unknown) | undefined;
  if (typeof compileProject !== 'function') return undefined;
  const result = await compileProject({ projectDir });
  for (const d of result.diagnostics) {
    const where = d.file ? `${d.file}${d.line ? `:${d.line}:${d.column ?? 1}` : ''}: ` : '';
    log(`${where}${d.severity} ${d.code}: ${d.message}${d.frame ? `\n${d.frame}` : ''}${d.hint ? `\n  hint: ${d.hint}` : ''}`);
  }
  if (!result.ok) throw new DocsError('the project did not compile, so no docs were generated', 'fix the errors above and run `etl docs generate` again');
  if (typeof writeArtifacts === 'function') await writeArtifacts(result, projectDir);
  return result.manifest;
}

export default class DocsGenerate extends Command {
  static override summary = 'Generate the lineage docs site into target/docs/.';
  static override description =
    'Builds a static site (opens from the file system, no server needed) from the manifest and, when present, target/run_results.json: ' +
    'model and source pages, an interactive DAG, column lineage, classification and the PII-in-gold view, test results and search.';
  static override examples = ['<%= config.bin %> docs generate', '<%= config.bin %> docs generate --no-compile --manifest target/manifest.json'];

  static override flags = {
    'project-dir': Flags.directory({ description: 'Project root (holds project.yaml).', default: '.', exists: true }),
    compile: Flags.boolean({ description: 'Compile the project first (off: read an existing manifest).', default: true, allowNo: true }),
    manifest: Flags.string({ description: 'Manifest to document (default: target/manifest.json); implies --no-compile.' }),
    'run-results': Flags.string({ description: 'Run results to show (default: target/run_results.json, optional).' }),
    out: Flags.string({ description: 'Output folder (default: target/docs).' }),
    json: Flags.boolean({ description: 'Print the summary as JSON.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DocsGenerate);
    const projectDir = resolve(flags['project-dir']);
    try {
      const manifest = flags.compile && !flags.manifest ? await compileIfAvailable(projectDir, (s) => this.logToStderr(s)) : undefined;
      const result = await generateDocs({
        projectDir,
        ...(manifest ? { manifest } : {}),
        ...(flags.manifest ? { manifestPath: flags.manifest } : {}),
        ...(flags['run-results'] ? { runResultsPath: flags['run-results'] } : {}),
        ...(flags.out ? { outDir: flags.out } : {}),
      });
      if (flags.json) {
        this.log(JSON.stringify(result, null, 2));
        return;
      }
      for (const w of result.warnings) this.warn(w);
      this.log(
        `Docs for ${result.models} models, ${result.sources} source tables, ${result.columns} columns and ${result.tests} tests` +
          `${result.runStatusShown ? ' (with last-run status)' : ''} written to ${result.outDir}`,
      );
      this.log(`Open ${result.entry} in a browser, or run \`etl docs serve\`.`);
    } catch (err) {
      if (err instanceof DocsError) this.error(err.message, { exit: 1, ...(err.hint ? { suggestions: [err.hint] } : {}) });
      throw err;
    }
  }
}
