/**
 * The same small projects for lakehouse-etl and for dbt-spark (session method, on the same pyspark
 * and Delta jars), for bench/spark-bench.ts --dbt: N trivial models, and one 1,000-row table with
 * four data tests (not_null x2, unique, accepted_values: the tests dbt ships without packages).
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Materialized = 'table' | 'view';

const ORDERS_SQL = `SELECT id AS order_id, CASE WHEN id % 7 = 0 THEN 'paid' ELSE 'new' END AS status, CAST(id * 1.5 AS DECIMAL(12, 2)) AS amount
FROM (SELECT explode(sequence(1, 1000)) AS id) AS ids`;

const ORDERS_TESTS = { order_id: ['not_null', 'unique'], status: ['not_null', { accepted_values: { values: ['new', 'paid'] } }] };

const trivialSql = (i: number) => `SELECT ${i} AS id`;

/** Our project: models under models/silver, the tests in a sidecar YAML. */
export function etlProject(dir: string, n: number, materialized: Materialized): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'models', 'silver'), { recursive: true });
  writeFileSync(join(dir, 'project.yaml'), `name: bench_side_by_side\nversion: 1\nlayers:\n  bronze: { database: bronze }\n  silver: { database: silver }\n  gold: { database: gold }\ndefault_target: local\ntargets:\n  local:\n    kind: local\n    warehouse_dir: data/warehouse\n`);
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'models', 'silver', `m_${i}.sql`), `{{config materialized="${materialized}"}}\n${trivialSql(i)}\n`);
  writeFileSync(join(dir, 'models', 'silver', 'orders.sql'), `{{config materialized="table"}}\n${ORDERS_SQL}\n`);
  const yaml = Object.entries(ORDERS_TESTS).map(([col, tests]) => `  ${col}:\n    tests:\n${tests.map((t) => `      - ${typeof t === 'string' ? t : `accepted_values: { values: [${t.accepted_values.values.join(', ')}] }`}`).join('\n')}`);
  writeFileSync(join(dir, 'models', 'silver', 'orders.yml'), `columns:\n${yaml.join('\n')}\n`);
  return dir;
}

/**
 * The dbt project and its profile (session method: Spark runs inside the dbt process). Its tables are
 * Parquet: dbt-spark's Delta table materialization is CREATE OR REPLACE TABLE ... AS, which fails on
 * pyspark 3.5.6 + Delta 3.3.2 ("does not support truncate in batch mode", the bug our engine works around).
 */
export function dbtProject(dir: string, n: number, materialized: Materialized, jarsDir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'models'), { recursive: true });
  writeFileSync(join(dir, 'dbt_project.yml'), `name: bench_side_by_side\nversion: '1.0'\nconfig-version: 2\nprofile: bench\nmodel-paths: [models]\nmodels:\n  bench_side_by_side:\n    +file_format: parquet\n`);
  const jars = readdirSync(jarsDir).filter((f) => f.endsWith('.jar')).map((f) => join(jarsDir, f)).join(',');
  const conf: Record<string, string> = {
    'spark.master': 'local[2]',
    'spark.jars': jars,
    'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
    'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
    'spark.sql.warehouse.dir': join(dir, 'warehouse'),
    'spark.ui.enabled': 'false',
    'spark.sql.shuffle.partitions': '4',
    'spark.databricks.delta.snapshotPartitions': '2',
    'spark.driver.extraJavaOptions': `-Dderby.system.home=${join(dir, 'derby')}`,
  };
  const params = Object.entries(conf).map(([k, v]) => `        ${k}: '${v}'`).join('\n');
  writeFileSync(join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: spark\n      method: session\n      host: NA\n      schema: silver\n      server_side_parameters:\n${params}\n`);
  for (let i = 0; i < n; i++) writeFileSync(join(dir, 'models', `m_${i}.sql`), `{{ config(materialized='${materialized}') }}\n${trivialSql(i)}\n`);
  writeFileSync(join(dir, 'models', 'orders.sql'), `{{ config(materialized='table') }}\n${ORDERS_SQL}\n`);
  const cols = Object.entries(ORDERS_TESTS).map(([col, tests]) => `      - name: ${col}\n        data_tests:\n${tests.map((t) => `          - ${typeof t === 'string' ? t : `accepted_values:\n              arguments:\n                values: [${t.accepted_values.values.map((v) => `'${v}'`).join(', ')}]`}`).join('\n')}`);
  writeFileSync(join(dir, 'models', 'schema.yml'), `version: 2\nmodels:\n  - name: orders\n    columns:\n${cols.join('\n')}\n`);
  return dir;
}
