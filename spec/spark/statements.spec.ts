import { describe, expect, it } from 'vitest';
import { parseMerge } from '../../runtime/engines/spark/merge-source.js';
import { parseRtas } from '../../runtime/engines/spark/replace-table.js';
import { replaceRelation, typedRowsSql } from '../../runtime/runner/unit-tests.js';

describe('engine work-around parsing', () => {
  it('splits CREATE OR REPLACE TABLE ... AS into header and query, past the query\'s leading comments', () => {
    const sql = [
      'CREATE OR REPLACE TABLE silver.orders',
      'USING DELTA',
      'PARTITIONED BY (`order_date`)',
      "LOCATION '/w/silver/orders'",
      'AS',
      '-- the model header comment, AS it often says',
      'WITH a AS (SELECT 1 AS x)',
      'SELECT x AS y FROM a',
    ].join('\n');
    const r = parseRtas(sql)!;
    expect(r.table).toBe('silver.orders');
    expect(r.header).toBe("USING DELTA\nPARTITIONED BY (`order_date`)\nLOCATION '/w/silver/orders'");
    expect(r.query.startsWith('-- the model header comment')).toBe(true);
    expect(r.query.endsWith('SELECT x AS y FROM a')).toBe(true);
  });

  it('does not take a plain CREATE TABLE or a view for a replace', () => {
    expect(parseRtas('CREATE TABLE silver.x USING DELTA AS SELECT 1')).toBeUndefined();
    expect(parseRtas('CREATE OR REPLACE VIEW silver.x AS SELECT 1')).toBeUndefined();
  });

  it('takes the source query out of a MERGE, nested parentheses included', () => {
    const sql = 'MERGE INTO silver.t AS target\nUSING (\nSELECT a.* FROM (SELECT 1 AS id) a LEFT JOIN silver.t cur ON (cur.id = a.id)\n) AS source\nON target.`id` = source.`id`\nWHEN MATCHED THEN UPDATE SET *\nWHEN NOT MATCHED THEN INSERT *';
    const m = parseMerge(sql)!;
    expect(m).toMatchObject({ target: 'silver.t', targetAlias: 'AS target', sourceAlias: 'source' });
    expect(m.source).toBe('SELECT a.* FROM (SELECT 1 AS id) a LEFT JOIN silver.t cur ON (cur.id = a.id)');
    expect(m.rest.startsWith('ON target.`id` = source.`id`')).toBe(true);
  });
});

describe('unit-test SQL', () => {
  it('points refs at the temp view, back-quoted or not, but not inside strings or longer names', () => {
    const sql = "SELECT * FROM silver.orders o JOIN `silver`.`orders` p ON 1=1 JOIN silver.orders_v2 q ON 1=1 WHERE note = 'silver.orders'";
    expect(replaceRelation(sql, 'silver.orders', 'v_in0')).toBe("SELECT * FROM v_in0 o JOIN v_in0 p ON 1=1 JOIN silver.orders_v2 q ON 1=1 WHERE note = 'silver.orders'");
  });

  it('types given rows by the declared schema and fills missing columns with NULL', () => {
    const sql = typedRowsSql([{ name: 'id', type: 'int' }, { name: 'tags', type: 'array<string>' }, { name: 'note', type: 'string' }], [{ id: 1, tags: ['a'] }, { id: 2, note: "it's" }], 'given');
    expect(sql).toContain('CAST(c0 AS int) AS `id`');
    expect(sql).toContain("from_json(c1, 'array<string>') AS `tags`");
    expect(sql).toContain(`('1', '["a"]', NULL)`);
    expect(sql).toContain(`('2', NULL, 'it\\'s')`);
  });

  it('rejects a given column the schema does not declare, naming it', () => {
    expect(() => typedRowsSql([{ name: 'id', type: 'int' }], [{ idd: 1 }], 'given orders_merge')).toThrow(/given orders_merge, row 1: column "idd" is not in the declared schema \(id\)/);
  });
});
