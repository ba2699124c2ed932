import { Flags } from '@oclif/core';
import { EXIT } from '../../base.js';
import { InfraCommand, infraFlags } from './infra-command.js';

export default class InfraDeploy extends InfraCommand {
  static override summary = 'Create or update the project\'s CloudFormation stacks (replica region first, then the primary).';
  static override description =
    'Generates the templates as `etl infra generate` does and deploys them through change sets: the replica stack (<stack>-replica, in infra.replica_region), then the primary. --dry-run creates each change set, prints its changes and deletes it, changing nothing. Named IAM roles are created, so the caller needs the permissions listed in README "Operating on AWS". Templates larger than CloudFormation\'s inline limit are uploaded to --template-bucket.';
  static override examples = [
    '<%= config.bin %> infra deploy --dry-run --parameter RunnerSubnets=subnet-0abc,subnet-0def --template-bucket company-cfn-templates',
    '<%= config.bin %> infra deploy --stack lakehouse-prod --template-bucket company-cfn-templates',
  ];
  static override flags = {
    ...infraFlags,
    stack: Flags.string({ description: 'Stack name (default: infra.stack_name, else <project>-lakehouse)' }),
    'dry-run': Flags.boolean({ description: 'Create the change sets, print their changes, delete them' }),
    'template-bucket': Flags.string({ description: 'Existing bucket in the primary region for templates over 51,200 bytes' }),
    parameter: Flags.string({ description: 'Template parameter KEY=VALUE (RunnerSubnets, TlsCertificates)', multiple: true }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(InfraDeploy);
    const parameters: Record<string, string> = {};
    for (const p of flags.parameter ?? []) {
      const eq = p.indexOf('=');
      if (eq <= 0) this.error(`--parameter expects KEY=VALUE, got '${p}'`, { exit: EXIT.usage, code: 'ETL021' });
      parameters[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const templates = await this.loadTemplates(flags);
    const [{ deployInfra }, { AwsTargetError }] = await Promise.all([import('../../../runtime/infra/deploy.js'), import('../../../runtime/aws/errors.js')]);
    try {
      const results = await deployInfra(templates, {
        stackName: flags.stack ?? templates.context.stackName,
        dryRun: flags['dry-run'],
        parameters,
        ...(flags['template-bucket'] ? { templateBucket: flags['template-bucket'] } : {}),
        ...(process.env.ETL_INFRA_POLL_MS ? { pollMs: Number(process.env.ETL_INFRA_POLL_MS) } : {}),
        onProgress: (m) => this.logToStderr(m),
      });
      if (!this.jsonEnabled()) {
        for (const r of results) {
          this.log(`${r.stack} (${r.region}): ${r.status}, ${r.kind}, ${r.changes.length} changes`);
          for (const c of r.changes) this.log(`  ${c.action.padEnd(8)} ${c.logicalId} (${c.type})${c.replacement === 'True' ? ' REPLACED' : ''}`);
        }
      }
      return { stacks: results };
    } catch (err) {
      if (err instanceof AwsTargetError) this.error(err.format(), { exit: EXIT.project, code: err.code });
      throw err;
    }
  }
}
