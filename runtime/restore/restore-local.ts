/**
 * `etl restore` on a local target: optionally bring the table's files back from the replica
 * directory, then Delta time travel (a RestoreTable operation run through the Spark engine, as a
 * build runs its operations). The point is checked against the table's history first.
 */
import { resolve } from 'node:path';
import type { Manifest, Plan } from '../../compiler/manifest/types.js';
import { relationName, op, type RestorePoint } from '../../compiler/plan/operations.js';
import { renderOperation, relationSql } from '../../compiler/emit/spark-dialect.js';
import { sparkSettingsFromTarget, type SparkEngine } from '../engines/spark/engine.js';
import { SparkThriftEngine, type SparkThriftSession } from '../engines/spark/spark-engine.js';
import { locationResolver } from '../plan/locations.js';
import { RestoreError } from './errors.js';
import { deltaHistory } from './history.js';
import { resolveVersion } from './point.js';
import { hasDeltaLog, localReplicaDir, mirrorFiles, replicaPathOf, type CopySummary } from './replica-local.js';
import { restoreTarget, type RestoreTarget } from './target.js';

export interface RestoreRequest {
  model: string;
  /** Required unless `fromReplica`: then the latest replicated version is kept. */
  point?: RestorePoint;
  fromReplica: boolean;
  /** The replica directory (local) or bucket URI (EMR), instead of the default. */
  replica?: string;
  dryRun: boolean;
}

export interface RestoreOutcome {
  model: string;
  relation: string;
  /** The table's files (path or URI). */
  location: string;
  replica?: { location: string } & CopySummary;
  /** The table's version before time travel, and the version its rows were restored to. */
  fromVersion?: number;
  toVersion?: number;
  /** The commit the restore wrote (undefined when nothing changed or on a dry run). */
  newVersion?: number;
  statements: string[];
  rows?: number;
  dryRun: boolean;
}

export interface LocalRestoreOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  request: RestoreRequest;
  /** A Spark a caller keeps running (specs). */
  spark?: SparkEngine;
}

export async function restoreLocal(opts: LocalRestoreOptions): Promise<RestoreOutcome> {
  const { manifest, projectDir, request } = opts;
  const target = restoreTarget(manifest, opts.plan, request.model, projectDir);
  const locate = locationResolver(manifest.target, projectDir);
  const path = locate(target.location);
  const warehouseDir = resolve(projectDir, String(manifest.target.settings?.warehouse_dir ?? 'data/warehouse'));
  const replicaDir = localReplicaDir(projectDir, warehouseDir, request.replica);
  const outcome: RestoreOutcome = { model: request.model, relation: relationName(target.relation), location: path, statements: [], dryRun: request.dryRun };

  if (request.fromReplica) {
    const replicaPath = replicaPathOf(path, warehouseDir, replicaDir);
    if (!hasDeltaLog(replicaPath)) {
      throw new RestoreError('RESTORE_NO_REPLICA', `No replica of ${outcome.relation} at ${replicaPath} (no Delta log there).`, 'the replica is written by `etl replicate` after builds (on AWS, by the replica bucket\'s replication); without one only time travel on the primary is possible.');
    }
    outcome.replica = { location: replicaPath, ...mirrorFiles(replicaPath, path, { dryRun: request.dryRun }) };
    // On a dry run the primary may still be missing: say what would run, without reading it.
    if (request.dryRun && !hasDeltaLog(path)) return { ...outcome, statements: request.point ? statementsOf(target, request.point, locate) : [] };
  } else if (!hasDeltaLog(path)) {
    const replica = hasDeltaLog(replicaPathOf(path, warehouseDir, replicaDir));
    throw new RestoreError(
      'RESTORE_PRIMARY_LOST',
      `${outcome.relation} has no Delta log at ${path}: its files are gone (or it was never built), so time travel has nothing to read.`,
      replica ? `restore it from the replica: etl restore ${request.model} --from-replica${request.point ? ' plus the same --to/--version' : ''}` : 'there is no replica of it either: rebuild it with `etl build --select ' + request.model + ' --full-refresh`.',
    );
  }
  if (!request.point && !request.fromReplica) throw new RestoreError('RESTORE_NO_POINT', 'Nothing to restore to.', 'pass --to TIMESTAMP or --version N (or --from-replica).');

  const engine = await SparkThriftEngine.acquire({
    projectDir,
    warehouseDir,
    settings: sparkSettingsFromTarget(manifest.target.settings),
    locate,
    ...(opts.spark ? { shared: opts.spark } : {}),
  });
  try {
    return await timeTravel(await engine.openSession(), target, request, outcome, locate);
  } finally {
    await engine.close();
  }
}

async function timeTravel(session: SparkThriftSession, target: RestoreTarget, request: RestoreRequest, outcome: RestoreOutcome, locate: ReturnType<typeof locationResolver>): Promise<RestoreOutcome> {
  // Registers the table in the metastore when only its files are there (e.g. just copied back).
  const state = await session.tableState(target.relation, target.location);
  const current = state.version;
  const result: RestoreOutcome = { ...outcome, ...(current !== undefined ? { fromVersion: current } : {}) };
  if (request.point) {
    const version = resolveVersion(request.point, await deltaHistory(session.spark, target.relation), outcome.relation);
    result.toVersion = version;
    if (version !== current) {
      const restore = op({ kind: 'RestoreTable', relation: target.relation, to: request.point });
      result.statements = renderOperation(restore, locate).map((s) => s.sql);
      if (!request.dryRun) {
        await session.execute(restore);
        result.newVersion = (await session.tableState(target.relation, target.location)).version;
      }
    }
  } else if (current !== undefined) result.toVersion = current;
  if (!request.dryRun) {
    const { rows } = await session.spark.query(`SELECT count(*) AS n FROM ${relationSql(target.relation)}`);
    result.rows = Number(rows[0]?.n ?? 0);
  }
  return result;
}

function statementsOf(target: RestoreTarget, point: RestorePoint, locate: ReturnType<typeof locationResolver>): string[] {
  return renderOperation(op({ kind: 'RestoreTable', relation: target.relation, to: point }), locate).map((s) => s.sql);
}
