/** Snowflake table -> bronze through snowflake-sdk: streamed, windowed by the cursor, lossless. */
import type { SnowflakeExtract } from './definition.js';
import type { JobContext, JobResult } from '../../runtime/ingest/job-context.js';
import { runWindowedJob, type WindowSource } from '../../runtime/ingest/window-loop.js';
import type { ObservedColumn, TypeFamily } from '../../runtime/ingest/drift.js';
import { connectSnowflake, destroy, queryAll, streamQuery, type SnowflakeSession } from './connection.js';
import { jobRetry } from '../../runtime/ingest/retry-policy.js';

/** Output formats that keep microseconds and offsets; the driver formats with these when fetching as text. */
const LOSSLESS_SESSION =
  "ALTER SESSION SET TIMEZONE = 'UTC', DATE_OUTPUT_FORMAT = 'YYYY-MM-DD', " +
  "TIMESTAMP_NTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6', " +
  "TIMESTAMP_LTZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM', " +
  "TIMESTAMP_TZ_OUTPUT_FORMAT = 'YYYY-MM-DD HH24:MI:SS.FF6 TZH:TZM'";

export async function runSnowflakeJob(ctx: JobContext): Promise<JobResult> {
  const extract = ctx.job.extract as SnowflakeExtract; // the registry dispatched this job here by its system
  const connection = await connectSnowflake(ctx.job, ctx.env, jobRetry(ctx));
  try {
    await queryAll(connection, LOSSLESS_SESSION);
  } catch (err) {
    await destroy(connection.connection);
    throw err;
  }
  return runWindowedJob(ctx, snowflakeWindowSource(connection, ctx, extract), extract.windowSeconds);
}

/**
 * Runs the queries the job spec carries, as emitted. The declared column list is selected unless
 * drift changed what can or should be selected (`fields` differs); then the spec's `SELECT *` forms run.
 */
function snowflakeWindowSource(connection: SnowflakeSession, ctx: JobContext, extract: SnowflakeExtract): WindowSource {
  const declared = ctx.job.columns.map((c) => c.sourceName);
  const asDeclared = (fields: string[]) => fields.length === declared.length && fields.every((f, i) => f === declared[i]);
  // Bind cursor bounds as text Snowflake casts implicitly: '2024-01-01 00:00:00.000000'.
  const bound = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  return {
    caseInsensitiveNames: true,
    async observedColumns() {
      const { statement } = await queryAll(connection, extract.columnsQuery);
      return (statement.getColumns() ?? []).map((c) => ({ name: c.getName(), type: c.getType(), family: family(c.getType()) }) satisfies ObservedColumn);
    },
    async nextCursor(startIso, endIso) {
      const { rows } = await queryAll(connection, extract.nextCursorQuery, [bound(startIso), bound(endIso)]);
      const first = rows[0];
      return first ? Object.values(first)[0] : undefined;
    },
    async *rows(startIso, endIso, fields) {
      const query = asDeclared(fields) ? extract.windowQuery : extract.windowQueryAllColumns;
      const { rows } = await streamQuery(connection, query, [bound(startIso), bound(endIso)]);
      yield* rows;
    },
    async *allRows(fields) {
      const { rows } = await streamQuery(connection, asDeclared(fields) ? extract.fullQuery : extract.fullQueryAllColumns);
      yield* rows;
    },
    close: () => destroy(connection.connection),
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
