/** Snowflake: tables read through snowflake-sdk in cursor windows with the queries emitted here. */
import { z } from 'zod';
import { defineConnector, durationSchema, durationSeconds, envRefSchema } from '../definition.js';
import { checkedString, plainTextProblem } from '../../compiler/security/names.js';

const authSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('password'), username: envRefSchema, password: envRefSchema }),
  z.strictObject({ kind: z.literal('keypair'), username: envRefSchema, privateKeyPath: envRefSchema, privateKeyPassphrase: envRefSchema.optional() }),
  z.strictObject({ kind: z.literal('oauth'), token: envRefSchema }),
]);

export const snowflakeConnectionSchema = z.strictObject({
  account: z.string().min(1),
  warehouse: z.string().min(1),
  database: z.string().min(1),
  schema: z.string().min(1),
  role: z.string().optional(),
  auth: authSchema,
});

export const snowflakeTableSchema = z.strictObject({
  /** Table name in Snowflake (e.g. `CUSTOMER_ORDERS`); defaults to the table key upper-cased. */
  table: checkedString(plainTextProblem).optional(),
  /** Cursor span extracted per batch (default 1d). */
  windowSize: durationSchema.optional(),
});

export const snowflakeExtractSchema = z.strictObject({
  kind: z.literal('snowflake'),
  /** Fully qualified, quoted: `"RAW_DATA"."PUBLIC"."CUSTOMER_ORDERS"`. */
  table: z.string(),
  /** The columns the table has now (no rows), for drift detection. */
  columnsQuery: z.string(),
  /** Window query; `?` binds are window start (inclusive) and end (exclusive). Empty without a cursor. */
  windowQuery: z.string(),
  /** Smallest cursor at or after `?`, below `?`: lets the job jump over empty windows. */
  nextCursorQuery: z.string(),
  /** The whole table, every run: used when the table has no cursor. */
  fullQuery: z.string(),
  /**
   * `SELECT *` forms of the two above, run when schema drift means the declared column list cannot
   * be selected as is (a declared column is gone) or the whole record is wanted (quarantine).
   */
  windowQueryAllColumns: z.string(),
  fullQueryAllColumns: z.string(),
  windowSeconds: z.number().positive(),
});

export type SnowflakeConnection = z.input<typeof snowflakeConnectionSchema>;
export type SnowflakeTableSettings = z.input<typeof snowflakeTableSchema>;
export type SnowflakeExtract = z.output<typeof snowflakeExtractSchema>;

const DEFAULT_WINDOW_SECONDS = 86_400;
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const snowflake = defineConnector({
  system: 'snowflake',
  summary: 'Snowflake tables through snowflake-sdk (password, key pair or OAuth)',
  connection: snowflakeConnectionSchema,
  table: snowflakeTableSchema,
  columnSettings: [],
  metadataColumns: [],
  sourceColumnName: (declared) => declared.toUpperCase(),
  extract: snowflakeExtractSchema,
  emitExtract({ connection, settings, columns, cursor, table: tableKey }) {
    const table = [connection.database, connection.schema, settings.table ?? tableKey.toUpperCase()].map(quote).join('.');
    const from = `FROM ${table}`;
    const select = `SELECT ${columns.map((c) => quote(c.sourceName)).join(', ')} ${from}`;
    const cur = cursor ? quote(cursor.sourceName) : '';
    const window = cursor ? ` WHERE ${cur} >= ? AND ${cur} < ? ORDER BY ${cur}` : '';
    return {
      kind: 'snowflake' as const,
      table,
      columnsQuery: `SELECT * ${from} LIMIT 0`,
      windowQuery: cursor ? `${select}${window}` : '',
      nextCursorQuery: cursor ? `SELECT MIN(${cur}) ${from} WHERE ${cur} >= ? AND ${cur} < ?` : '',
      fullQuery: select,
      windowQueryAllColumns: cursor ? `SELECT * ${from}${window}` : '',
      fullQueryAllColumns: `SELECT * ${from}`,
      windowSeconds: durationSeconds(settings.windowSize) ?? DEFAULT_WINDOW_SECONDS,
    };
  },
  run: async () => (await import('./ingest.js')).runSnowflakeJob,
});
