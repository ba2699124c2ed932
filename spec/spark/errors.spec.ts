import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSparkError } from '../../runtime/engines/spark/errors.js';

// Real error texts returned by the Spark 3.5.6 Thrift Server (captured from hive-driver).
const captured = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'thrift-errors.json'), 'utf8')) as Array<{ sql: string; msg?: string; sqlState?: string }>;
const errorFor = (sqlStart: string) => {
  const e = captured.find((c) => c.sql.startsWith(sqlStart) && c.msg);
  if (!e) throw new Error(`no captured error for ${sqlStart}`);
  return parseSparkError(e.msg!, e.sqlState);
};

describe('parseSparkError', () => {
  it('keeps the message of an AnalysisException and drops the plan and the Java stack', () => {
    const info = errorFor('select nope');
    expect(info).toMatchObject({ errorClass: 'UNRESOLVED_COLUMN.WITH_SUGGESTION', kind: 'AnalysisException', sqlState: '42703', line: 1, position: 7 });
    expect(info.message).toBe('A column or function parameter with name `nope` cannot be resolved. Did you mean one of the following? [`id`].');
  });

  it('reports the line of a multi-line statement', () => {
    const info = errorFor('select\n  id,\n  bad_col');
    expect(info.line).toBe(3);
    expect(info.position).toBe(2);
  });

  it('parses ParseException positions and cuts the == SQL == excerpt', () => {
    const info = errorFor('selec 1');
    expect(info).toMatchObject({ errorClass: 'PARSE_SYNTAX_ERROR', kind: 'ParseException', line: 1, position: 0 });
    expect(info.message).toBe("Syntax error at or near 'selec'.");
  });

  it('keeps hints as detail, not in the one-line message', () => {
    const info = errorFor('select * from silver.missing');
    expect(info.message).toMatch(/^The table or view `silver`.`missing` cannot be found/);
    expect(info.detail).toMatch(/If you did not qualify the name/);
  });

  it('reports the task exception of a failed job, not the job wrapper', () => {
    const info = errorFor('select assert_true');
    expect(info.kind).toBe('RuntimeException');
    expect(info.message).toBe("'false' is not true!");
  });

  it('joins hard-wrapped first sentences (Delta MERGE errors)', () => {
    const info = errorFor('merge into');
    expect(info.errorClass).toBe('DELTA_MULTIPLE_SOURCE_ROW_MATCHING_TARGET_ROW_IN_MERGE');
    expect(info.message).toMatch(/^Cannot perform Merge as multiple source rows matched and attempted to modify the same target row in the Delta table/);
    expect(info.message).not.toContain('\n');
  });

  it('never leaves a stack frame in any captured message', () => {
    for (const c of captured.filter((x) => x.msg)) {
      const info = parseSparkError(c.msg!, c.sqlState);
      expect(`${info.message}\n${info.detail ?? ''}`).not.toMatch(/\n\s*at [\w$.]+\(/);
      expect(info.message).not.toMatch(/HiveSQLException|org\.apache/);
    }
  });
});
