/** Where the local Spark engine keeps its install and state, all under the project (gitignored). */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TOOL_ROOT } from '../../../compiler/own-files.js';

export interface SparkPaths {
  projectDir: string;
  venv: string;
  sparkHome: string;
  sparkSubmit: string;
  jarsDir: string;
  /** Thrift server working dir: Derby metastore, derby.log, logs, warm-server state file. */
  stateDir: string;
  metastoreDir: string;
  stateFile: string;
  warehouseDir: string;
}

export class SparkNotInstalledError extends Error {
  constructor(what: string) {
    super(`${what} not found. Install the local Spark engine with: bash scripts/setup-spark.sh`);
    this.name = 'SparkNotInstalledError';
  }
}

/** Locates pyspark inside the venv (the python minor version is whatever created the venv). */
function findSparkHome(venv: string): string | undefined {
  const lib = join(venv, 'lib');
  if (!existsSync(lib)) return undefined;
  for (const entry of readdirSync(lib)) {
    const candidate = join(lib, entry, 'site-packages', 'pyspark');
    if (existsSync(join(candidate, 'jars'))) return candidate;
  }
  return undefined;
}

export function sparkPaths(projectDir: string, opts: { warehouseDir?: string; stateDir?: string } = {}): SparkPaths {
  const root = resolve(projectDir);
  // The venv and jars belong to the repository checkout (installed once), not to each project
  // under it: fixture projects in spec/ reuse the install at the repository root.
  const installRoot = process.env.ETL_SPARK_INSTALL_DIR ?? TOOL_ROOT;
  const venv = join(installRoot, '.etl', 'venv-spark');
  const sparkHome = findSparkHome(venv) ?? join(venv, 'lib', 'python3', 'site-packages', 'pyspark');
  const stateDir = opts.stateDir ?? join(root, '.etl', 'spark');
  return {
    projectDir: root,
    venv,
    sparkHome,
    sparkSubmit: join(sparkHome, 'bin', 'spark-submit'),
    jarsDir: join(installRoot, '.etl', 'jars'),
    stateDir,
    metastoreDir: join(stateDir, 'metastore_db'),
    stateFile: join(stateDir, 'server.json'),
    warehouseDir: opts.warehouseDir ? resolve(root, opts.warehouseDir) : join(root, 'data', 'warehouse'),
  };
}

export function assertSparkInstalled(paths: SparkPaths): string[] {
  if (!existsSync(paths.sparkSubmit)) throw new SparkNotInstalledError(`pyspark (${paths.sparkSubmit})`);
  const jars = existsSync(paths.jarsDir) ? readdirSync(paths.jarsDir).filter((f) => f.endsWith('.jar')) : [];
  if (!jars.some((j) => j.startsWith('delta-spark_')) || !jars.some((j) => j.startsWith('delta-storage-'))) {
    throw new SparkNotInstalledError(`Delta jars (in ${paths.jarsDir})`);
  }
  return jars.map((j) => join(paths.jarsDir, j));
}
