import { Args, Flags } from '@oclif/core';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EtlCommand, EXIT } from '../base.js';
import { starterProject } from '../scaffold/starter-project.js';
import { githubWorkflow, PROJECT_WORKFLOW } from '../scaffold/github-workflow.js';

export default class Init extends EtlCommand {
  static override summary = 'Create a new project: project.yaml, a typed source, silver and gold models with tests.';
  static override description =
    'Writes a small project that compiles as written into DIR (default: the current directory). Refuses to touch a directory that already holds a project.yaml.';
  static override examples = ['<%= config.bin %> init analytics', '<%= config.bin %> init . --name shop_analytics'];
  static override args = { dir: Args.string({ description: 'Directory of the new project', default: '.' }) };
  static override flags = {
    name: Flags.string({ description: 'Project name (default: the directory name, as an identifier)' }),
  };

  async run(): Promise<{ dir: string; files: string[] }> {
    const { args, flags } = await this.parse(Init);
    const dir = path.resolve(args.dir);
    if (await stat(path.join(dir, 'project.yaml')).then(() => true, () => false)) {
      this.error(`${path.join(dir, 'project.yaml')} already exists: nothing was written`, { exit: EXIT.usage, code: 'ETL005', suggestions: ['Pick an empty directory, e.g. `etl init my_project`.'] });
    }
    const name = flags.name ?? (path.basename(dir).replace(/[^A-Za-z0-9_]+/g, '_').replace(/^(?=\d)/, 'p_').toLowerCase() || 'lakehouse');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      this.error(`--name '${name}' is not an identifier (letters, digits, _; not starting with a digit)`, { exit: EXIT.usage, code: 'ETL005' });
    }
    const schema = fileURLToPath(new URL('../../schemas/project.schema.json', import.meta.url));
    const files = {
      ...starterProject(name, path.relative(dir, schema).split(path.sep).join('/')),
      // Pull requests into PR environments, merges into production: see the workflow's header.
      '.github/workflows/etl.yml': githubWorkflow(PROJECT_WORKFLOW),
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      // 'wx': never overwrite a file the user already has.
      await writeFile(path.join(dir, file), text, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'EEXIST') throw err;
        this.warn(`kept the existing ${file}`);
      });
    }
    if (!this.jsonEnabled()) {
      const rel = path.relative(process.cwd(), dir) || '.';
      this.log(`Created project ${name} in ${dir}:`);
      for (const file of Object.keys(files)) this.log(`  ${file}`);
      this.log(`\nNext:\n  etl compile --project ${rel}\n  etl ingest --dev-sources --project ${rel}   # generated rows through local stand-ins of the sources\n  etl build --project ${rel}                  # models and tests on local Spark`);
    }
    return { dir, files: Object.keys(files) };
  }
}
