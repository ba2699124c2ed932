/**
 * The emit stage on its own (ephemeral inlining with positions, the Spark dialect's rendering of
 * every operation kind) and emit edge cases through the whole pipeline (fixture emit-edge-cases):
 * comments before WITH, lower-case with, an ephemeral with its own WITH and a trailing comment, a
 * trailing semicolon.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSpark } from '../../compiler/analyse/parse.js';
import { inlineEphemerals } from '../../compiler/emit/ephemerals.js';
import { renderOperation, typedRowsSql, type Locate } from '../../compiler/emit/spark-dialect.js';
import type { CompileResult } from '../../compiler/index.js';
import type { Operation, Query } from '../../compiler/plan/operations.js';
import { originOf } from '../../compiler/plan/query-map.js';
import { compileFixture } from './helpers.js';

/** A query written verbatim in `file` from line `line`, column 1. */
const written = (sql: string, file = 'm.sql', line = 1): Query => ({ sql, files: [file], segments: [[0, 0, line, 1, 1]] });
const eph = [{ name: '__ephemeral_e', query: written('SELECT 1 AS x\n', 'e.sql', 3) }];
const inline = (sql: string) => inlineEphemerals(written(sql), eph).sql;

describe('inlineEphemerals', () => {
  it('leaves a query alone without ephemeral parents', () => {
    expect(inlineEphemerals(written('SELECT 1'), []).sql).toBe('SELECT 1');
  });
  it('prepends a WITH to a query without one', () => {
    expect(inline('SELECT x FROM __ephemeral_e')).toBe('WITH __ephemeral_e AS (\nSELECT 1 AS x\n)\nSELECT x FROM __ephemeral_e');
  });
  it('merges into an existing WITH (any case), keeping leading line comments first', () => {
    expect(inline('-- note\nwith a AS (SELECT 2) SELECT * FROM a')).toBe('-- note\nWITH __ephemeral_e AS (\nSELECT 1 AS x\n),\na AS (SELECT 2) SELECT * FROM a');
  });
  it('merges into an existing WITH after a block comment', () => {
    expect(inline('/* note */\nWITH a AS (SELECT 2) SELECT * FROM a')).toBe('/* note */\nWITH __ephemeral_e AS (\nSELECT 1 AS x\n),\na AS (SELECT 2) SELECT * FROM a');
  });
  it('does not mistake a column named with_x for a WITH clause', () => {
    expect(inline('SELECT with_x FROM t')).toBe('WITH __ephemeral_e AS (\nSELECT 1 AS x\n)\nSELECT with_x FROM t');
  });
  it('keeps where every part came from: the CTE in its own file, the query in the model', () => {
    const q = inlineEphemerals(written('-- note\nwith a AS (SELECT 2) SELECT * FROM a', 'm.sql', 4), eph);
    // Line 3 of the result is the ephemeral's SELECT; line 5 is the model's own WITH body.
    expect(originOf(q, 3, 8)).toEqual({ file: 'e.sql', line: 3, column: 8 });
    expect(originOf(q, 5, 1)).toEqual({ file: 'm.sql', line: 5, column: 6 });
    expect(originOf(q, 1, 4)).toEqual({ file: 'm.sql', line: 4, column: 4 });
  });
});

describe('the Spark dialect', () => {
  const locate: Locate = (l) => (l.path.includes('://') ? l.path : `/w/${l.layer}/${l.path}`);
  const relation = { database: 'gold', table: 't' };
  const sql = (op: Operation) => renderOperation(op, locate).map((s) => s.sql);
  it('quotes the location and table properties as SQL strings, identifiers with backticks', () => {
    const op: Operation = { kind: 'CreateOrReplaceTableAs', relation, location: { layer: 'gold', path: "s3://b/it's" }, partitionBy: ['d`x'], properties: { "k'1": 'v' }, query: written('SELECT 1 AS a') };
    expect(sql(op)).toEqual(["CREATE OR REPLACE TABLE `gold`.`t`\nUSING DELTA\nPARTITIONED BY (`d``x`)\nLOCATION 's3://b/it\\u0027s'\nTBLPROPERTIES (\n  'k\\u00271' = 'v'\n)\nAS\nSELECT 1 AS a"]);
  });
  it('renders MERGE from its keys and update columns, quoting each', () => {
    const op: Operation = { kind: 'Merge', relation, query: written('SELECT 2'), uniqueKey: ['a', 'b`c'], updateColumns: ['f'] };
    expect(sql(op)).toEqual([
      'MERGE INTO `gold`.`t` AS target\nUSING (\nSELECT 2\n) AS source\nON target.`a` = source.`a`\n  AND target.`b``c` = source.`b``c`\nWHEN MATCHED THEN UPDATE SET target.`f` = source.`f`\nWHEN NOT MATCHED THEN INSERT *',
    ]);
    expect(sql({ ...op, updateColumns: null })[0]).toContain('WHEN MATCHED THEN UPDATE SET *');
  });
  it('dynamic partition overwrite is set around the INSERT OVERWRITE and reset after', () => {
    expect(sql({ kind: 'InsertOverwrite', relation, query: written('SELECT 1') })).toEqual([
      'SET spark.sql.sources.partitionOverwriteMode = dynamic',
      'INSERT OVERWRITE TABLE `gold`.`t`\nSELECT 1',
      'SET spark.sql.sources.partitionOverwriteMode = static',
    ]);
  });
  it('registers bronze Parquet with its partition columns and picks up new partitions', () => {
    const op: Operation = { kind: 'RegisterBronze', relation: { database: 'bronze', table: 's_t' }, location: { layer: 'bronze', path: "s/it's" }, format: 'parquet', columns: [{ name: 'a`b', type: 'string' }], partitionBy: [{ name: 'ingest_date', type: 'date' }] };
    expect(sql(op)).toEqual([
      "CREATE TABLE IF NOT EXISTS `bronze`.`s_t` (\n  `a``b` string,\n  `ingest_date` date\n)\nUSING PARQUET\nPARTITIONED BY (`ingest_date`)\nLOCATION '/w/bronze/s/it\\u0027s'",
      'ALTER TABLE `bronze`.`s_t` RECOVER PARTITIONS',
    ]);
  });
  it('remembers where the query starts in the statement it renders', () => {
    const [st] = renderOperation({ kind: 'Append', relation, query: written('SELECT\n  1') }, locate);
    expect(st!.query).toMatchObject({ line: 2, column: 1 });
  });
  it('types unit-test rows by the declared schema and fills missing columns with NULL', () => {
    const text = typedRowsSql([{ name: 'id', type: 'int' }, { name: 'tags', type: 'array<string>' }, { name: 'note', type: 'string' }], [{ id: 1, tags: ['a'] }, { id: 2, note: "it's" }]);
    expect(text).toContain('CAST(c0 AS int) AS `id`');
    expect(text).toContain("from_json(c1, 'array<string>') AS `tags`");
    expect(text).toContain(`('1', '["a"]', NULL)`);
    expect(text).toContain(`('2', NULL, 'it\\u0027s')`);
  });
});

describe('emit edge cases (fixture emit-edge-cases)', () => {
  let r: CompileResult;
  beforeAll(async () => {
    [r] = await Promise.all([compileFixture('emit-edge-cases'), initParser()]);
  });
  const m = (name: string) => r.manifest.models[`model.${name}`]!;

  it('compiles cleanly', () => {
    expect(r.diagnostics).toEqual([]);
  });

  it('every compiled SELECT is one valid statement (ephemeral CTEs merged into the WITH)', () => {
    for (const model of Object.values(r.manifest.models)) {
      const parsed = parseSpark(model.compiledSql);
      expect(parsed.ok ? parsed.statements.length : parsed.message, `${model.name}:\n${model.compiledSql}`).toBe(1);
    }
  });

  it('a block comment before WITH stays in front of the merged WITH', () => {
    expect(m('child_block_comment').compiledSql).toBe(
      [
        '/* Orders over 100. */',
        'WITH __ephemeral_eph AS (',
        '-- An ephemeral model that has its own WITH and ends in a comment.',
        'WITH o AS (SELECT order_id, amount FROM bronze.shop_orders)',
        'SELECT order_id, amount FROM o -- trailing comment',
        '),',
        'big AS (SELECT * FROM __ephemeral_eph WHERE amount > 100)',
        'SELECT order_id FROM big',
      ].join('\n'),
    );
  });

  it('lower-case with is merged too', () => {
    expect(m('child_lower_with').compiledSql).toMatch(/^WITH __ephemeral_eph AS \([\s\S]*\),\nbig as \(select \* from __ephemeral_eph where amount > 100\)\nselect order_id from big$/);
  });

  it('a trailing semicolon in a model does not end up inside the emitted operations', () => {
    const s = m('child_semicolon');
    expect(s.compiledSql).not.toMatch(/;\s*$/);
    const node = r.plan.nodes[s.id]!;
    if (node.kind !== 'model') throw new Error('not a model node');
    const locate: Locate = (l) => l.path;
    for (const op of [...node.full, ...(node.incremental ?? [])]) for (const st of renderOperation(op, locate)) expect(st.sql, st.sql).not.toContain(';');
  });
});
