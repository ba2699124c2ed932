import { Flags } from '@oclif/core';
import { existsSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { lockTarget } from '../../compiler/emit/target-lock.js';
import { EtlCommand, EXIT } from '../base.js';

export default class Clean extends EtlCommand {
  static override summary = 'Remove what compiles and runs leave behind: target/ and the analysis cache (never data).';
  static override description =
    'Runs only in a project directory (one holding project.yaml): a target/ folder anywhere else belongs to another tool (Maven, Cargo, sbt) and is left alone.';
  static override examples = ['<%= config.bin %> clean', '<%= config.bin %> clean --project ../analytics'];
  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
  };

  async run(): Promise<string[]> {
    const { flags } = await this.parse(Clean);
    const root = path.resolve(flags.project);
    if (!existsSync(root) || !statSync(root).isDirectory()) {
      this.error(`No project directory at ${root}: nothing was removed.`, { exit: EXIT.usage, suggestions: ['Pass the folder that holds project.yaml with --project.'] });
    }
    if (!existsSync(path.join(root, 'project.yaml'))) {
      this.error(`${root} holds no project.yaml, so it is not an etl project: nothing was removed (a target/ there may belong to another tool).`, {
        exit: EXIT.usage,
        suggestions: ['Run `etl clean` in the project directory, or pass it with --project.'],
      });
    }
    // The warehouse (data/) and the installed engines (.etl/venv-*, .etl/jars) are deliberately kept.
    const removed = ['target', '.etl/cache', '.etl/types'];
    // Not under a compile that is writing target/: wait for it (the lock goes with the folder).
    if (existsSync(path.join(root, 'target'))) await lockTarget(path.join(root, 'target'));
    for (const dir of removed) await rm(path.join(root, dir), { recursive: true, force: true });
    if (!this.jsonEnabled()) this.log(`Removed ${removed.map((d) => `${d}/`).join(', ')} under ${root}`);
    return removed;
  }
}
