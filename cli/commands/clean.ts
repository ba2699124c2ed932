import { Flags } from '@oclif/core';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { EtlCommand } from '../base.js';

export default class Clean extends EtlCommand {
  static override summary = 'Remove what compiles and runs leave behind: target/ and the analysis cache (never data).';
  static override examples = ['<%= config.bin %> clean', '<%= config.bin %> clean --project ../analytics'];
  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
  };

  async run(): Promise<string[]> {
    const { flags } = await this.parse(Clean);
    const root = path.resolve(flags.project);
    // The warehouse (data/) and the installed engines (.etl/venv-*, .etl/jars) are deliberately kept.
    const removed = ['target', '.etl/cache', '.etl/types'];
    for (const dir of removed) await rm(path.join(root, dir), { recursive: true, force: true });
    if (!this.jsonEnabled()) this.log(`Removed ${removed.map((d) => `${d}/`).join(', ')} under ${root}`);
    return removed;
  }
}
