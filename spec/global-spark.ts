/**
 * Gives the run's Spark spec files one shared Spark server (spec/spark/shared-spark.ts): a folder
 * per vitest run, named by the run's pid and passed to the spec workers in the environment, so two
 * runs on one machine never share or stop each other's server. The run's server is stopped at the end,
 * and servers of earlier runs whose vitest died are stopped at the start.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RunningServer } from '../runtime/engines/spark/launcher.js';
import { processAlive, stopProcess } from '../runtime/engines/spark/launcher.js';
import { SHARED_SPARK_ENV, SHARED_SPARK_ROOT, stateFileIn } from './spark/shared-spark.js';

async function stopServerIn(dir: string): Promise<void> {
  const state = stateFileIn(dir);
  if (existsSync(state)) {
    const server = JSON.parse(readFileSync(state, 'utf8')) as RunningServer;
    if (processAlive(server.pid)) await stopProcess(server.pid);
  }
  rmSync(dir, { recursive: true, force: true });
}

async function stopOrphans(): Promise<void> {
  if (!existsSync(SHARED_SPARK_ROOT)) return;
  for (const name of readdirSync(SHARED_SPARK_ROOT)) {
    const owner = Number(/^(?:run|file)-(\d+)$/.exec(name)?.[1]);
    if (Number.isFinite(owner) && !processAlive(owner)) await stopServerIn(join(SHARED_SPARK_ROOT, name));
  }
}

export async function setup(): Promise<() => Promise<void>> {
  await stopOrphans();
  const dir = join(SHARED_SPARK_ROOT, `run-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  process.env[SHARED_SPARK_ENV] = dir;
  return () => stopServerIn(dir);
}
