import { Flags } from '@oclif/core';
import { diffManifests } from '../../compiler/diff/diff-manifests.js';
import { renderMarkdown, renderText } from '../../compiler/diff/render.js';
import { EtlCommand, EXIT, projectFlags } from '../base.js';

export default class Diff extends EtlCommand {
  static override summary = 'Compare the project with a reference manifest: breaking changes and their column-level impact downstream.';
  static override description =
    'Compiles the project (nothing is written) and compares it with the manifest in --state (production\'s target/, compiled for any target or environment: models are compared, not locations). For each new, modified or removed model: its changes (columns added, removed, renamed, retyped; filter, join or grain; SQL; descriptions; tests), whether they break readers, and the downstream columns, data tests and exposures whose column lineage reads a changed column. Exit 0 when the diff ran, breaking or not; --fail-on breaking exits 1 when a change is breaking.';
  static override examples = [
    '<%= config.bin %> diff --state prod-target/',
    '<%= config.bin %> diff --state prod-target/ --format markdown > diff.md   # a PR comment',
    '<%= config.bin %> diff --state prod-target/manifest.json --json | jq \'.models[] | select(.category == "breaking")\'',
    '<%= config.bin %> diff --state prod-target/ --fail-on breaking',
  ];
  static override flags = {
    ...projectFlags,
    state: Flags.string({ description: 'Reference manifest.json, or a target/ folder holding one (production\'s)', required: true }),
    format: Flags.string({
      description: 'text (default), markdown (a pull-request comment), or github (the report as text, compile diagnostics as GitHub annotations)',
      options: ['text', 'markdown', 'github'],
      default: 'text',
    }),
    'fail-on': Flags.string({ description: 'Exit 1 when a change of this category is found', options: ['breaking'] }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Diff);
    const reference = await this.loadStateManifest(flags.state);
    const compileFlags = { ...flags, format: flags.format === 'github' ? 'github' : 'text' };
    const result = await this.compileForRun(compileFlags);
    if (!result.ok) {
      if (this.jsonEnabled()) {
        process.exitCode = EXIT.project;
        return { ok: false, diagnostics: result.diagnostics };
      }
      this.exit(EXIT.project);
    }
    const report = diffManifests(reference!, result.manifest);
    if (flags['fail-on'] === 'breaking' && report.summary.breaking > 0) process.exitCode = EXIT.project;
    if (this.jsonEnabled()) return report;
    this.log((flags.format === 'markdown' ? renderMarkdown(report) : renderText(report)).replace(/\n$/, ''));
    return report;
  }
}
