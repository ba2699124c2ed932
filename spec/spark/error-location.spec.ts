/**
 * A Spark error is pointed at the user's file through the position map the operation carries:
 * the statement knows where the query starts, the query where each part came from (the model's
 * template, or an ephemeral parent's file when Spark fails inside the inlined CTE).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderOperation } from '../../compiler/emit/spark-dialect.js';
import { compileProject, type CompileResult } from '../../compiler/index.js';
import { SparkSqlError } from '../../runtime/engines/spark/errors.js';
import { locateSparkError } from '../../runtime/runner/error-location.js';
import { fixture } from '../compiler/helpers.js';

let r: CompileResult;
beforeAll(async () => {
  r = await compileProject({ projectDir: fixture('materializations') });
});

function statementOf(id: string) {
  const node = r.plan.nodes[id];
  if (node?.kind !== 'model') throw new Error(`${id} is not a model node`);
  const op = node.full.find((o) => o.kind === 'CreateOrReplaceTableAs' || o.kind === 'CreateOrReplaceView')!;
  return renderOperation(op, (l) => `/w/${l.path}`).find((s) => s.query)!;
}

/** Where `needle` is in the statement, as Spark reports it: 1-based line, 0-based position. */
function sparkErrorAt(sql: string, needle: string): SparkSqlError {
  const at = sql.indexOf(needle);
  const before = sql.slice(0, at);
  const line = before.split('\n').length;
  return new SparkSqlError({ message: 'boom', line, position: at - (before.lastIndexOf('\n') + 1) } as SparkSqlError['info'], sql);
}

describe('runtime errors located through the position map', () => {
  it("points at the model's own line and column", () => {
    const st = statementOf('model.orders_append');
    const e = sparkErrorAt(st.sql, 'customer_id');
    expect(locateSparkError(e, st)).toEqual({ file: 'models/silver/orders_append.sql', line: 2, column: 18 });
  });

  it('points into the ephemeral parent when Spark fails inside its inlined CTE', () => {
    const st = statementOf('model.customer_revenue');
    const e = sparkErrorAt(st.sql, 'email IS NOT NULL');
    expect(locateSparkError(e, st)).toEqual({ file: 'models/silver/active_customers.sql', line: 4, column: 7 });
  });
});
