/**
 * The compile-time `on_schema_change` check (no Spark): the fixture's incremental models compiled
 * against the last build's recorded table schemas (target/table_schemas.json, written here as a
 * build writes it), after their SELECTs gained, lost or retyped columns: `fail` is an error at the
 * new column's select item, append/sync warn with what the next build changes, ignore warns that the
 * table keeps its columns; the plan carries the SchemaChange operation before the write. Hooks: a
 * problem in a hook's template is located in the file that declares it.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { compileProject } from '../../compiler/index.js';
import { recordTableSchemas } from '../../compiler/plan/schema-change-state.js';

const SCRATCH = join(import.meta.dirname, '..', '..', '.etl', 'spec-modelling');
let dir: string;

const edit = (file: string, from: string, to: string) => {
  const p = join(dir, file);
  const text = readFileSync(p, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(p, text.replace(from, to));
};

/** The state a first build of the fixture leaves: each incremental table with (id int, name string). */
const builtOnce = () =>
  recordTableSchemas(
    dir,
    ['sc_fail', 'sc_ignore', 'sc_append', 'sc_sync'].map((m) => ({ id: `model.${m}`, relation: `silver.${m}`, columns: [{ name: 'id', type: 'int' }, { name: 'name', type: 'string' }] })),
  );

const schemaDiagnostics = async () => {
  const r = await compileProject({ projectDir: dir, cache: false });
  return { r, found: r.diagnostics.filter((d) => /^ETL43[0-9]$/.test(d.code)).map((d) => ({ code: d.code, severity: d.severity, file: d.file, line: d.line, column: d.column, message: d.message })) };
};

beforeEach(() => {
  mkdirSync(SCRATCH, { recursive: true });
  dir = join(SCRATCH, `schema-change-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(import.meta.dirname, 'fixtures', 'schema-change'), dir, { recursive: true });
});

describe('on_schema_change at compile time', () => {
  it('says nothing when the columns did not change, or when no build recorded the table', async () => {
    expect((await schemaDiagnostics()).found).toEqual([]);
    builtOnce();
    const { r, found } = await schemaDiagnostics();
    expect(found).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('reports each mode before anything runs: fail at the new column, append/sync/ignore as warnings', async () => {
    builtOnce();
    for (const m of ['sc_fail', 'sc_ignore', 'sc_append']) edit(`models/silver/${m}.sql`, "SELECT 1 AS id, 'a' AS name", "SELECT 1 AS id, 'a' AS name, 'x' AS extra");
    edit('models/silver/sc_sync.sql', "SELECT 1 AS id, 'a' AS name", "SELECT 1 AS id, 'x' AS extra");
    const { r, found } = await schemaDiagnostics();
    expect(r.ok).toBe(false);
    expect(found.map(({ message: _m, ...d }) => d).sort((a, b) => a.file!.localeCompare(b.file!))).toEqual([
      { code: 'ETL431', severity: 'warning', file: 'models/silver/sc_append.sql', line: 2, column: 37 },
      { code: 'ETL430', severity: 'error', file: 'models/silver/sc_fail.sql', line: 2, column: 37 },
      { code: 'ETL433', severity: 'warning', file: 'models/silver/sc_ignore.sql', line: 2, column: 37 },
      { code: 'ETL432', severity: 'warning', file: 'models/silver/sc_sync.sql', line: 2, column: 24 },
    ]);
    const message = (code: string) => found.find((d) => d.code === code)!.message;
    expect(message('ETL430')).toContain('+ extra string');
    expect(message('ETL431')).toContain('adds extra string to silver.sc_append');
    expect(message('ETL432')).toContain('+ extra string, - name');
  });

  it('fails a column removed under fail at the config, and an unsafe type change under sync_all_columns', async () => {
    builtOnce();
    edit('models/silver/sc_fail.sql', "SELECT 1 AS id, 'a' AS name", 'SELECT 1 AS id');
    edit('models/silver/sc_sync.sql', "SELECT 1 AS id, 'a' AS name", "SELECT 1 AS id, 2 AS name");
    const { found } = await schemaDiagnostics();
    expect(found.map(({ message: _m, ...d }) => d).sort((a, b) => a.file!.localeCompare(b.file!))).toEqual([
      { code: 'ETL430', severity: 'error', file: 'models/silver/sc_fail.sql', line: 1, column: 53 },
      { code: 'ETL434', severity: 'error', file: 'models/silver/sc_sync.sql', line: 2, column: 22 },
    ]);
  });

  it('plans a SchemaChange before the incremental write, and column mapping on create for sync_all_columns', async () => {
    const { r } = await schemaDiagnostics();
    const sync = r.plan.nodes['model.sc_sync'];
    if (sync?.kind !== 'model') throw new Error('no sc_sync node');
    expect(sync.incremental!.map((o) => o.kind)).toEqual(['CreateDatabase', 'SchemaChange', 'Append']);
    const change = sync.incremental![1]!;
    expect(change).toEqual({ kind: 'SchemaChange', relation: { database: 'silver', table: 'sc_sync' }, onSchemaChange: 'sync_all_columns', columns: [{ name: 'id', type: 'int' }, { name: 'name', type: 'string' }] });
    const create = sync.full.find((o) => o.kind === 'CreateOrReplaceTableAs');
    expect(create?.kind === 'CreateOrReplaceTableAs' && create.properties['delta.columnMapping.mode']).toBe('name');
  });
});

describe('hooks at compile time', () => {
  it('plans pre-hooks before the write and post-hooks after it, located in the declaring file', async () => {
    const { r } = await schemaDiagnostics();
    const hooked = r.plan.nodes['model.hooked'];
    if (hooked?.kind !== 'model') throw new Error('no hooked node');
    expect(hooked.full.map((o) => o.kind)).toEqual(['CreateDatabase', 'Hook', 'CreateOrReplaceTableAs']);
    expect(hooked.post.map((o) => (o.kind === 'Hook' ? [o.when, o.query.sql, o.query.files, o.query.segments[0]] : o.kind))).toEqual([
      ['post', "INSERT INTO silver.hook_log SELECT coalesce(max(seq), 0) + 1, concat('post ', (SELECT max(version) FROM silver.hooked)) FROM silver.hook_log", ['models/silver/hooked.yml'], [0, 0, 3, 8, 1]],
      ['post', 'OPTIMIZE silver.hooked', ['models/silver/hooked.yml'], [0, 0, 4, 7, 1]],
    ]);
    expect(r.plan.hooks?.onRunStart.length).toBe(3);
    expect(r.plan.hooks?.onRunEnd.map((o) => o.kind === 'Hook' && o.query.segments[0])).toEqual([[0, 0, 16, 13, 1]]);
  });

  it('locates a template problem in a hook at its file:line:col', async () => {
    edit('models/silver/hooked.yml', 'OPTIMIZE {{this}}', 'OPTIMIZE {{ref "missing_model"}}');
    const r = await compileProject({ projectDir: dir, cache: false });
    const d = r.diagnostics.find((x) => x.code === 'ETL437');
    expect(d && { file: d.file, line: d.line, column: d.column, severity: d.severity }).toEqual({ file: 'models/silver/hooked.yml', line: 4, column: 16, severity: 'error' });
    expect(d?.message).toContain("Unknown model 'missing_model'");
  });
});
