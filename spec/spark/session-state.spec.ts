/**
 * Session state survives a failed operation: a reused Spark session must not stay in dynamic
 * partition-overwrite mode when the INSERT OVERWRITE fails, and the first failure is the one
 * reported. (The engine is driven through a recording stand-in for the Thrift session.)
 */
import { describe, expect, it } from 'vitest';
import type { Operation } from '../../compiler/plan/operations.js';
import type { SparkSession } from '../../runtime/engines/spark/client.js';
import { SparkSqlError } from '../../runtime/engines/spark/errors.js';
import { SparkThriftSession, StatementFailed } from '../../runtime/engines/spark/spark-engine.js';

function recordingSession(failOn: RegExp): { session: SparkSession; ran: string[] } {
  const ran: string[] = [];
  const session = {
    async execute(sql: string) {
      ran.push(sql);
      if (failOn.test(sql)) throw new SparkSqlError({ message: 'boom', kind: 'AnalysisException' } as SparkSqlError['info'], sql);
    },
    async query() {
      return { columns: [], rows: [] };
    },
  } as unknown as SparkSession;
  return { session, ran };
}

const insertOverwrite: Operation = {
  kind: 'InsertOverwrite',
  relation: { database: 'silver', table: 'by_day' },
  query: { sql: 'SELECT 1 AS x', files: ['models/silver/by_day.sql'], segments: [[0, 0, 2, 1, 1]] },
};

describe('the local engine keeps session state across failures', () => {
  it('restores static partition-overwrite mode when the insert fails, and reports the insert', async () => {
    const { session, ran } = recordingSession(/^INSERT OVERWRITE/);
    const engine = new SparkThriftSession(session, (l) => `/w/${l.path}`);
    const error = await engine.execute(insertOverwrite).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatementFailed);
    expect((error as StatementFailed).statement.sql).toMatch(/^INSERT OVERWRITE TABLE `silver`.`by_day`/);
    expect(ran).toEqual(['SET spark.sql.sources.partitionOverwriteMode = dynamic', expect.stringMatching(/^INSERT OVERWRITE/), 'SET spark.sql.sources.partitionOverwriteMode = static']);
  });

  it('runs the three statements in order when all succeed', async () => {
    const { session, ran } = recordingSession(/^$/);
    await new SparkThriftSession(session, (l) => l.path).execute(insertOverwrite);
    expect(ran.map((s) => s.split('\n')[0])).toEqual(['SET spark.sql.sources.partitionOverwriteMode = dynamic', 'INSERT OVERWRITE TABLE `silver`.`by_day`', 'SET spark.sql.sources.partitionOverwriteMode = static']);
  });
});
