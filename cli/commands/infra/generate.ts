import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Flags } from '@oclif/core';
import { InfraCommand, infraFlags } from './infra-command.js';

export default class InfraGenerate extends InfraCommand {
  static override summary = 'Write the CloudFormation template of the project\'s AWS infrastructure (JSON or YAML).';
  static override description =
    'Derives the template from project.yaml (the EMR target, layers, infra:) and the compiled manifest (sources and their schedules, gold models): the lakehouse bucket (versioned, SSE-KMS with the customer key, public access blocked, TLS only, lifecycle per layer, replication), the KMS key, IAM roles for EMR, ingestion and builds, the EMR security configuration, Glue databases, the alerts topic, CloudWatch alarms and dashboard, and EventBridge Scheduler schedules per source cadence. --replica writes the small stack of the replica region instead (deploy it first). Pure: the same project gives the same template.';
  static override examples = ['<%= config.bin %> infra generate', '<%= config.bin %> infra generate --format yaml --out infra/lakehouse.yaml', '<%= config.bin %> infra generate --replica --out infra/replica.json'];
  static override flags = {
    ...infraFlags,
    format: Flags.string({ description: 'Template format', options: ['json', 'yaml'], default: 'json' }),
    out: Flags.string({ char: 'o', description: 'Write the template to FILE instead of stdout' }),
    replica: Flags.boolean({ description: 'The replica region\'s template (replica bucket and key) instead of the primary' }),
  };

  async run(): Promise<unknown> {
    const { flags } = await this.parse(InfraGenerate);
    const templates = await this.loadTemplates(flags);
    const { renderTemplate } = await import('../../../runtime/infra/template.js');
    const template = flags.replica ? templates.replica : templates.primary;
    const region = flags.replica ? templates.context.replicaRegion : templates.context.region;
    const text = renderTemplate(template, flags.format as 'json' | 'yaml');
    if (this.jsonEnabled()) return { region, stack: templates.context.stackName + (flags.replica ? '-replica' : ''), template };
    if (!flags.out) {
      process.stdout.write(text);
      return undefined;
    }
    writeFileSync(path.resolve(flags.out), text);
    this.logToStderr(`wrote ${flags.out}: ${Object.keys(template.Resources).length} resources for ${region}`);
    return undefined;
  }
}
