import { Args, Flags } from '@oclif/core';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TOOL_ROOT } from '../../compiler/own-files.js';
import { EtlCommand, EXIT } from '../base.js';
import { starterProject } from '../scaffold/starter-project.js';
import { SOURCE_SYSTEMS, type SourceSystem } from '../scaffold/starter-sources.js';
import { githubWorkflow, PROJECT_WORKFLOW } from '../scaffold/github-workflow.js';

export default class Init extends EtlCommand {
  static override summary = 'Create a new project: project.yaml, package.json, tsconfig.json, typed sources, silver and gold models with tests.';
  static override description =
    'Writes a small project that compiles and type-checks as written into DIR (default: the current directory): one starter source per system in --sources, each with a silver SQL model and a gold TypeScript model with tests. Refuses to touch a directory that already holds a project.yaml.';
  static override examples = [
    '<%= config.bin %> init analytics',
    '<%= config.bin %> init analytics --sources salesforce,files',
    '<%= config.bin %> init . --name shop_analytics',
  ];
  static override args = { dir: Args.string({ description: 'Directory of the new project', default: '.' }) };
  static override flags = {
    name: Flags.string({ description: 'Project name (default: the directory name, as an identifier)' }),
    sources: Flags.string({ description: `Source systems to start with, comma-separated: ${SOURCE_SYSTEMS.join(', ')}`, default: 'snowflake' }),
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
    const sources = [...new Set(flags.sources.split(',').map((s) => s.trim()).filter(Boolean))];
    const unknown = sources.filter((s) => !(SOURCE_SYSTEMS as readonly string[]).includes(s));
    if (unknown.length || sources.length === 0) {
      this.error(`--sources: unknown source system ${unknown.map((s) => `'${s}'`).join(', ') || '(none given)'}; choose from ${SOURCE_SYSTEMS.join(', ')}`, { exit: EXIT.usage, code: 'ETL005' });
    }
    const schema = path.join(TOOL_ROOT, 'schemas', 'project.schema.json');
    const { version } = JSON.parse(await readFile(path.join(TOOL_ROOT, 'package.json'), 'utf8')) as { version: string };
    const files = {
      ...starterProject({ name, schemaPath: path.relative(dir, schema).split(path.sep).join('/'), sources: sources as SourceSystem[], toolVersion: version }),
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
      const cd = rel === '.' ? '' : `  cd ${rel}\n`;
      this.log(`\nNext:\n${cd}  npm install                    # the tool and TypeScript, if not installed yet\n  npx etl compile                # check every model; writes the typings tsc uses\n  npx tsc --noEmit               # TypeScript models against the project's columns\n  npx etl ingest --dev-sources   # generated rows through local stand-ins of the sources\n  npx etl build                  # models and tests on local Spark`);
    }
    return { dir, files: Object.keys(files) };
  }
}
