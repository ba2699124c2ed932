import { Flags } from '@oclif/core';
import { selectModels, SelectorError } from '../../compiler/plan/select.js';
import { EtlCommand, EXIT, projectFlags, selectionFlags } from '../base.js';

export default class Ls extends EtlCommand {
  static override summary = 'List the models (and sources) a selection picks, without building anything.';
  static override examples = [
    '<%= config.bin %> ls',
    '<%= config.bin %> ls --select +fct_orders',
    '<%= config.bin %> ls --select "tag:crm,layer:gold" --output path',
    '<%= config.bin %> ls --select source:kafka+ --json',
    '<%= config.bin %> ls --select state:modified+ --state prod-target/   # slim CI: changed models and their children',
  ];
  static override flags = {
    ...projectFlags,
    ...selectionFlags,
    output: Flags.string({ char: 'o', options: ['name', 'path', 'id', 'detail'], default: 'detail', description: 'What to print per model' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(Ls);
    const result = await this.compileAndReport(flags, true);
    if (!result.ok) this.failCompile(result.diagnostics);
    let ids: string[];
    try {
      const state = await this.loadStateManifest(flags.state);
      ids = selectModels(result.manifest, { ...(flags.select ? { select: flags.select } : {}), ...(flags.exclude ? { exclude: flags.exclude } : {}), ...(state ? { state } : {}) });
    } catch (err) {
      if (err instanceof SelectorError) this.error(err.message, { exit: EXIT.usage, code: 'ETL003' });
      throw err;
    }
    const models = ids.map((id) => result.manifest.models[id]!);
    if (this.jsonEnabled()) {
      return models.map((m) => ({ id: m.id, name: m.name, layer: m.layer, materialized: m.materialized, file: m.file, tags: m.tags, relation: m.relation?.fqn ?? null }));
    }
    for (const m of models) {
      if (flags.output === 'name') this.log(m.name);
      else if (flags.output === 'path') this.log(m.file);
      else if (flags.output === 'id') this.log(m.id);
      else this.log(`${m.name.padEnd(32)} ${m.layer.padEnd(6)} ${m.materialized.padEnd(11)} ${(m.relation?.fqn ?? '(inlined)').padEnd(40)} ${m.tags.join(',')}`);
    }
    if (models.length === 0) this.logToStderr('No models match the selection.');
    return models.length;
  }
}
