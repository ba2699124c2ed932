import { Args } from '@oclif/core';
import { environmentNameSchema, type Manifest } from '../../../compiler/index.js';
import type { EnvironmentContents } from '../../../runtime/environments/contents.js';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';

export default class EnvDrop extends EtlCommand {
  static override summary = "Drop an environment's databases and files (never production's, never bronze).";
  static override description =
    'Compiles the project for --env NAME to learn what the environment holds (silver__NAME, gold__NAME and models\' own databases with the suffix; the roots under envs/NAME/), then drops those databases with their tables (local Spark, or Glue on an EMR target) and deletes the files under those roots (local disk, or S3). Dropping an environment that was never built is not an error.';
  static override examples = ['<%= config.bin %> env drop pr_42', '<%= config.bin %> env drop pr_42 --target emr_prod'];
  static override args = { name: Args.string({ description: 'Environment name, as given to --env (e.g. pr_42)', required: true }) };
  static override flags = {
    project: projectFlags.project,
    target: projectFlags.target,
    vars: projectFlags.vars,
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(EnvDrop);
    const name = environmentNameSchema.safeParse(args.name);
    if (!name.success) this.error(`Invalid environment name '${args.name}': ${name.error.issues[0]?.message}`, { exit: EXIT.usage, code: 'ETL104' });
    const compiled = await this.compileForRun({ ...flags, env: name.data });
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const { environmentContents } = await import('../../../runtime/environments/contents.js');
    const contents = environmentContents(compiled.manifest);
    const dropped =
      compiled.manifest.target.kind === 'emr'
        ? await this.dropOnAws(compiled.manifest, contents)
        : await this.dropLocally(compiled.projectDir, compiled.manifest, contents);
    if (!this.jsonEnabled()) this.log(`Dropped environment ${name.data}: databases ${dropped.databases.join(', ')}; files under ${dropped.locations.join(', ')}`);
    return { environment: name.data, ...dropped };
  }

  private async dropLocally(projectDir: string, manifest: Manifest, contents: EnvironmentContents) {
    const [{ acquireSpark, sparkSettingsFromTarget }, { dropLocalEnvironment }] = await Promise.all([
      import('../../../runtime/engines/spark/engine.js'),
      import('../../../runtime/environments/drop-local.js'),
    ]);
    const spark = await acquireSpark({ projectDir, settings: sparkSettingsFromTarget(manifest.target.settings) });
    try {
      const session = await spark.openSession();
      return await dropLocalEnvironment(contents, projectDir, session);
    } finally {
      await spark.release();
    }
  }

  private async dropOnAws(manifest: Manifest, contents: EnvironmentContents) {
    const [{ parseEmrSettings }, { createAwsClients }, { dropEmrEnvironment }] = await Promise.all([
      import('../../../runtime/aws/settings.js'),
      import('../../../runtime/aws/clients.js'),
      import('../../../runtime/environments/drop-emr.js'),
    ]);
    const settings = parseEmrSettings(manifest.target);
    return dropEmrEnvironment(contents, createAwsClients(settings.region), settings.catalog_id);
  }
}
