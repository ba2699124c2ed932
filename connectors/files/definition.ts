/**
 * Files: a folder of JSON-lines files per table (one object per line), loaded incrementally by a
 * cursor column. The smallest system, and the example of adding one: everything it needs lives in
 * this folder (this definition, its ingest.ts) plus one line in connectors/registry.ts.
 */
import path from 'node:path';
import { z } from 'zod';
import { defineConnector, durationSchema, durationSeconds, metadataColumn } from '../definition.js';
import { checkedString, relativePathProblem } from '../../compiler/security/names.js';

export const filesConnectionSchema = z.strictObject({
  /** Root folder: absolute, or relative to the project directory `etl ingest` runs in. */
  directory: z.string().min(1),
});

export const filesTableSchema = z.strictObject({
  /** Folder of the table's files under `directory` (defaults to the table key). */
  folder: checkedString(relativePathProblem).pipe(z.string().min(1)).optional(),
  /** Cursor span landed per batch (default 1d). */
  windowSize: durationSchema.optional(),
});

export const filesExtractSchema = z.strictObject({
  kind: z.literal('files'),
  /** `directory/folder` as declared; resolved against the project directory at run time when relative. */
  folder: z.string(),
  /** Files read, by name ending; others in the folder are ignored. */
  extensions: z.array(z.string()).min(1),
  windowSeconds: z.number().positive(),
});

export type FilesConnection = z.input<typeof filesConnectionSchema>;
export type FilesTableSettings = z.input<typeof filesTableSchema>;
export type FilesExtract = z.output<typeof filesExtractSchema>;

export const files = defineConnector({
  system: 'files',
  summary: 'folders of JSON-lines files, one object per line',
  connection: filesConnectionSchema,
  table: filesTableSchema,
  columnSettings: [],
  metadataColumns: [metadataColumn('_file', 'string', false), metadataColumn('_line', 'bigint', false)],
  sourceColumnName: (declared) => declared,
  extract: filesExtractSchema,
  emitExtract({ connection, settings, table }) {
    return {
      kind: 'files' as const,
      folder: path.posix.join(connection.directory, settings.folder ?? table),
      extensions: ['.jsonl', '.ndjson'],
      windowSeconds: durationSeconds(settings.windowSize) ?? 86_400,
    };
  },
  run: async () => (await import('./ingest.js')).runFilesJob,
});
