/**
 * The files of a new project (`etl init`): project.yaml, package.json (the tool as a dev dependency),
 * a tsconfig.json under which `tsc` checks the TypeScript sources and models against the generated
 * typings, .gitignore, a README, and one starter per chosen source system (starter-sources.ts). It
 * compiles clean as written, so the first `etl compile` shows the whole loop.
 */
import { STARTER_SOURCES, type Files, type SourceSystem } from './starter-sources.js';

export interface StarterOptions {
  /** Project name, an identifier. */
  name: string;
  /** project.schema.json, relative to the project (for the editor's YAML language server). */
  schemaPath: string;
  /** Source systems to start with, each with a source, a silver and a gold model. */
  sources: readonly SourceSystem[];
  /** The tool's version, for the dev dependency. */
  toolVersion: string;
}

const projectYaml = (o: StarterOptions) => `# yaml-language-server: $schema=${o.schemaPath}
name: ${o.name}
version: 1

layers:
  bronze: { database: bronze }
  silver: { database: silver }
  gold: { database: gold }

vars:
  min_order_date: '2015-01-01'

defaults:
  models/silver:
    materialized: table
  models/gold:
    materialized: table

default_target: local

targets:
  local:
    kind: local
    # Warehouse roots on the local file system, relative to the project.
    warehouse_dir: data/warehouse
`;

const packageJson = (o: StarterOptions) =>
  `${JSON.stringify(
    {
      name: o.name.replace(/_/g, '-'),
      private: true,
      type: 'module',
      scripts: {
        compile: 'etl compile',
        typecheck: 'etl compile && tsc --noEmit',
        ingest: 'etl ingest',
        build: 'etl build',
        test: 'etl test',
        docs: 'etl docs generate && etl docs serve',
      },
      devDependencies: { 'lakehouse-etl': `^${o.toolVersion}`, typescript: '^5.9.3' },
    },
    null,
    2,
  )}\n`;

// `lakehouse-etl` resolves to the installed package's declarations; .etl/types/project.d.ts (written
// by `etl compile`) types every ref/source handle with the project's own columns.
const tsconfig = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: [],
    },
    include: ['sources', 'models', 'macros', 'exposures', '.etl/types'],
  },
  null,
  2,
)}\n`;

const readme = (o: StarterOptions) => `# ${o.name}

A lakehouse-etl project: typed sources (${o.sources.join(', ')}) landed in bronze, silver models in
SQL, gold models in TypeScript, each with data tests.

\`\`\`bash
npm install                       # the tool (lakehouse-etl) and TypeScript
npx etl compile                   # check every model, write target/ and the typings in .etl/types
npx tsc --noEmit                  # TypeScript models: a column that does not exist is an error
npx etl ingest --dev-sources      # generated rows through local stand-ins of the sources, into bronze
npx etl build                     # models and their tests on a local Spark
npx etl docs generate && npx etl docs serve
\`\`\`

| path | what |
| --- | --- |
| \`project.yaml\` | layers, vars, defaults, targets |
| \`sources/\` | one typed declaration per source system |
| \`models/silver/\`, \`models/gold/\` | models (\`.sql\` with Handlebars, or \`.ts\`) and their tests (\`.yml\`) |
| \`tests/\` | singular tests: queries whose rows are failures |
| \`.github/workflows/etl.yml\` | pull requests build into their own environment; merges build production |
`;

export function starterProject(o: StarterOptions): Files {
  const files: Files = {
    'project.yaml': projectYaml(o),
    'package.json': packageJson(o),
    'tsconfig.json': tsconfig,
    '.gitignore': 'node_modules/\ntarget/\n.etl/\ndata/\n',
    'README.md': readme(o),
    'macros/README.md': `Handlebars partials (\`*.hbs\`, used as \`{{> name}}\`) and TypeScript helpers (\`*.ts\`, each export a
helper) for the models.
`,
  };
  for (const system of o.sources) Object.assign(files, STARTER_SOURCES[system]);
  return files;
}
