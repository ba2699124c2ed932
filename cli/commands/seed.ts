import { EtlCommand, EXIT, projectFlags } from '../base.js';
import { Flags } from '@oclif/core';
import { compiledForRun, runFlags, runLocally } from '../run-command.js';

export default class Seed extends EtlCommand {
  static override summary = 'Load the seeds (seeds/*.csv) into their Delta tables.';
  static override description =
    'Compiles the project and replaces each seed\'s Delta table with the typed rows of its CSV (CREATE OR REPLACE: re-seeding is idempotent). `etl build` does the same first, for the seeds the models read. Writes target/run_results.json; exits 1 if a seed failed to load.';
  static override examples = ['<%= config.bin %> seed', '<%= config.bin %> seed --select country_currency', '<%= config.bin %> seed --plan ci-artifacts/target'];
  static override enableJsonFlag = false;
  static override flags = {
    ...projectFlags,
    select: Flags.string({ char: 's', description: 'Seeds to load, by name (default: all)', multiple: true }),
    ...runFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Seed);
    const compiled = await compiledForRun(this, flags);
    const { unknownSeeds } = await import('../../runtime/runner/seed-nodes.js');
    const unknown = unknownSeeds(compiled.plan, flags.select);
    if (unknown.length) this.error(`No seed named ${unknown.join(', ')} (seeds: ${Object.keys(compiled.manifest.seeds ?? {}).map((id) => id.slice(5)).join(', ') || 'none'})`, { exit: EXIT.usage, code: 'ETL_SEED_UNKNOWN' });
    const ok = await runLocally(this, 'seed', flags, compiled);
    if (!ok) this.exit(EXIT.project);
  }
}
