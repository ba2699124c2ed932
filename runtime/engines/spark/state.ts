/** The warm server's state file (`.etl/spark/server.json`): written by `etl spark start`, read by every run. */
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RunningServer } from './launcher.js';
import { portOpen, processAlive } from './launcher.js';

export function readServerState(stateFile: string): RunningServer | undefined {
  if (!existsSync(stateFile)) return undefined;
  try {
    return JSON.parse(readFileSync(stateFile, 'utf8')) as RunningServer;
  } catch {
    return undefined;
  }
}

export function writeServerState(stateFile: string, server: RunningServer): void {
  mkdirSync(dirname(stateFile), { recursive: true });
  const tmp = `${stateFile}.tmp`;
  writeFileSync(tmp, JSON.stringify(server, null, 2));
  renameSync(tmp, stateFile);
}

export function clearServerState(stateFile: string): void {
  rmSync(stateFile, { force: true });
}

/** A recorded server counts only if its process lives and its port answers; stale files are removed. */
export async function liveServer(stateFile: string): Promise<RunningServer | undefined> {
  const server = readServerState(stateFile);
  if (!server) return undefined;
  if (processAlive(server.pid) && (await portOpen(server.host, server.port))) return server;
  clearServerState(stateFile);
  return undefined;
}
