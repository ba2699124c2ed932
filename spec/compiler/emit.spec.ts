/**
 * The emit stage on its own (inlineEphemerals, materializeStatements) and emit edge cases through
 * the whole pipeline (fixture emit-edge-cases): comments before WITH, lower-case with, an ephemeral
 * with its own WITH and a trailing comment, a trailing semicolon.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initParser, parseSpark } from '../../compiler/analyse/parse.js';
import { inlineEphemerals, materializeStatements } from '../../compiler/emit/spark-sql.js';
import type { CompileResult, ManifestModel } from '../../compiler/index.js';
import { compileFixture } from './helpers.js';

const eph = [{ name: '__ephemeral_e', sql: 'SELECT 1 AS x\n' }];

describe('inlineEphemerals', () => {
  it('leaves a query alone without ephemeral parents', () => {
    expect(inlineEphemerals('SELECT 1', [])).toBe('SELECT 1');
  });
  it('prepends a WITH to a query without one', () => {
    expect(inlineEphemerals('SELECT x FROM __ephemeral_e', eph)).toBe('WITH __ephemeral_e AS (\nSELECT 1 AS x\n)\nSELECT x FROM __ephemeral_e');
  });
  it('merges into an existing WITH (any case), keeping leading line comments first', () => {
    expect(inlineEphemerals('-- note\nwith a AS (SELECT 2) SELECT * FROM a', eph)).toBe('-- note\nWITH __ephemeral_e AS (\nSELECT 1 AS x\n),\na AS (SELECT 2) SELECT * FROM a');
  });
  it('merges into an existing WITH after a block comment', () => {
    expect(inlineEphemerals('/* note */\nWITH a AS (SELECT 2) SELECT * FROM a', eph)).toBe('/* note */\nWITH __ephemeral_e AS (\nSELECT 1 AS x\n),\na AS (SELECT 2) SELECT * FROM a');
  });
  it('does not mistake a column named with_x for a WITH clause', () => {
    expect(inlineEphemerals('SELECT with_x FROM t', eph)).toBe('WITH __ephemeral_e AS (\nSELECT 1 AS x\n)\nSELECT with_x FROM t');
  });
});

describe('materializeStatements', () => {
  const base: Pick<ManifestModel, 'materialized' | 'config' | 'relation' | 'columns'> = {
    materialized: 'table',
    config: {},
    relation: { database: 'gold', table: 't', fqn: 'gold.t', location: "s3://b/it's" },
    columns: [],
  };
  it('quotes the location and table properties as SQL strings', () => {
    const s = materializeStatements({ model: { ...base, config: { tblproperties: { "k'1": 'v' } } }, select: 'SELECT 1 AS a' });
    expect(s.full[1]).toBe("CREATE OR REPLACE TABLE gold.t\nUSING DELTA\nLOCATION 's3://b/it\\'s'\nTBLPROPERTIES (\n  'k\\'1' = 'v'\n)\nAS\nSELECT 1 AS a");
  });
  it('quotes column names with backticks in keys, partitions and ZORDER', () => {
    const s = materializeStatements({
      model: { ...base, materialized: 'incremental', config: { incremental_strategy: 'merge', unique_key: ['a', 'b`c'], partition_by: ['d'], zorder_by: ['e'], merge_update_columns: ['f'] } },
      select: 'SELECT 1',
      incrementalSelect: 'SELECT 2',
    });
    expect(s.incremental![1]).toBe(
      'MERGE INTO gold.t AS target\nUSING (\nSELECT 2\n) AS source\nON target.`a` = source.`a`\n  AND target.`b``c` = source.`b``c`\nWHEN MATCHED THEN UPDATE SET target.`f` = source.`f`\nWHEN NOT MATCHED THEN INSERT *',
    );
    expect(s.full[1]).toContain('PARTITIONED BY (`d`)');
    expect(s.post).toEqual(['OPTIMIZE gold.t ZORDER BY (`e`)']);
  });
  it('a view never gets OPTIMIZE', () => {
    expect(materializeStatements({ model: { ...base, materialized: 'view', config: { zorder_by: ['a'] } }, select: 'SELECT 1' }).post).toEqual([]);
  });
  it('an incremental model without a strategy merges with a unique_key and appends without one', () => {
    const inc = (config: ManifestModel['config']) => materializeStatements({ model: { ...base, materialized: 'incremental', config }, select: 'SELECT 1' }).incremental![1]!;
    expect(inc({ unique_key: ['a'] })).toMatch(/^MERGE INTO gold\.t/);
    expect(inc({})).toBe('INSERT INTO gold.t\nSELECT 1');
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

  it('a trailing semicolon in a model does not end up inside the emitted statements', () => {
    const s = m('child_semicolon');
    expect(s.compiledSql).not.toMatch(/;\s*$/);
    for (const stmt of [...s.statements.full, ...(s.statements.incremental ?? [])]) expect(stmt, stmt).not.toContain(';');
  });
});
