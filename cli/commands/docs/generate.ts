import { Flags } from '@oclif/core';
import { join, resolve } from 'node:path';
import { writeArtifacts } from '../../../compiler/index.js';
import { DocsError, generateDocs } from '../../../docs-site/generator/index.js';
import { checkOutDir, OutDirRefused } from '../../../docs-site/generator/out-dir.js';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';

export default class DocsGenerate extends EtlCommand {
  static override summary = 'Compile the project and generate the lineage docs site into target/docs/.';
  static override description =
    'Writes a static site that opens from the file system (no server needed), built from the manifest and, when present, ' +
    'target/run_results.json: overview and health, model and source pages, an interactive DAG with selection, column lineage, ' +
    'classification and the PII-in-gold view, test results and instant search.';
  static override examples = [
    '<%= config.bin %> docs generate',
    '<%= config.bin %> docs generate --target emr',
    '<%= config.bin %> docs generate --no-compile --manifest target/manifest.json',
  ];
  static override flags = {
    ...projectFlags,
    'no-compile': Flags.boolean({ description: 'Document an existing manifest instead of compiling first' }),
    manifest: Flags.string({ description: 'Manifest to document (implies --no-compile; default target/manifest.json)' }),
    'run-results': Flags.string({ description: 'Run results to show (default target/run_results.json, optional)' }),
    out: Flags.string({ description: 'Output folder (default target/docs). Replaced whole, so it must be new, empty, or a site generated before; never the project or a folder holding it' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(DocsGenerate);
    const projectDir = resolve(flags.project);
    // Checked before compiling: a refused --out is a usage error, and nothing is written.
    this.refuseForeignOut(resolve(projectDir, flags.out ?? join('target', 'docs')), projectDir);
    let manifest;
    if (!flags['no-compile'] && !flags.manifest) {
      const result = await this.compileAndReport(flags);
      if (!result.ok) {
        if (this.jsonEnabled()) this.failCompile(result.diagnostics);
        this.error('The project did not compile, so no docs were generated.', { exit: EXIT.project, suggestions: ['Fix the errors above and run `etl docs generate` again.'] });
      }
      await writeArtifacts(result, projectDir);
      manifest = result.manifest;
    }
    try {
      const result = await generateDocs({
        projectDir,
        ...(manifest ? { manifest } : {}),
        ...(flags.manifest ? { manifestPath: flags.manifest } : {}),
        ...(flags['run-results'] ? { runResultsPath: flags['run-results'] } : {}),
        ...(flags.out ? { outDir: flags.out } : {}),
      });
      if (this.jsonEnabled()) return { ok: true, ...result };
      for (const w of result.warnings) this.warn(w);
      this.log(
        `Docs for ${result.models} models, ${result.sources} source tables, ${result.columns} columns and ${result.tests} tests` +
          `${result.runStatusShown ? ' (with last-run status)' : ''} -> ${result.outDir}`,
      );
      this.log(`Open ${result.entry} in a browser, or run \`etl docs serve\`.`);
      return { ok: true, ...result };
    } catch (err) {
      if (err instanceof DocsError) this.error(err.message, { exit: err instanceof OutDirRefused ? EXIT.usage : EXIT.project, ...(err.hint ? { suggestions: [err.hint] } : {}) });
      throw err;
    }
  }

  private refuseForeignOut(outDir: string, projectDir: string): void {
    try {
      checkOutDir(outDir, { projectDir });
    } catch (err) {
      if (err instanceof OutDirRefused) this.error(err.message, { exit: EXIT.usage, ...(err.hint ? { suggestions: [err.hint] } : {}) });
      throw err;
    }
  }
}
