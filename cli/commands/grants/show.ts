import { Args } from '@oclif/core';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';
import { didYouMean } from '../../../compiler/config/suggest.js';

export default class GrantsShow extends EtlCommand {
  static override summary = 'What a role can read: its tables, and each column visible, masked or omitted.';
  static override description =
    "Compiles the project, derives every role's access from governance.roles in project.yaml and the columns' classifications (through lineage), writes target/grants.json and prints the role's tables and columns.";
  static override examples = ['<%= config.bin %> grants show data_analyst', '<%= config.bin %> grants show crm_analyst --json'];
  static override args = { role: Args.string({ required: true, description: 'Role name from governance.roles' }) };
  static override flags = { project: projectFlags.project, target: projectFlags.target, vars: projectFlags.vars, env: projectFlags.env };

  async run(): Promise<unknown> {
    const { args, flags } = await this.parse(GrantsShow);
    const compiled = await this.compileForRun(flags);
    if (!compiled.ok) this.failCompile(compiled.diagnostics);
    const [{ projectGrants, writeGrants }, { formatRoleGrants }] = await Promise.all([
      import('../../../compiler/governance/grants-artifact.js'),
      import('../../../compiler/governance/grants-table.js'),
    ]);
    const grants = projectGrants(compiled.projectDir, compiled.manifest);
    writeGrants(compiled.projectDir, grants);
    const role = grants.roles.find((r) => r.role === args.role);
    if (!role) {
      const names = grants.roles.map((r) => r.role);
      this.error(`No role named '${args.role}'. ${didYouMean(args.role, names)} Roles: ${names.join(', ') || 'none (governance.roles in project.yaml)'}.`.trim(), { exit: EXIT.usage, code: 'ETL325' });
    }
    if (!this.jsonEnabled()) this.log(formatRoleGrants(role));
    return role;
  }
}
