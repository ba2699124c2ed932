/** Snowflake table -> bronze through snowflake-sdk: streamed, windowed by the cursor, lossless. */
import type snowflake from 'snowflake-sdk';
import type { SnowflakeExtract } from '../../../compiler/emit/ingestion-jobs.js';
import type { JobContext, JobResult } from '../../ingest/job-context.js';
import { runWindowedJob, type WindowSource } from '../window-loop.js';
import type { ObservedColumn, TypeFamily } from '../drift.js';
import { connectSnowflake, destroy, queryAll, streamQuery } from './connection.js';

/** Output formats that keep microseconds and offsets; the driver formats with these when fetching as text. */
const LOSSLESS_SESSION =
  "ALTER SESSION SET TIMEZONE = 'UTC', DATE_OUTPUT_FORMAT = 'YYYY-MM-DD', " +
  "TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6', " +
  "TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM', " +
  "TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'";

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function runSnowflakeJob(ctx: JobContext): Promise<JobResult> {
  const extract = ctx.job.extract as SnowflakeExtract;
  const connection = await connectSnowflake(ctx.job, ctx.env);
  try {
    await queryAll(connection, LOSSLESS_SESSION);
  } catch (err) {
    await destroy(connection);
    throw err;
  }
  return runWindowedJob(ctx, snowflakeWindowSource(connection, ctx, extract), extract.windowSeconds);
}

function snowflakeWindowSource(connection: snowflake.Connection, ctx: JobContext, extract: SnowflakeExtract): WindowSource {
  const cursor = ctx.job.cursor ? quote(ctx.job.cursor.sourceName) : '';
  const select = (fields: string[]) => `SELECT ${fields.map(quote).join(', ')} FROM ${extract.table}`;
  // Bind cursor bounds as text Snowflake casts implicitly: '2024-01-01 00:00:00.000000'.
  const bound = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  return {
    caseInsensitiveNames: true,
    async observedColumns() {
      const { statement } = await queryAll(connection, `SELECT * FROM ${extract.table} LIMIT 0`);
      return (statement.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType(), family: family(c.getType()) }) satisfies ObservedColumn);
    },
    async nextCursor(startIso, endIso) {
      const { rows } = await queryAll(connection, `SELECT MIN(${cursor}) FROM ${extract.table} WHERE ${cursor} >= ? AND ${cursor} < ?`, [bound(startIso), bound(endIso)]);
      const first = rows[0];
      return first ? Object.values(first)[0] : undefined;
    },
    async *rows(startIso, endIso, fields) {
      const { rows } = await streamQuery(connection, `${select(fields)} WHERE ${cursor} >= ? AND ${cursor} < ? ORDER BY ${cursor}`, [bound(startIso), bound(endIso)]);
      yield* rows;
    },
    async *allRows(fields) {
      const { rows } = await streamQuery(connection, select(fields));
      yield* rows;
    },
    close: () => destroy(connection),
  };
}

function family(type: string): TypeFamily {
  switch (type.toLowerCase()) {
    case 'text':
      return 'string';
    case 'fixed':
      return 'integer';
    case 'real':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'timestamp_ntz':
    case 'timestamp_ltz':
    case 'timestamp_tz':
      return 'timestamp';
    case 'variant':
    case 'object':
    case 'array':
    case 'map':
      return 'nested';
    default:
      return 'any';
  }
}
