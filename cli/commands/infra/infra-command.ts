/** What `etl infra generate` and `etl infra deploy` share: compile for the EMR target, read `infra:`, build the templates. */
import path from 'node:path';
import type { Diagnostic } from '../../../compiler/index.js';
import { readProjectConfig } from '../../../compiler/load/project-config.js';
import type { InfraTemplates } from '../../../runtime/infra/template.js';
import { EtlCommand, EXIT, projectFlags } from '../../base.js';

export const infraFlags = { project: projectFlags.project, target: projectFlags.target, vars: projectFlags.vars };

export abstract class InfraCommand extends EtlCommand {
  protected async loadTemplates(flags: { project: string; target?: string; vars?: string }): Promise<InfraTemplates> {
    const { infraTarget, InfraConfigError } = await import('../../../runtime/infra/context.js');
    const { infraTemplates } = await import('../../../runtime/infra/template.js');
    const diagnostics: Diagnostic[] = [];
    const config = readProjectConfig(path.resolve(flags.project), diagnostics);
    if (!config) {
      const compiled = await this.compileForRun(flags); // reports project.yaml's diagnostics as every command does
      this.failCompile(compiled.diagnostics);
    }
    try {
      const target = infraTarget(config, flags.target ?? config.infra?.target).name;
      const compiled = await this.compileForRun({ ...flags, target });
      if (!compiled.ok) this.failCompile(compiled.diagnostics);
      return infraTemplates(config, compiled.manifest, target);
    } catch (err) {
      if (err instanceof InfraConfigError) this.error(err.message, { exit: EXIT.usage, code: 'ETL020' });
      throw err;
    }
  }
}
