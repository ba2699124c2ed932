/**
 * What a source system is, for the compiler and the runtime alike: one `ConnectorDefinition` per
 * folder under `connectors/`. A definition is pure (zod schemas, column lists, functions over plain
 * data): the compiler imports it. Its runtime half (`ingest.ts`, with the system's heavy client) is
 * only reached through `run()`, a dynamic import, so loading a definition never loads a client.
 */
import { z } from 'zod';
import type { ManifestColumn } from '../compiler/manifest/types.js';
// Type-only: erased at run time, so the compiler never loads runtime code through this file.
import type { JobContext, JobResult } from '../runtime/ingest/job-context.js';
import type { JobColumn, JobCursor } from './job-spec.js';

/** Runs one ingestion job of this system into bronze. */
export type ConnectorRun = (ctx: JobContext) => Promise<JobResult>;

/** What a connector's job emission gets: the validated declaration of one table, plain data. */
export interface EmitInput<Connection, Table> {
  /** `source.<name>.<table>` */
  id: string;
  projectName: string;
  sourceName: string;
  table: string;
  connection: Connection;
  settings: Table;
  /** Declared columns with their names in the source system. */
  columns: JobColumn[];
  cursor?: JobCursor;
}

export interface ConnectorDefinition<
  System extends string = string,
  Connection extends z.ZodType = z.ZodType,
  Table extends z.ZodObject = z.ZodObject,
  Extract extends z.ZodType<{ kind: System }> = z.ZodType<{ kind: System }>,
> {
  /** The `system:` of a source declaration. */
  readonly system: System;
  /** One line for hints and docs. */
  readonly summary: string;
  /** The declaration's `connection:` (secrets as `env('NAME')`). */
  readonly connection: Connection;
  /** The system's own keys of a table declaration (the common ones — columns, cursor, drift... — are added by the loader). */
  readonly table: Table;
  /** Table keys whose value must name a declared column (checked with ETL115). */
  readonly columnSettings: readonly string[];
  /** Metadata columns this system lands after the common ones (`_run_id` ... `_is_deleted`). */
  readonly metadataColumns: readonly ManifestColumn[];
  /** The name a declared column has in the source system when `.from()` does not say. */
  sourceColumnName(declared: string): string;
  /** The job spec's `extract` part: validated when a job spec is read. */
  readonly extract: Extract;
  /** Builds the `extract` part of the job spec (queries, topics, folders) from the declaration. */
  emitExtract(input: EmitInput<z.output<Connection>, z.output<Table>>): z.output<Extract>;
  /** Loads the runtime half on demand. */
  run(): Promise<ConnectorRun>;
}

/** Identity with inference: a connector folder's `definition.ts` exports `defineConnector({...})`. */
export function defineConnector<System extends string, Connection extends z.ZodType, Table extends z.ZodObject, Extract extends z.ZodType<{ kind: System }>>(
  definition: ConnectorDefinition<System, Connection, Table, Extract>,
): ConnectorDefinition<System, Connection, Table, Extract> {
  return Object.freeze(definition);
}

/** A secret is only ever the name of an environment variable: `env('NAME')`. */
export const envRefSchema = z.strictObject({ env: z.string().min(1) });

/** `30s`, `30m`, `2h`, `1d`. */
export const durationSchema = z.templateLiteral([z.number().nonnegative(), z.enum(['s', 'm', 'h', 'd'])], {
  error: "expected a duration such as '30m', '2h' or '1d'",
});

export function durationSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

/** A metadata column of bronze (nullable unless said otherwise). */
export function metadataColumn(name: string, type: string, nullable = true): ManifestColumn {
  return { name, type, nullable, classification: [] };
}
