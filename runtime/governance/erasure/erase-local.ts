/**
 * `etl erase` on a local target: runs an erasure plan (compiler/governance/erasure-plan.ts) through
 * the Spark engine. First every table's matching rows are found while nothing has changed (rows
 * matched through a parent's row key need the parent's rows); then bronze files are rewritten
 * without them, Delta tables get a DeleteWhere, aggregates are rebuilt from their parents (the
 * model's full operations), and every Delta table changed (or still holding earlier readable
 * versions) is vacuumed with no retention (vacuum.ts), so no earlier version that held the subject
 * stays readable. The log records what was done per table.
 */
import { randomUUID } from 'node:crypto';
import type { ErasurePlan, ErasureTarget, MatchRule } from '../../../compiler/governance/erasure-plan.js';
import type { Subject } from '../../../compiler/governance/erasure-subject.js';
import type { Manifest, Plan } from '../../../compiler/manifest/types.js';
import { matchConditionSql, quoteIdent, relationSql } from '../../../compiler/emit/spark-dialect.js';
import { op, relationName, type ColumnMatch, type Relation } from '../../../compiler/plan/operations.js';
import type { SparkEngine } from '../../engines/spark/engine.js';
import type { SparkThriftSession } from '../../engines/spark/spark-engine.js';
import { resolveManifestLocation } from '../../plan/locations.js';
import { rewriteBronzeFiles } from './bronze-files.js';
import { vacuumIfNeeded } from './vacuum.js';
import { appendErasureLog, subjectHash, type ErasureLogEntry } from './log.js';
import { matchValues } from './values.js';
import { acquireProjectEngine } from '../../runner/project-engine.js';

export interface TableErasure {
  node: string;
  relation: string;
  action: ErasureTarget['action'];
  rowsRemoved: number;
  filesRewritten?: number;
  versionsVacuumed?: number;
}

export interface ErasureOutcome {
  requestId: string;
  subjectHash: string;
  tables: TableErasure[];
  log: string;
}

export interface LocalErasureOptions {
  projectDir: string;
  manifest: Manifest;
  plan: Plan;
  erasure: ErasurePlan;
  subject: Subject;
  /** A Spark a caller keeps running (specs). */
  spark?: SparkEngine;
}

type Resolved = Map<string, ColumnMatch[]>;

export async function eraseLocal(opts: LocalErasureOptions): Promise<ErasureOutcome> {
  const { manifest, projectDir } = opts;
  const engine = await acquireProjectEngine(manifest, projectDir, opts.spark);
  try {
    const session = await engine.openSession();
    await register(session, opts);
    const resolved = await resolveMatches(session, opts);
    const tables: TableErasure[] = [];
    for (const t of opts.erasure.targets) tables.push(await eraseTable(session, opts, t, resolved.get(t.node) ?? []));
    for (const [i, t] of tables.entries()) {
      if (t.action === 'rewrite-files') continue;
      const versions = await vacuumIfNeeded(session, opts.erasure.targets[i]!.relation, t.action === 'rebuild' || t.rowsRemoved > 0);
      if (versions !== undefined) t.versionsVacuumed = versions;
    }
    return writeLog(opts, tables);
  } finally {
    await engine.close();
  }
}

/** Bronze tables and model tables in the metastore (a fresh metastore after a build elsewhere). */
async function register(session: SparkThriftSession, opts: LocalErasureOptions): Promise<void> {
  for (const t of opts.erasure.targets) {
    const node = opts.plan.nodes[t.node];
    if (node?.kind === 'source') for (const o of node.operations) await session.execute(o);
    if (node?.kind === 'model') await session.tableState(node.relation, node.location);
  }
}

function relationOf(opts: LocalErasureOptions, node: string): Relation | undefined {
  const source = opts.manifest.sources[node];
  if (source) return { database: source.bronze.database, table: source.bronze.table };
  const planned = opts.plan.nodes[node];
  return planned?.kind === 'model' ? planned.relation : undefined;
}

/** Each table's conditions, found before anything changes (parents first). */
async function resolveMatches(session: SparkThriftSession, opts: LocalErasureOptions): Promise<Resolved> {
  const rules = new Map<string, MatchRule[]>([...opts.erasure.targets, ...opts.erasure.passThrough].map((t) => [t.node, t.match]));
  const resolved: Resolved = new Map();
  const resolveNode = async (node: string): Promise<ColumnMatch[]> => {
    const known = resolved.get(node);
    if (known) return known;
    const out: ColumnMatch[] = [];
    for (const rule of rules.get(node) ?? []) {
      if (rule.via === 'key') {
        const values = matchValues(rule.forms, opts.subject.value, opts.manifest.project.vars);
        if (values.length) out.push({ column: rule.column, in: values });
        continue;
      }
      const parentWhere = await resolveNode(rule.parent);
      const parent = relationOf(opts, rule.parent);
      if (!parent || !parentWhere.length) continue;
      const { rows } = await session.spark.query(`SELECT DISTINCT CAST(${quoteIdent(rule.parentColumn)} AS STRING) AS v FROM ${relationSql(parent)}\nWHERE ${matchConditionSql(parentWhere)}`);
      const values = rows.map((r) => r.v).filter((v): v is string => typeof v === 'string');
      if (values.length) out.push({ column: rule.column, in: values.map((value) => ({ kind: 'literal', value })) });
    }
    resolved.set(node, out);
    return out;
  };
  for (const node of rules.keys()) await resolveNode(node);
  return resolved;
}

async function eraseTable(session: SparkThriftSession, opts: LocalErasureOptions, t: ErasureTarget, where: ColumnMatch[]): Promise<TableErasure> {
  const done: TableErasure = { node: t.node, relation: relationName(t.relation), action: t.action, rowsRemoved: 0 };
  if (t.action === 'rewrite-files') {
    const source = opts.manifest.sources[t.node]!;
    const literals = new Map(where.map((m) => [m.column, new Set(m.in.flatMap((v) => (v.kind === 'literal' ? [v.value] : [])))]));
    const rewritten = await rewriteBronzeFiles(resolveManifestLocation(source.bronze.location, opts.projectDir), source, literals);
    await session.spark.execute(`REFRESH TABLE ${relationSql(t.relation)}`);
    return { ...done, rowsRemoved: rewritten.rows, filesRewritten: rewritten.files };
  }
  if (t.action === 'delete') {
    if (!where.length) return done;
    const { rows } = await session.spark.query(`SELECT count(*) AS n FROM ${relationSql(t.relation)}\nWHERE ${matchConditionSql(where)}`);
    const n = Number(rows[0]?.n ?? 0);
    if (n > 0) await session.execute(op({ kind: 'DeleteWhere', relation: t.relation, where }));
    return { ...done, rowsRemoved: n };
  }
  const node = opts.plan.nodes[t.node];
  if (node?.kind === 'model') for (const o of node.full) await session.execute(o);
  return done;
}

function writeLog(opts: LocalErasureOptions, tables: TableErasure[]): ErasureOutcome {
  const requestId = randomUUID();
  const hash = subjectHash(opts.projectDir, opts.subject.key, opts.subject.value);
  const at = new Date().toISOString();
  const entries: ErasureLogEntry[] = tables.map((t) => ({
    at,
    requestId,
    subject: { key: opts.erasure.subject.key, kinds: opts.erasure.subject.kinds, hash },
    node: t.node,
    relation: t.relation,
    action: t.action,
    rowsRemoved: t.rowsRemoved,
    ...(t.filesRewritten !== undefined ? { filesRewritten: t.filesRewritten } : {}),
    ...(t.versionsVacuumed !== undefined ? { versionsVacuumed: t.versionsVacuumed } : {}),
  }));
  return { requestId, subjectHash: hash, tables, log: appendErasureLog(opts.projectDir, entries) };
}
