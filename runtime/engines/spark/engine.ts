/**
 * One Spark per run: reuse the warm server of `etl spark start` if it is up, otherwise start one
 * and stop it when the run releases it. Hands out sessions for parallel workers.
 */
import { localSparkSchema } from '../../../compiler/config/targets.js';
import { SparkSession } from './client.js';
import { startThriftServer, stopProcess, type RunningServer, type SparkSettings } from './launcher.js';
import { sparkPaths, type SparkPaths } from './paths.js';
import { liveServer } from './state.js';

export interface SparkEngine {
  server: RunningServer;
  /** True when this run started the server (and will stop it on release). */
  owned: boolean;
  openSession(): Promise<SparkSession>;
  release(): Promise<void>;
}

export interface AcquireOptions {
  projectDir: string;
  warehouseDir?: string;
  settings?: SparkSettings;
  /** Connect to this server instead (tests share one Spark across fixture projects). */
  server?: { host: string; port: number };
}

/**
 * Settings for the launcher from a manifest target's `settings.spark` (project.yaml), read through
 * the compiler's schema of a local target's `spark:` (compiler/config/targets.ts).
 */
export function sparkSettingsFromTarget(settings: Record<string, unknown> | undefined): SparkSettings {
  if (settings?.spark === undefined) return { conf: {} };
  const parsed = localSparkSchema.safeParse(settings.spark);
  if (!parsed.success) throw new Error(`Invalid spark settings of the target: ${parsed.error.issues.map((i) => `spark.${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { master, driver_memory: driverMemory, conf } = parsed.data;
  return { master, driverMemory, conf };
}

export async function acquireSpark(opts: AcquireOptions): Promise<SparkEngine> {
  const fromEnv = process.env.ETL_SPARK_THRIFT;
  const explicit = opts.server ?? (fromEnv ? parseHostPort(fromEnv) : undefined);
  const paths: SparkPaths = sparkPaths(opts.projectDir, opts.warehouseDir ? { warehouseDir: opts.warehouseDir } : {});
  if (explicit) return connected({ pid: -1, host: explicit.host, port: explicit.port, logFile: '', startedAt: '', projectDir: paths.projectDir, warehouseDir: paths.warehouseDir }, false);
  const warm = await liveServer(paths.stateFile);
  if (warm) return connected(warm, false);
  const server = await startThriftServer(paths, opts.settings ?? {});
  return connected(server, true);
}

function connected(server: RunningServer, owned: boolean): SparkEngine {
  const sessions = new Set<SparkSession>();
  return {
    server,
    owned,
    async openSession() {
      const s = await SparkSession.open(server.host, server.port);
      sessions.add(s);
      return s;
    },
    async release() {
      await Promise.all([...sessions].map((s) => s.close()));
      sessions.clear();
      if (owned) await stopProcess(server.pid);
    },
  };
}

function parseHostPort(value: string): { host: string; port: number } {
  const [host, port] = value.includes(':') ? value.split(':') : ['127.0.0.1', value];
  return { host: host || '127.0.0.1', port: Number(port) };
}
