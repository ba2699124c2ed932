import { Args, Flags } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';

export default class GrantsApply extends EtlCommand {
  static override summary = "Apply every role's grants: Lake Formation and IAM on an EMR target, per-role views on local Spark.";
  static override description =
    'Compiles the project for --target and derives the grants (target/grants.json). On an emr target: LF-tags (layer, classification, one per role) on the Glue databases, tables and columns, LF-tag-based grants per role principal and each principal\'s IAM read policy (S3 layer prefixes, KMS decrypt, Glue read). On a local target: one database of views per role (<role>_views), masked columns hashed or NULL, omitted columns left out.';
  static override examples = ['<%= config.bin %> grants apply --target emr', '<%= config.bin %> grants apply --target local', '<%= config.bin %> grants apply data_analyst --target local --json'];
  static override args = { role: Args.string({ required: false, description: 'Only this role (local views); default: every role' }) };
  static override flags = {
    project: projectFlags.project,
    target: Flags.string({ char: 't', description: 'Target from project.yaml: an emr target (Lake Formation, IAM) or a local one (views on Spark)', helpGroup: 'PROJECT' }),
    vars: projectFlags.vars,
    env: projectFlags.env,
    'dry-run': Flags.boolean({ description: 'Print what would be applied (the AWS calls as data, or the views), change nothing' }),
  };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(GrantsApply);
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const { projectGrants, writeGrants } = await import('../../../compiler/governance/grants-artifact.js');
    const grants = projectGrants(compiled.projectDir, compiled.manifest);
    writeGrants(compiled.projectDir, grants);
    if (args.role && !grants.roles.some((r) => r.role === args.role)) this.error(`No role named '${args.role}'. Roles: ${grants.roles.map((r) => r.role).join(', ') || 'none'}.`, { exit: EXIT.usage, code: 'ETL325' });
    const { manifest, projectDir } = compiled;
    if (manifest.target.kind === 'emr') {
      const [{ awsGrants }, { parseEmrSettings }, { applyAwsGrants, createGrantClients }] = await Promise.all([
        import('../../../compiler/governance/grants-aws.js'),
        import('../../../runtime/aws/settings.js'),
        import('../../../runtime/governance/grants/apply-aws.js'),
      ]);
      const settings = parseEmrSettings(manifest.target);
      const layerRoots = { bronze: manifest.target.layers.bronze.root, silver: manifest.target.layers.silver.root, gold: manifest.target.layers.gold.root };
      const aws = awsGrants(args.role ? { ...grants, roles: grants.roles.filter((r) => r.role === args.role) } : grants, { layerRoots, region: settings.region, ...(settings.kms_key ? { kmsKey: settings.kms_key } : {}) });
      if (flags['dry-run']) {
        if (!this.jsonEnabled()) this.log(JSON.stringify(aws, null, 2));
        return { target: manifest.target.name, dryRun: true, aws };
      }
      const applied = await applyAwsGrants(aws, await createGrantClients(settings.region), settings.catalog_id);
      if (!this.jsonEnabled()) this.log(`Applied on ${manifest.target.name}: ${applied.lfTags} LF-tags, ${applied.taggedResources} tagged resources, ${applied.grants} grants, ${applied.policies} IAM policies`);
      return { target: manifest.target.name, ...applied };
    }
    if (flags['dry-run']) {
      const [{ roleViewsPlan }, { script }] = await Promise.all([import('../../../compiler/governance/grants-views.js'), import('../../../compiler/emit/spark-dialect.js')]);
      const sql = script(roleViewsPlan(grants, args.role), () => '');
      if (!this.jsonEnabled()) this.log(sql);
      return { target: manifest.target.name, dryRun: true, sql };
    }
    const { applyLocalGrants } = await import('../../../runtime/governance/grants/apply-local.js');
    const applied = await applyLocalGrants({ projectDir, manifest, grants, ...(args.role ? { role: args.role } : {}) });
    if (!this.jsonEnabled()) this.log(`Created ${applied.views.length} views in ${applied.databases.join(', ')}`);
    return { target: manifest.target.name, ...applied };
  }
}
