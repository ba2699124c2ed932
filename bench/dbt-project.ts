/**
 * The dbt-core equivalent of a project written by bench/generate-project.ts, for the side-by-side
 * compile benchmark (dbt-core + dbt-duckdb, installed by scripts/setup-dbt-bench.sh):
 *
 *   node --import tsx bench/dbt-project.ts --from ETL_PROJECT_DIR --out DBT_PROJECT_DIR
 *
 * Same models, same SQL bodies, same dependencies and tests: Handlebars calls become Jinja
 * (`{{ref "x"}}` -> `{{ ref("x") }}`, `{{#is_incremental}}` -> `{% if is_incremental() %}`, a partial
 * -> a macro call, a helper -> a macro), sidecar YAML becomes schema YAML with dbt's test syntax, and
 * the typed sources become a sources.yml. Spark-only config that a DuckDB project has no use for
 * (partition_by, zorder_by) is left out; the SQL is not changed (dbt compile does not parse it).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { SOURCE_TABLES } from './generate-project.js';

const MACROS = `{% macro clean_key(column) %}nullif(trim({{ column }}), ''){% endmacro %}
{% macro clean_text(column) %}nullif(trim({{ column }}), ''){% endmacro %}
{% macro clean_label(column) %}lower(trim({{ column }})){% endmacro %}
{% macro normalize_email(column) %}lower(trim({{ column }})){% endmacro %}

{% macro dedupe_latest(relation, key, order_by) %}
SELECT *
FROM (
  SELECT
    *,
    row_number() OVER (PARTITION BY {{ key }} ORDER BY {{ order_by }}) AS _version_rank
  FROM {{ relation }}
) ranked
WHERE _version_rank = 1 OR {{ key }} IS NULL
{% endmacro %}
`;

/** The two generic tests lakehouse-etl has built in and dbt-core does not (dbt_utils would need a package download). */
const TESTS = `{% test expression(model, expression, column_name=none) %}
select * from {{ model }} where not ({{ expression }})
{% endtest %}

{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as n from {{ model }}
group by {{ columns | join(', ') }} having count(*) > 1
{% endtest %}
`;

/** `a="x" b="y"` -> [['a', 'x'], ['b', 'y']]. */
const hashArgs = (text: string): Array<[string, string]> => [...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]);
const list = (v: string) => `[${v.split(',').map((s) => JSON.stringify(s.trim())).join(', ')}]`;

function configCall(args: string): string {
  const out: string[] = [];
  for (const [k, v] of hashArgs(args)) {
    if (k === 'partition_by' || k === 'zorder_by' || k === 'location') continue;
    if (k === 'unique_key' || k === 'tags') out.push(`${k}=${list(v)}`);
    else if (k === 'incremental_strategy') out.push(`${k}=${JSON.stringify(v === 'merge' ? 'delete+insert' : 'append')}`);
    else out.push(`${k}=${JSON.stringify(v)}`);
  }
  return `{{ config(${out.join(', ')}) }}`;
}

/** A generated model's Handlebars as Jinja. */
export function toJinja(sql: string): string {
  return sql
    .replace(/\{\{!--([\s\S]*?)--\}\}/g, '{#$1#}')
    .replace(/\{\{#is_incremental\}\}/g, '{% if is_incremental() %}')
    .replace(/\{\{\/is_incremental\}\}/g, '{% endif %}')
    .replace(/\{\{this\}\}/g, '{{ this }}')
    .replace(/\{\{config ([^}]*)\}\}/g, (_, args: string) => configCall(args))
    .replace(/\{\{> (\w+) ([^}]*)\}\}/g, (_, name: string, args: string) => `{{ ${name}(${hashArgs(args).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}) }}`)
    .replace(/\{\{(\w+)((?: "[^"]*")+)\}\}/g, (_, name: string, args: string) => `{{ ${name}(${[...args.matchAll(/"([^"]*)"/g)].map((m) => JSON.stringify(m[1])).join(', ')}) }}`);
}

type TestSpec = string | Record<string, Record<string, unknown>>;
const CONFIG_KEYS = new Set(['severity', 'warn_if', 'error_if', 'where']);

/** A lakehouse-etl test entry in dbt's form: arguments and config apart. */
function dbtTest(test: TestSpec): unknown {
  if (typeof test === 'string') return test;
  const [[name, opts]] = Object.entries(test) as [[string, Record<string, unknown>]];
  const config = Object.fromEntries(Object.entries(opts ?? {}).filter(([k]) => CONFIG_KEYS.has(k)));
  const args = Object.fromEntries(Object.entries(opts ?? {}).filter(([k]) => !CONFIG_KEYS.has(k)));
  return { [name]: { ...(Object.keys(args).length ? { arguments: args } : {}), ...(Object.keys(config).length ? { config } : {}) } };
}

/** A sidecar (description, owner, columns with tests, model tests) as a dbt schema file. */
export function toSchemaYaml(name: string, sidecar: string): string {
  const doc = (parse(sidecar) ?? {}) as { description?: string; owner?: string; columns?: Record<string, { description?: string; tests?: TestSpec[] }>; tests?: TestSpec[] };
  const model = {
    name,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.owner ? { config: { meta: { owner: doc.owner } } } : {}),
    ...(doc.columns
      ? { columns: Object.entries(doc.columns).map(([c, spec]) => ({ name: c, ...(spec?.description ? { description: spec.description } : {}), ...(spec?.tests ? { data_tests: spec.tests.map(dbtTest) } : {}) })) }
      : {}),
    ...(doc.tests ? { data_tests: doc.tests.map(dbtTest) } : {}),
  };
  return stringify({ version: 2, models: [model] });
}

function sourcesYaml(): string {
  const systems = [...new Set(SOURCE_TABLES.map((t) => t.system))];
  return stringify({
    version: 2,
    sources: systems.map((system) => ({
      name: system,
      schema: 'bronze',
      tables: SOURCE_TABLES.filter((t) => t.system === system).map((t) => ({ name: t.name, identifier: `${system}_${t.name}`, description: t.description, columns: t.cols.map((c) => ({ name: c.name })) })),
    })),
  });
}

function projectFiles(etlDir: string): { name: string; vars: Record<string, unknown> } {
  const project = parse(readFileSync(path.join(etlDir, 'project.yaml'), 'utf8')) as { name: string; vars?: Record<string, unknown> };
  return { name: project.name, vars: project.vars ?? {} };
}

/** Writes the dbt project for the lakehouse-etl project in `etlDir`; returns how many models it has. */
export function emitDbtProject(etlDir: string, outDir: string): number {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'macros'), { recursive: true });
  const { name, vars } = projectFiles(etlDir);
  writeFileSync(
    path.join(outDir, 'dbt_project.yml'),
    stringify({ name, version: '1.0.0', 'config-version': 2, profile: 'bench', 'model-paths': ['models'], 'macro-paths': ['macros'], 'target-path': 'target', vars }),
  );
  writeFileSync(path.join(outDir, 'profiles.yml'), stringify({ bench: { target: 'dev', outputs: { dev: { type: 'duckdb', path: path.join(outDir, 'bench.duckdb'), threads: 2 } } } }));
  writeFileSync(path.join(outDir, 'macros', 'helpers.sql'), MACROS);
  writeFileSync(path.join(outDir, 'macros', 'tests.sql'), TESTS);
  mkdirSync(path.join(outDir, 'models'), { recursive: true });
  writeFileSync(path.join(outDir, 'models', 'sources.yml'), sourcesYaml());
  let models = 0;
  const modelsDir = path.join(etlDir, 'models');
  for (const e of readdirSync(modelsDir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const rel = path.relative(modelsDir, path.join(e.parentPath, e.name));
    const out = path.join(outDir, 'models', rel);
    mkdirSync(path.dirname(out), { recursive: true });
    const text = readFileSync(path.join(e.parentPath, e.name), 'utf8');
    if (rel.endsWith('.sql')) {
      writeFileSync(out, toJinja(text));
      models++;
    } else if (rel.endsWith('.yml')) {
      writeFileSync(out, toSchemaYaml(path.basename(rel, '.yml'), text));
    }
  }
  return models;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const get = (flag: string) => argv[argv.indexOf(flag) + 1];
  if (!argv.includes('--from') || !argv.includes('--out')) {
    process.stderr.write('usage: dbt-project.ts --from ETL_PROJECT_DIR --out DBT_PROJECT_DIR\n');
    process.exit(2);
  }
  const n = emitDbtProject(path.resolve(get('--from')!), path.resolve(get('--out')!));
  process.stdout.write(`dbt project with ${n} models -> ${path.resolve(get('--out')!)}\n`);
}
