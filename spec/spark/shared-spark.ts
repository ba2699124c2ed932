/**
 * One Spark Thrift server shared by the Spark spec files of a test run. The first spec file that
 * asks starts it (detached, so it outlives that file's worker) and records it in a state file; the
 * next files reuse it; `spec/global-spark.ts` stops it when the run ends. Each file gets an empty
 * metastore: every database but `default` is dropped when a file acquires the server, so fixture
 * tables of an earlier file never leak into a later one. Starting Spark costs 30-90 s on this
 * machine; sharing it keeps the CI run inside its budget as Spark specs grow.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { acquireSpark, type SparkEngine } from '../../runtime/engines/spark/engine.js';
import { portOpen, processAlive, startThriftServer, stopProcess, type RunningServer } from '../../runtime/engines/spark/launcher.js';
import { sparkPaths } from '../../runtime/engines/spark/paths.js';

const REPO = join(import.meta.dirname, '..', '..');
/** Parent of each test run's shared-server folder (`run-<vitest pid>`). */
export const SHARED_SPARK_ROOT = join(REPO, '.etl', 'spec-spark', 'shared');
/** Set by spec/global-spark.ts for the run: several vitest runs on one machine keep apart. */
export const SHARED_SPARK_ENV = 'ETL_SPEC_SHARED_SPARK_DIR';

export const stateFileIn = (dir: string) => join(dir, 'server.json');

export interface SharedSpark {
  server: RunningServer;
  engine: SparkEngine;
  /** A session for the spec's own queries. */
  sql: SparkSession;
  /** `ETL_SPARK_THRIFT` value for CLI children. */
  thrift: string;
  /** Closes this file's sessions; the server stays up for the next file (stopped if this file started it outside a run). */
  release(): Promise<void>;
}

async function liveShared(dir: string): Promise<RunningServer | undefined> {
  if (!existsSync(stateFileIn(dir))) return undefined;
  const server = JSON.parse(readFileSync(stateFileIn(dir), 'utf8')) as RunningServer;
  if (!processAlive(server.pid) || !(await portOpen(server.host, server.port))) return undefined;
  return server;
}

async function startShared(dir: string): Promise<RunningServer> {
  execFileSync('bash', [join(REPO, 'scripts', 'setup-spark.sh')], { stdio: 'inherit' });
  mkdirSync(dir, { recursive: true });
  const server = await startThriftServer(
    sparkPaths(dir),
    { master: 'local[2]', conf: { 'spark.sql.shuffle.partitions': '2', 'spark.ui.enabled': 'false' } },
    // A loaded CI machine can take more than the default 120 s to start Spark.
    { timeoutMs: 300_000 },
  );
  writeFileSync(stateFileIn(dir), JSON.stringify(server));
  return server;
}

/** Drops what earlier spec files left: their tables pointed at their own (deleted) fixture copies. */
async function emptyMetastore(sql: SparkSession): Promise<void> {
  const { rows } = await sql.query('SHOW DATABASES');
  for (const row of rows) {
    const name = String(Object.values(row)[0]);
    if (name !== 'default') await sql.query(`DROP DATABASE IF EXISTS \`${name}\` CASCADE`);
  }
  const tables = await sql.query('SHOW TABLES IN default');
  for (const row of tables.rows) {
    if (row.isTemporary === true || row.isTemporary === 'true') continue;
    await sql.query(`DROP TABLE IF EXISTS default.\`${String(row.tableName)}\``);
  }
}

/** The run's shared Spark, started on first use, with an empty metastore. Call in `beforeAll`. */
export async function sharedSpark(): Promise<SharedSpark> {
  const runDir = process.env[SHARED_SPARK_ENV];
  const dir = runDir ?? join(SHARED_SPARK_ROOT, `file-${process.pid}`);
  const server = (await liveShared(dir)) ?? (await startShared(dir));
  const engine = await acquireSpark({ projectDir: REPO, server: { host: server.host, port: server.port } });
  const sql = await engine.openSession();
  await emptyMetastore(sql);
  const release = async () => {
    await engine.release();
    // Outside a vitest run (no global setup) nobody else would stop it.
    if (!runDir) await stopProcess(server.pid);
  };
  return { server, engine, sql, thrift: `${server.host}:${server.port}`, release };
}
