/**
 * Starts and stops the Spark Thrift Server (HiveServer2 protocol) from the project-local pyspark,
 * with Delta, a Derby metastore under `.etl/spark/` and the warehouse under the project.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { assertSparkInstalled, type SparkPaths } from './paths.js';
import { SparkSession } from './client.js';

export interface SparkSettings {
  master?: string;
  driverMemory?: string;
  conf?: Record<string, string>;
}

export interface RunningServer {
  pid: number;
  host: string;
  port: number;
  logFile: string;
  startedAt: string;
  projectDir: string;
  warehouseDir: string;
}

export class SparkStartError extends Error {
  constructor(message: string, readonly logFile: string) {
    super(message);
    this.name = 'SparkStartError';
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function thriftArgs(paths: SparkPaths, settings: SparkSettings, port: number, jars: string[]): string[] {
  const conf: Record<string, string> = {
    'spark.sql.extensions': 'io.delta.sql.DeltaSparkSessionExtension',
    'spark.sql.catalog.spark_catalog': 'org.apache.spark.sql.delta.catalog.DeltaCatalog',
    'spark.sql.warehouse.dir': paths.warehouseDir,
    'spark.hadoop.javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${paths.metastoreDir};create=true`,
    'spark.ui.enabled': 'false',
    'spark.sql.session.timeZone': 'UTC',
    // Bronze tables are registered over Parquet written by ingestion; new partitions are found by RECOVER PARTITIONS.
    'spark.sql.sources.partitionOverwriteMode': 'static',
    'spark.driver.extraJavaOptions': `-Dderby.system.home=${paths.stateDir} -Duser.timezone=UTC`,
    // A local Spark serves one machine's cores: Delta's 50-partition log replay and 200 shuffle
    // partitions are sized for clusters and cost seconds per statement here. The target's conf wins.
    'spark.databricks.delta.snapshotPartitions': '2',
    'spark.sql.shuffle.partitions': '4',
    ...settings.conf,
  };
  const args = [
    '--master', settings.master ?? 'local[2]',
    '--class', 'org.apache.spark.sql.hive.thriftserver.HiveThriftServer2',
    '--name', 'lakehouse-etl',
    '--driver-memory', settings.driverMemory ?? '2g',
    // On the driver class path, not only --jars: the session catalog is created before --jars are added.
    '--driver-class-path', jars.join(':'),
  ];
  for (const [k, v] of Object.entries(conf)) args.push('--conf', `${k}=${v}`);
  args.push(
    '--hiveconf', `hive.server2.thrift.port=${port}`,
    '--hiveconf', 'hive.server2.thrift.bind.host=127.0.0.1',
    // NOSASL on the server and NoSaslAuthentication in the client: a mismatch hangs in openSession.
    '--hiveconf', 'hive.server2.authentication=NOSASL',
    'spark-internal',
  );
  return args;
}

/**
 * Spawns the server detached (own process group, output to a log file) so it can outlive the
 * command that started it (`etl spark start`); waits until a session answers `SELECT 1`.
 */
export async function startThriftServer(
  paths: SparkPaths,
  settings: SparkSettings = {},
  opts: { timeoutMs?: number } = {},
): Promise<RunningServer> {
  const jars = assertSparkInstalled(paths);
  mkdirSync(paths.stateDir, { recursive: true });
  mkdirSync(paths.warehouseDir, { recursive: true });
  const port = await freePort();
  const logFile = join(paths.stateDir, `thrift-${port}.log`);
  const out = openSync(logFile, 'w');
  const child = spawn(paths.sparkSubmit, thriftArgs(paths, settings, port, jars), {
    cwd: paths.stateDir,
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, SPARK_HOME: paths.sparkHome, SPARK_LOCAL_IP: '127.0.0.1', PYSPARK_PYTHON: join(paths.venv, 'bin', 'python') },
  });
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new SparkStartError(`could not spawn ${paths.sparkSubmit}`, logFile);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });

  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    if (exited !== null) {
      throw new SparkStartError(`Spark Thrift Server exited with code ${exited} during start-up.\n${logTail(logFile)}`, logFile);
    }
    if (Date.now() > deadline) {
      await stopProcess(pid);
      throw new SparkStartError(`Spark Thrift Server was not ready after ${(opts.timeoutMs ?? 120_000) / 1000}s.\n${logTail(logFile)}`, logFile);
    }
    if (await portOpen('127.0.0.1', port)) {
      try {
        const session = await SparkSession.open('127.0.0.1', port, 5_000);
        await session.query('SELECT 1');
        await session.close();
        break;
      } catch {
        // listening but not serving yet
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    pid,
    host: '127.0.0.1',
    port,
    logFile,
    startedAt: new Date().toISOString(),
    projectDir: paths.projectDir,
    warehouseDir: paths.warehouseDir,
  };
}

export function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolveOpen) => {
    const socket = connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolveOpen(true);
    });
    socket.once('error', () => resolveOpen(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolveOpen(false);
    });
  });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the server's process group, SIGKILL after a grace period. */
export async function stopProcess(pid: number, graceMs = 20_000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        process.kill(pid, sig);
      } catch {
        // gone
      }
    }
  };
  if (!processAlive(pid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (processAlive(pid)) signal('SIGKILL');
}

function logTail(logFile: string, lines = 15): string {
  try {
    const raw = readFileSync(logFile, 'utf8');
    if (/Another instance of Derby may have already booted the database/.test(raw)) {
      return `Another Spark is already using this project's metastore (.etl/spark/metastore_db). Run one build at a time, or keep one Spark warm with \`etl spark start\` so every run shares it.\n(full log: ${logFile})`;
    }
    const text = raw.split('\n');
    const errors = text.filter((l) => /ERROR|Exception/.test(l) && !/^\s+at /.test(l));
    return (errors.length ? errors.slice(-lines) : text.slice(-lines)).join('\n') + `\n(full log: ${logFile})`;
  } catch {
    return `(no log at ${logFile})`;
  }
}
