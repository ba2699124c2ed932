/**
 * The EMR step driver on a real local Spark 3.5 + Delta 3.3.2 (the versions EMR 7 ships), with
 * local paths where EMR has s3://: full then incremental materialization, record counts, test
 * thresholds, a failing test failing the step, and a model skipped because its parent failed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVER_PATH, type StepSpec } from '../../runtime/aws/artifacts.js';
import type { DriverResult } from '../../runtime/aws/run-results.js';
import { assertSparkInstalled, sparkPaths } from '../../runtime/engines/spark/paths.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
let dir: string;
/** `preRegister`: register the table in the metastore first, as the build does in Glue. */
let submit: (args: string[], preRegister?: { table: string; columns: string; location: string }) => Promise<{ code: number; result: DriverResult }>;

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts', 'setup-spark.sh')], { stdio: 'ignore' });
  const paths = sparkPaths(ROOT);
  const jars = assertSparkInstalled(paths);
  dir = mkdtempSync(join(tmpdir(), 'etl-driver-'));
  // Async: a blocking spawn would starve vitest's worker of its event loop for a minute.
  submit = async (args, preRegister) => {
    const entry = preRegister
      ? [join(import.meta.dirname, 'fixtures', 'glue_registered_then_drive.py'), preRegister.table, preRegister.columns, preRegister.location, '--']
      : [DRIVER_PATH];
    const proc = await new Promise<{ status: number; stderr: string }>((res) => {
      const child = execFile(
      paths.sparkSubmit,
      [
        '--master', 'local[1]',
        '--driver-memory', '1g',
        '--jars', jars.join(','),
        // The harness touches the catalog before Delta loads: Delta must be on the driver's class path.
        '--driver-class-path', jars.join(':'),
        '--conf', 'spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension',
        '--conf', 'spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog',
        // A persistent catalog between steps, as Glue is on EMR.
        '--conf', 'spark.sql.catalogImplementation=hive',
        '--conf', `spark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName=${dir}/metastore_db;create=true`,
        '--conf', `spark.sql.warehouse.dir=${dir}/warehouse`,
        '--conf', 'spark.ui.enabled=false',
        '--conf', 'spark.sql.shuffle.partitions=1',
        // spark.testing lets the harness write the Glue-style entry through Spark's Hive client.
        '--driver-java-options', `-Dderby.system.home=${dir}${preRegister ? ' -Dspark.testing=true' : ''}`,
        ...entry,
        ...args,
      ],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, PYSPARK_PYTHON: join(paths.venv, 'bin', 'python'), ETL_DRIVER_DIR: dirname(DRIVER_PATH) }, timeout: 480_000, maxBuffer: 64 << 20 },
      (_err, _stdout, stderr) => res({ status: child.exitCode ?? -1, stderr }),
      );
    });
    const resultPath = args[args.indexOf('--result') + 1]!;
    let result: DriverResult;
    try {
      result = JSON.parse(readFileSync(resultPath, 'utf8'));
    } catch {
      throw new Error(`driver wrote no result (exit ${proc.status}):\n${proc.stderr.slice(-3000)}`);
    }
    return { code: proc.status, result };
  };
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function spec(model: string, statements: StepSpec['statements'], tests: StepSpec['tests'], location: string | null): string {
  const body: StepSpec = {
    specVersion: 1,
    buildId: 'b1',
    kind: 'model',
    model: `model.${model}`,
    name: model,
    layer: 'silver',
    materialized: location ? 'incremental' : 'view',
    relation: `silver.${model}`,
    location,
    statements,
    tests,
  };
  const path = join(dir, `${model}.json`);
  writeFileSync(path, JSON.stringify(body));
  return path;
}

const test = (name: string, sql: string, extra: Partial<StepSpec['tests'][number]> = {}) => ({ id: `test.${name}`, name, severity: 'error' as const, warnIf: '>0', errorIf: '>0', sql, ...extra });

describe('EMR step driver on local Spark', () => {
  it('materializes in full, then incrementally, counting records and applying test thresholds', async () => {
    const location = `${dir}/silver/orders`;
    const orders = spec(
      'orders',
      {
        full: [
          'CREATE DATABASE IF NOT EXISTS silver',
          `CREATE OR REPLACE TABLE silver.orders USING DELTA LOCATION '${location}' AS SELECT * FROM VALUES (1, 'a'), (2, CAST(NULL AS STRING)) AS t(id, name)`,
        ],
        incremental: [`MERGE INTO silver.orders t USING (SELECT * FROM VALUES (2, 'b'), (3, 'c') AS s(id, name)) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *`],
        post: [],
      },
      [
        // One null name: above warn_if, under error_if.
        test('not_null_name', 'SELECT * FROM silver.orders WHERE name IS NULL', { errorIf: '>5' }),
        test('unique_id', 'SELECT id FROM silver.orders GROUP BY id HAVING count(*) > 1'),
        // A late load fails its freshness test without failing the model.
        { ...test('freshness', 'SELECT 1 AS late'), test: 'freshness' },
      ],
      location,
    );
    // The table is in the catalog as the build registers it in Glue (real columns, no Delta log
    // yet); the model's own CREATE OR REPLACE must take it over.
    const first = await submit(['--step', orders, '--result', join(dir, 'r1-orders.json'), '--run-id', 'r1'], { table: 'silver.orders', columns: 'id int, name string', location });
    expect(first.result).toMatchObject({ model: 'model.orders', status: 'success', mode: 'full', records: 2 });
    expect(first.code).toBe(0);
    expect(first.result.tests.map((t) => [t.name, t.status, t.failures])).toEqual([
      ['not_null_name', 'warn', 1],
      ['unique_id', 'pass', 0],
      ['freshness', 'fail', 1],
    ]);

    const second = await submit(['--step', orders, '--result', join(dir, 'r2-orders.json'), '--run-id', 'r2']);
    expect(second.result).toMatchObject({ status: 'success', mode: 'incremental', records: 3 });
    expect(second.result.tests[0]).toMatchObject({ status: 'pass', failures: 0 });

    const rebuilt = await submit(['--step', orders, '--result', join(dir, 'r3-orders.json'), '--run-id', 'r3', '--full-refresh']);
    expect(rebuilt.result).toMatchObject({ status: 'success', mode: 'full', records: 2 });
  }, 1_800_000);

  it('fails the step on an error-severity test and skips a model whose parent failed', async () => {
    const bad = spec(
      'bad',
      { full: ['CREATE DATABASE IF NOT EXISTS silver', 'CREATE OR REPLACE VIEW silver.bad AS SELECT -1 AS amount'], post: [] },
      [test('positive_amount', 'SELECT * FROM silver.bad WHERE NOT (amount > 0)')],
      null,
    );
    const failed = await submit(['--step', bad, '--result', join(dir, 'r3-bad.json'), '--run-id', 'r3']);
    expect(failed.code).toBe(1);
    expect(failed.result).toMatchObject({ status: 'error', message: 'tests failed: positive_amount' });

    const child = spec('child', { full: ['CREATE OR REPLACE VIEW silver.child AS SELECT * FROM silver.bad'], post: [] }, [], null);
    const skipped = await submit(['--step', child, '--result', join(dir, 'r3-child.json'), '--run-id', 'r3', '--requires', join(dir, 'r3-bad.json')]);
    expect(skipped.code).toBe(0);
    expect(skipped.result).toMatchObject({ status: 'skipped', message: 'upstream model.bad error' });
  }, 1_800_000);
});
