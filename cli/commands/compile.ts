import { Flags } from '@oclif/core';
import { performance } from 'node:perf_hooks';
import { selectModels, SelectorError, writeArtifacts } from '../../compiler/index.js';
import { writeTypingsFor } from '../../compiler/emit/typings.js';
import { EtlCommand, EXIT, projectFlags, selectionFlags } from '../base.js';

export default class Compile extends EtlCommand {
  static override summary = 'Compile the project: check every model and write target/ (manifest, plan, Spark SQL, tests).';
  static override description =
    'Loads project.yaml, the typed sources, models, macros and tests; renders and parses every model, infers its columns and lineage, and reports every problem at once with file:line:col. Writes target/manifest.json, target/plan.json, target/compiled/, target/run/, target/tests/ and .etl/types/ (typings for TypeScript models).';
  static override examples = [
    '<%= config.bin %> compile',
    '<%= config.bin %> compile --project ../analytics --target emr',
    '<%= config.bin %> compile --json | jq .models',
    '<%= config.bin %> compile --vars \'{"max_order_date": "2031-12-31"}\'',
    '<%= config.bin %> compile --select fct_orders   # also print its compiled SELECT',
  ];
  static override flags = {
    ...projectFlags,
    ...selectionFlags,
    'no-write': Flags.boolean({ description: 'Check only: do not write target/' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Compile);
    const started = performance.now();
    const result = await this.compileAndReport(flags);
    if (!result.ok) this.failCompile(result.diagnostics);
    if (!flags['no-write']) {
      await writeArtifacts(result, result.projectDir);
      await writeTypingsFor(result, result.projectDir);
    }
    let selected: string[] = [];
    if (flags.select || flags.exclude) {
      try {
        const state = await this.loadStateManifest(flags.state);
        selected = selectModels(result.manifest, { ...(flags.select ? { select: flags.select } : {}), ...(flags.exclude ? { exclude: flags.exclude } : {}), ...(state ? { state } : {}) });
      } catch (err) {
        if (err instanceof SelectorError) this.error(err.message, { exit: EXIT.usage, code: 'ETL003' });
        throw err;
      }
    }
    const ms = Math.round(performance.now() - started);
    // Counts come with the result: a reused result's manifest is not read for them.
    const counts = result.counts ?? { models: Object.keys(result.manifest.models).length, sources: Object.keys(result.manifest.sources).length, tests: Object.keys(result.manifest.tests).length, stages: result.plan.stages.length };
    const summary = {
      ok: true,
      ...counts,
      warnings: result.diagnostics.length,
      ms,
    };
    if (this.jsonEnabled()) {
      return { ...summary, diagnostics: result.diagnostics, ...(selected.length ? { compiled: Object.fromEntries(selected.map((id) => [id, result.manifest.models[id]!.compiledSql])) } : {}) };
    }
    for (const id of selected) this.log(`-- ${id} (${result.manifest.models[id]!.file})\n${result.manifest.models[id]!.compiledSql}\n`);
    this.log(`Compiled ${summary.models} models, ${summary.sources} source tables, ${summary.tests} tests in ${ms} ms; ${summary.stages} stages${flags['no-write'] ? '' : ' -> target/'}`);
    return summary;
  }
}
