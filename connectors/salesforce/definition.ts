/** Salesforce: sObjects through jsforce (REST pages, Bulk API 2.0 above a threshold) in SystemModstamp windows. */
import { z } from 'zod';
import { defineConnector, durationSchema, durationSeconds, envRefSchema } from '../definition.js';

const authSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('refresh_token'), clientId: envRefSchema, clientSecret: envRefSchema, refreshToken: envRefSchema }),
  z.strictObject({ kind: z.literal('jwt_bearer'), clientId: envRefSchema, username: envRefSchema, privateKeyPath: envRefSchema }),
]);

export const salesforceConnectionSchema = z.strictObject({
  loginUrl: z.url(),
  instanceUrl: z.url().optional(),
  apiVersion: z.literal('58.0'),
  auth: authSchema,
});

export const salesforceTableSchema = z.strictObject({
  /** sObject API name (e.g. `Lead`); defaults to the table key. */
  object: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'must be an sObject API name (letters, digits, _), e.g. Account or Invoice__c: it is written into SOQL').optional(),
  /** Bulk API 2.0 for windows expected above this many rows (default 50,000). */
  bulkThreshold: z.number().int().positive().optional(),
  /** queryAll, so deleted records arrive flagged (default true). */
  includeDeleted: z.boolean().optional(),
  windowSize: durationSchema.optional(),
});

export const salesforceExtractSchema = z.strictObject({
  kind: z.literal('salesforce'),
  object: z.string(),
  /** SOQL field list in declared column order. */
  fields: z.array(z.string()),
  /** Field the windows are cut on: the cursor, or SystemModstamp. */
  cursorField: z.string(),
  /** SOQL templates; `{start}` and `{end}` are replaced by ISO-8601 literals, nothing else. */
  windowSoql: z.string(),
  /** The window without ORDER BY, for Bulk API 2.0 jobs. */
  bulkWindowSoql: z.string(),
  nextCursorSoql: z.string(),
  countSoql: z.string(),
  fullSoql: z.string(),
  windowSeconds: z.number().positive(),
  includeDeleted: z.boolean(),
  bulkThreshold: z.number().int().positive(),
  /** Field holding the deleted flag, when declared. */
  deletedField: z.string().optional(),
});

export type SalesforceConnection = z.input<typeof salesforceConnectionSchema>;
export type SalesforceTableSettings = z.input<typeof salesforceTableSchema>;
export type SalesforceExtract = z.output<typeof salesforceExtractSchema>;

const DEFAULT_WINDOW_SECONDS = 86_400;
const DEFAULT_BULK_THRESHOLD = 50_000;

export const salesforce = defineConnector({
  system: 'salesforce',
  summary: 'Salesforce objects through jsforce (REST and Bulk API 2.0)',
  connection: salesforceConnectionSchema,
  table: salesforceTableSchema,
  columnSettings: [],
  metadataColumns: [],
  sourceColumnName: (declared) => declared,
  extract: salesforceExtractSchema,
  emitExtract({ settings, columns, cursor, table }) {
    const object = settings.object ?? table;
    const fields = columns.map((c) => c.sourceName);
    const cursorField = cursor?.sourceName ?? 'SystemModstamp';
    const select = `SELECT ${fields.join(', ')} FROM ${object}`;
    const where = `WHERE ${cursorField} >= {start} AND ${cursorField} < {end}`;
    const deleted = columns.find((c) => c.sourceName === 'IsDeleted');
    return {
      kind: 'salesforce' as const,
      object,
      fields,
      cursorField,
      windowSoql: `${select} ${where} ORDER BY ${cursorField}`,
      bulkWindowSoql: `${select} ${where}`,
      nextCursorSoql: `SELECT MIN(${cursorField}) FROM ${object} ${where}`,
      countSoql: `SELECT COUNT() FROM ${object} ${where}`,
      fullSoql: select,
      windowSeconds: durationSeconds(settings.windowSize) ?? DEFAULT_WINDOW_SECONDS,
      includeDeleted: settings.includeDeleted !== false,
      bulkThreshold: settings.bulkThreshold ?? DEFAULT_BULK_THRESHOLD,
      ...(deleted ? { deletedField: deleted.sourceName } : {}),
    };
  },
  run: async () => (await import('./ingest.js')).runSalesforceJob,
});
