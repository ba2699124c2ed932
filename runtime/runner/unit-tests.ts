/**
 * Model unit tests: each given input becomes a temporary view typed by its declared schema, the
 * model's SQL runs with its refs/sources pointed at those views, and the result is compared with
 * the expected rows inside Spark (EXCEPT ALL, typed), so 1.50 = 1.5 and timestamps compare as
 * timestamps. Temporary views live in the session only: warehouse tables are never touched.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest, ManifestColumn, ManifestUnitTest } from '../../compiler/manifest/types.js';
import type { SparkSession } from '../engines/spark/client.js';
import { SparkSqlError } from '../engines/spark/errors.js';
import type { NodeResult } from './results.js';
import { errorResult } from './node-error.js';

export class UnitTestSetupError extends Error {}

interface Relation {
  relation: string;
  columns: ManifestColumn[];
}

const COMPLEX = /^(array|map|struct)\s*</i;

function resolveInput(manifest: Manifest, input: string): Relation {
  const model = manifest.models[input] ?? manifest.models[`model.${input}`] ?? Object.values(manifest.models).find((m) => m.name === input);
  if (model) {
    if (!model.relation) throw new UnitTestSetupError(`input ${input} is an ephemeral model; give rows for the models or sources it reads instead`);
    return { relation: model.relation.fqn, columns: model.columns };
  }
  const source =
    manifest.sources[input] ??
    manifest.sources[`source.${input}`] ??
    Object.values(manifest.sources).find((s) => `${s.sourceName}.${s.table}` === input || s.bronze.relation === input);
  if (source) {
    const partition = source.bronze.partitionBy.map<ManifestColumn>((name) => ({ name, type: 'date', nullable: true, classification: [] }));
    return { relation: source.bronze.relation, columns: [...source.columns, ...source.bronze.metadataColumns, ...partition] };
  }
  throw new UnitTestSetupError(`unknown input "${input}": give a model name or <source>.<table>`);
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SELECT producing `rows` with exactly `columns` (typed); columns missing from a row are NULL. */
export function typedRowsSql(columns: Array<{ name: string; type: string }>, rows: Record<string, unknown>[], where: string): string {
  const known = new Set(columns.map((c) => c.name));
  for (const [i, row] of rows.entries()) {
    for (const key of Object.keys(row)) {
      if (!known.has(key)) throw new UnitTestSetupError(`${where}, row ${i + 1}: column "${key}" is not in the declared schema (${[...known].join(', ')})`);
    }
  }
  const names = columns.map((_, i) => `c${i}`);
  const typed = columns.map((c, i) => {
    const expr = COMPLEX.test(c.type) ? `from_json(c${i}, '${c.type.replace(/'/g, "\\'")}')` : `CAST(c${i} AS ${c.type})`;
    return `${expr} AS \`${c.name}\``;
  });
  if (rows.length === 0) return `SELECT ${columns.map((c) => `CAST(NULL AS ${c.type}) AS \`${c.name}\``).join(', ')} WHERE false`;
  const values = rows.map((r) => `(${columns.map((c) => literal(r[c.name])).join(', ')})`).join(',\n  ');
  return `SELECT ${typed.join(', ')} FROM VALUES\n  ${values}\n  AS t(${names.join(', ')})`;
}

/** Replaces `db.table` (optionally back-quoted) by the view name, outside string literals. */
export function replaceRelation(sql: string, relation: string, view: string): string {
  const [db, table] = relation.split('.');
  const re = new RegExp(`(?<![\\w.\`])\`?${db}\`?\\s*\\.\\s*\`?${table}\`?(?![\\w\`])`, 'gi');
  return sql
    .split(/('(?:[^'\\]|\\.)*')/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(re, view)))
    .join('');
}

function formatRow(row: Record<string, unknown>): string {
  return `{ ${Object.entries(row).map(([k, v]) => `${k}: ${v === null ? 'null' : JSON.stringify(v)}`).join(', ')} }`;
}

export async function runUnitTest(session: SparkSession, test: ManifestUnitTest, manifest: Manifest, projectDir: string): Promise<NodeResult> {
  const t0 = Date.now();
  const model = manifest.models[test.model];
  const name = test.id.replace(/^unit_test\./, '');
  const base = { id: test.id, kind: 'unit_test' as const, name, startedAt: new Date(t0).toISOString() };
  const prefix = `etl_ut_${test.id.replace(/\W+/g, '_')}`.slice(0, 100);
  try {
    if (!model) throw new UnitTestSetupError(`unit test ${name} is for unknown model ${test.model}`);
    let sql = model.compiledSql.trim().replace(/;\s*$/, '');
    for (const [i, given] of test.given.entries()) {
      const input = resolveInput(manifest, given.input);
      const view = `${prefix}_in${i}`;
      await session.execute(`CREATE OR REPLACE TEMPORARY VIEW ${view} AS ${typedRowsSql(input.columns, given.rows, `given ${given.input}`)}`);
      sql = replaceRelation(sql, input.relation, view);
    }
    // Reading a real table would make the test depend on the warehouse: every input must be given.
    const unmocked = [
      ...Object.values(manifest.models).flatMap((m) => (m.relation ? [m.relation.fqn] : [])),
      ...Object.values(manifest.sources).map((s) => s.bronze.relation),
    ].filter((rel) => replaceRelation(sql, rel, '\u0000') !== sql);
    if (unmocked.length) throw new UnitTestSetupError(`model ${model.name} also reads ${unmocked.join(', ')}: add a \`given\` entry for each`);

    const actualView = `${prefix}_actual`;
    await session.execute(`CREATE OR REPLACE TEMPORARY VIEW ${actualView} AS ${sql}`);
    const expectedColumns = [...new Set(test.expect.rows.flatMap((r) => Object.keys(r)))];
    const described = (await session.query(`DESCRIBE ${actualView}`)).rows.map((r) => ({ name: String(r.col_name), type: String(r.data_type) }));
    const missingCols = expectedColumns.filter((c) => !described.some((d) => d.name === c));
    if (missingCols.length) throw new UnitTestSetupError(`expected column(s) ${missingCols.join(', ')} are not in the output of ${model.name} (${described.map((d) => d.name).join(', ')})`);
    const compared = expectedColumns.length ? described.filter((d) => expectedColumns.includes(d.name)) : described;
    const expectedView = `${prefix}_expected`;
    await session.execute(`CREATE OR REPLACE TEMPORARY VIEW ${expectedView} AS ${typedRowsSql(compared, test.expect.rows, 'expect')}`);
    const cols = compared.map((c) => `\`${c.name}\``).join(', ');
    const [missing, unexpected] = await Promise.all([
      session.query(`SELECT ${cols} FROM ${expectedView} EXCEPT ALL SELECT ${cols} FROM ${actualView}`),
      session.query(`SELECT ${cols} FROM ${actualView} EXCEPT ALL SELECT ${cols} FROM ${expectedView}`),
    ]);
    for (const v of [...test.given.keys()].map((i) => `${prefix}_in${i}`).concat(actualView, expectedView)) {
      await session.execute(`DROP VIEW IF EXISTS ${v}`).catch(() => {});
    }
    const file = join(projectDir, 'target', 'unit-test-failures', `${test.id.replace(/[^\w.-]+/g, '_')}.json`);
    if (!missing.rows.length && !unexpected.rows.length) {
      rmSync(file, { force: true });
      return { ...base, status: 'pass', durationMs: Date.now() - t0 };
    }
    mkdirSync(join(projectDir, 'target', 'unit-test-failures'), { recursive: true });
    writeFileSync(file, JSON.stringify({ test: test.id, model: test.model, missing: missing.rows, unexpected: unexpected.rows }, null, 2));
    const diff = [
      `${missing.rows.length} expected row${missing.rows.length === 1 ? '' : 's'} missing, ${unexpected.rows.length} unexpected row${unexpected.rows.length === 1 ? '' : 's'} (compared: ${compared.map((c) => c.name).join(', ')})`,
      ...missing.rows.slice(0, 20).map((r) => `- ${formatRow(r)}`),
      ...unexpected.rows.slice(0, 20).map((r) => `+ ${formatRow(r)}`),
    ].join('\n');
    return { ...base, status: 'fail', durationMs: Date.now() - t0, failures: missing.rows.length + unexpected.rows.length, message: diff, location: { file: test.file }, artifact: relative(projectDir, file) };
  } catch (e) {
    if (e instanceof UnitTestSetupError) return { ...base, status: 'error', durationMs: Date.now() - t0, message: e.message, location: { file: test.file } };
    const r = errorResult(e, test.id, 'unit_test', name, t0, projectDir, e instanceof SparkSqlError ? model?.file : test.file);
    return r;
  }
}
