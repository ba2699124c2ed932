import { Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags, selectionFlags } from '../base.js';
import { compiledForRun, runFlags, runLocally } from '../run-command.js';
import { junitFlags } from '../output/flags.js';

export default class Test extends EtlCommand {
  static override summary = 'Run data tests, source freshness and model unit tests, without building.';
  static override description =
    'Runs the data tests of the selected models against the tables as they are, the tests of the sources they read (freshness included), and the model unit tests (given rows in temporary views; warehouse tables are not touched). A sample of failing rows goes to target/test-failures/, unit-test diffs to target/unit-test-failures/. Exits 1 if an error-severity test fails.';
  static override examples = [
    '<%= config.bin %> test',
    '<%= config.bin %> test --select stg_customer_orders',
    '<%= config.bin %> test --unit',
    '<%= config.bin %> test --plan ci-artifacts/target',
  ];
  static override enableJsonFlag = false;
  static override flags = {
    ...projectFlags,
    ...selectionFlags,
    ...runFlags,
    unit: Flags.boolean({ description: 'Only model unit tests', exclusive: ['data'] }),
    data: Flags.boolean({ description: 'Only data tests (and source freshness)', exclusive: ['unit'] }),
    ...junitFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Test);
    const withState = { ...flags, dataTests: !flags.unit, unitTests: !flags.data, stateManifest: await this.loadStateManifest(flags.state) };
    const compiled = await compiledForRun(this, withState);
    const { junitWriter } = await import('../output/junit-report.js');
    const ok = await runLocally(this, 'test', withState, compiled, junitWriter(flags.junit, compiled));
    if (!ok) this.exit(EXIT.project);
  }
}
