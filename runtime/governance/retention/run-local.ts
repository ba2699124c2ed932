/**
 * `etl retention run` on a local target: the retention plan (compiler/governance/retention-plan.ts)
 * run through the Spark engine, as a build runs its operations. Per table it counts the expired rows
 * first (that count is what a dry run prints); then Delta tables get DELETE ... WHERE date < cutoff
 * and VACUUM, and bronze tables lose their expired partitions: catalog entry and files.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest, Plan } from '../../../compiler/manifest/types.js';
import { relationSql, renderOperation, stringLiteral, quoteIdent } from '../../../compiler/emit/spark-dialect.js';
import { op, relationName, type Operation } from '../../../compiler/plan/operations.js';
import type { RetentionEntry } from '../../../compiler/governance/retention-plan.js';
import type { SparkEngine } from '../../engines/spark/engine.js';
import type { SparkThriftSession } from '../../engines/spark/spark-engine.js';
import { isUri, locationResolver } from '../../plan/locations.js';
import { acquireProjectEngine } from '../../runner/project-engine.js';

export interface TableRetention {
  id: string;
  relation: string;
  kind: RetentionEntry['kind'];
  column: string;
  period: string;
  /** First date kept. */
  before: string;
  /** Rows dated before the cutoff (deleted, or to delete on a dry run); undefined when the table does not exist. */
  expiredRows?: number;
  /** Bronze: the partitions (and their directories) deleted or to delete. */
  partitions?: string[];
  statements: string[];
  status: 'deleted' | 'nothing_expired' | 'no_table' | 'dry_run';
}

export interface RetentionOutcome {
  asOf: string;
  dryRun: boolean;
  tables: TableRetention[];
}

export interface LocalRetentionOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  entries: RetentionEntry[];
  asOf: string;
  dryRun: boolean;
  spark?: SparkEngine;
}

export async function retentionLocal(opts: LocalRetentionOptions): Promise<RetentionOutcome> {
  const { manifest, projectDir } = opts;
  const locate = locationResolver(manifest.target, projectDir);
  const engine = await acquireProjectEngine(manifest, projectDir, opts.spark);
  try {
    const session = await engine.openSession();
    const tables: TableRetention[] = [];
    for (const entry of opts.entries) {
      const base = { id: entry.id, relation: relationName(entry.relation), kind: entry.kind, column: entry.column, period: `${entry.period.amount} ${entry.period.unit}`, before: entry.before };
      const ctx = { session, locate, plan: opts.plan, dryRun: opts.dryRun };
      tables.push(entry.kind === 'model' ? await deltaTable(ctx, entry, base) : await bronzeTable(ctx, entry, base));
    }
    return { asOf: opts.asOf, dryRun: opts.dryRun, tables };
  } finally {
    await engine.close();
  }
}

/** Tasks VACUUM lists files in on a local Spark. */
const VACUUM_LISTING_TASKS = 8;

interface Ctx {
  session: SparkThriftSession;
  locate: ReturnType<typeof locationResolver>;
  plan: Plan;
  dryRun: boolean;
}
type Base = Omit<TableRetention, 'statements' | 'status'>;

const sqlOf = (ops: Operation[], locate: Ctx['locate']) => ops.flatMap((o) => renderOperation(o, locate).map((s) => s.sql));

async function countBefore(ctx: Ctx, entry: RetentionEntry): Promise<number> {
  const { rows } = await ctx.session.spark.query(`SELECT count(*) AS n FROM ${relationSql(entry.relation)} WHERE ${quoteIdent(entry.column)} < DATE ${stringLiteral(entry.before)}`);
  return Number(rows[0]?.n ?? 0);
}

async function deltaTable(ctx: Ctx, entry: Extract<RetentionEntry, { kind: 'model' }>, base: Base): Promise<TableRetention> {
  const state = await ctx.session.tableState(entry.relation, entry.location);
  if (!state.exists) return { ...base, statements: [], status: 'no_table' };
  const expiredRows = await countBefore(ctx, entry);
  const statements = sqlOf(entry.operations, ctx.locate);
  if (ctx.dryRun) return { ...base, expiredRows, statements, status: 'dry_run' };
  if (expiredRows === 0) return { ...base, expiredRows, statements: [], status: 'nothing_expired' };
  // VACUUM lists files in as many tasks as this setting (10,000 by default): minutes of task scheduling
  // for a small table on a local Spark. The session setting is this command's own.
  await ctx.session.spark.execute(`SET spark.sql.sources.parallelPartitionDiscovery.parallelism = ${VACUUM_LISTING_TASKS}`);
  for (const operation of entry.operations) await ctx.session.execute(operation);
  return { ...base, expiredRows, statements, status: 'deleted' };
}

/** Partition values of `column` the catalog knows (`SHOW PARTITIONS` rows read as `col=value/...`). */
async function partitionValues(ctx: Ctx, entry: RetentionEntry): Promise<string[]> {
  const { rows } = await ctx.session.spark.query(`SHOW PARTITIONS ${relationSql(entry.relation)}`);
  const values: string[] = [];
  for (const row of rows) {
    for (const part of String(Object.values(row)[0] ?? '').split('/')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq) === entry.column) values.push(decodeURIComponent(part.slice(eq + 1)));
    }
  }
  return values;
}

async function bronzeTable(ctx: Ctx, entry: Extract<RetentionEntry, { kind: 'bronze' }>, base: Base): Promise<TableRetention> {
  const root = ctx.locate(entry.location);
  if (isUri(root)) throw new Error(`retention of bronze files at ${root}: only local targets delete bronze partitions here (the S3 lifecycle expires them on AWS)`);
  if (!existsSync(root)) return { ...base, statements: [], status: 'no_table' };
  // Registers the table and picks up landed partitions, as the build's source node does.
  const node = ctx.plan.nodes[entry.id];
  if (node?.kind === 'source') for (const operation of node.operations) await ctx.session.execute(operation);
  const expired = (await partitionValues(ctx, entry)).filter((v) => v < entry.before).sort();
  const dirs = readdirSync(root).filter((d) => d.startsWith(`${entry.column}=`) && d.slice(entry.column.length + 1) < entry.before);
  const partitions = [...new Set([...expired, ...dirs.map((d) => d.slice(entry.column.length + 1))])].sort();
  const expiredRows = expired.length ? await countBefore(ctx, entry) : 0;
  if (!partitions.length) return { ...base, expiredRows, partitions, statements: [], status: ctx.dryRun ? 'dry_run' : 'nothing_expired' };
  const drop = expired.length ? [op({ kind: 'DropPartitions', relation: entry.relation, location: entry.location, column: entry.column, values: expired })] : [];
  const statements = sqlOf(drop, ctx.locate);
  if (ctx.dryRun) return { ...base, expiredRows, partitions, statements, status: 'dry_run' };
  for (const operation of drop) await ctx.session.execute(operation);
  // An external table's DROP PARTITION keeps the files: delete the expired partitions' directories, nothing else.
  for (const value of partitions) rmSync(join(root, `${entry.column}=${value}`), { recursive: true, force: true });
  return { ...base, expiredRows, partitions, statements, status: 'deleted' };
}
