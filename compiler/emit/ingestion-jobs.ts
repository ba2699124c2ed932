/**
 * One ingestion job spec per source table: everything `etl ingest` needs to move that table into
 * bronze (where to read, how to window it, which columns and types to land, where to write), derived
 * from the typed source declaration alone. Pure: the compile core calls it and writes the result to
 * `target/ingestion/<source id>.json`.
 */
import type { Manifest, ManifestColumn, ManifestSource, SourceSystem } from '../manifest/types.js';

export const INGESTION_JOB_VERSION = 1 as const;

/** A declared column with the name the source system uses for it. */
export interface JobColumn extends ManifestColumn {
  /** Snowflake column (upper case unless declared otherwise), Salesforce field, or JSON key. */
  sourceName: string;
  primaryKey: boolean;
}

export interface SnowflakeExtract {
  kind: 'snowflake';
  /** Fully qualified, quoted: `"RAW_DATA"."PUBLIC"."CUSTOMER_ORDERS"`. */
  table: string;
  /** Window query; `?` binds are window start (inclusive) and end (exclusive). */
  windowQuery: string;
  /** Smallest cursor at or after `?`, below `?`: lets the job jump over empty windows. */
  nextCursorQuery: string;
  /** Used when the table has no cursor: the whole table, every run. */
  fullQuery: string;
  windowSeconds: number;
}

export interface SalesforceExtract {
  kind: 'salesforce';
  object: string;
  /** SOQL field list in declared column order. */
  fields: string[];
  /** SOQL template; `{start}` and `{end}` are replaced by ISO-8601 literals. */
  windowSoql: string;
  nextCursorSoql: string;
  countSoql: string;
  fullSoql: string;
  windowSeconds: number;
  includeDeleted: boolean;
  /** Windows expected to hold more rows than this go through Bulk API 2.0. */
  bulkThreshold: number;
  /** Field holding the deleted flag, when declared. */
  deletedField?: string;
}

export interface KafkaExtract {
  kind: 'kafka';
  topic: string;
  partitions: number;
  valueFormat: 'json' | 'avro';
  consumerGroup: string;
  keyColumn?: string;
  eventTimeColumn?: string;
  rotation: { maxRecords: number; maxBytes: number; maxRecordTimeSpanSeconds: number };
}

export interface IngestionJobSpec {
  jobVersion: typeof INGESTION_JOB_VERSION;
  id: string;
  system: SourceSystem;
  sourceName: string;
  table: string;
  /** System connection settings; secrets stay `{ env: NAME }` references. */
  connection: Record<string, unknown>;
  columns: JobColumn[];
  primaryKey: string[];
  /** Cursor column (declared name) and its name in the source system. */
  cursor?: { column: string; sourceName: string; type: string };
  extract: SnowflakeExtract | SalesforceExtract | KafkaExtract;
  drift: ManifestSource['drift'];
  bronze: {
    relation: string;
    /** Table root: local path relative to the project, or `s3://bucket/prefix`. */
    location: string;
    partitionBy: string[];
    /** Declared columns, then metadata columns: the exact Parquet file schema. */
    fileColumns: ManifestColumn[];
    /** Under the table root; Spark skips names starting with `_`. */
    stateKey: string;
    manifestsPrefix: string;
    quarantinePrefix: string;
    /** Spark SQL that registers the table and its new partitions. */
    statements: string[];
  };
  checksum: string;
}

const DEFAULT_WINDOW_SECONDS = 86_400;
const DEFAULT_BULK_THRESHOLD = 50_000;
const DEFAULT_ROTATION = { maxRecords: 50_000, maxBytes: 64 * 1024 * 1024, maxRecordTimeSpanSeconds: 3_600 };

export function ingestionJobFor(source: ManifestSource, manifest: Pick<Manifest, 'project'>): IngestionJobSpec {
  const s = source.settings;
  const columns: JobColumn[] = source.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    classification: c.classification,
    primaryKey: c.primaryKey,
    sourceName: c.sourceName ?? (source.system === 'snowflake' ? c.name.toUpperCase() : c.name),
  }));
  const cursorColumn = source.cursor ? columns.find((c) => c.name === source.cursor) : undefined;
  const cursor = cursorColumn ? { column: cursorColumn.name, sourceName: cursorColumn.sourceName, type: cursorColumn.type } : undefined;
  const windowSeconds = durationSeconds(s.windowSize) ?? DEFAULT_WINDOW_SECONDS;

  let extract: IngestionJobSpec['extract'];
  if (source.system === 'snowflake') {
    const conn = source.connection as { database?: string; schema?: string };
    const table = [conn.database, conn.schema, String(s.table ?? source.table.toUpperCase())]
      .filter((p): p is string => Boolean(p))
      .map(quoteSnowflake)
      .join('.');
    const select = `SELECT ${columns.map((c) => quoteSnowflake(c.sourceName)).join(', ')} FROM ${table}`;
    const cur = cursor ? quoteSnowflake(cursor.sourceName) : '';
    extract = {
      kind: 'snowflake',
      table,
      windowQuery: cursor ? `${select} WHERE ${cur} >= ? AND ${cur} < ? ORDER BY ${cur}` : select,
      nextCursorQuery: cursor ? `SELECT MIN(${cur}) FROM ${table} WHERE ${cur} >= ? AND ${cur} < ?` : '',
      fullQuery: select,
      windowSeconds,
    };
  } else if (source.system === 'salesforce') {
    const object = String(s.object ?? source.table);
    const fields = columns.map((c) => c.sourceName);
    const cur = cursor?.sourceName ?? 'SystemModstamp';
    const select = `SELECT ${fields.join(', ')} FROM ${object}`;
    const where = `WHERE ${cur} >= {start} AND ${cur} < {end}`;
    const deleted = columns.find((c) => c.sourceName === 'IsDeleted');
    extract = {
      kind: 'salesforce',
      object,
      fields,
      windowSoql: `${select} ${where} ORDER BY ${cur}`,
      nextCursorSoql: `SELECT MIN(${cur}) FROM ${object} WHERE ${cur} >= {start} AND ${cur} < {end}`,
      countSoql: `SELECT COUNT() FROM ${object} ${where}`,
      fullSoql: select,
      windowSeconds,
      includeDeleted: s.includeDeleted !== false,
      bulkThreshold: typeof s.bulkThreshold === 'number' ? s.bulkThreshold : DEFAULT_BULK_THRESHOLD,
      ...(deleted ? { deletedField: deleted.sourceName } : {}),
    };
  } else {
    const conn = source.connection as { consumerGroupPrefix?: string };
    const rotation = (s.rotation ?? {}) as { maxRecords?: number; maxBytes?: number; maxRecordTimeSpan?: string };
    extract = {
      kind: 'kafka',
      topic: String(s.topic ?? source.table),
      partitions: Number(s.partitions ?? 1),
      valueFormat: s.valueFormat === 'avro' ? 'avro' : 'json',
      consumerGroup: `${conn.consumerGroupPrefix ?? 'lakehouse-etl'}.${manifest.project.name}.${source.sourceName}.${source.table}`,
      ...(typeof s.keyColumn === 'string' ? { keyColumn: s.keyColumn } : {}),
      ...(typeof s.eventTimeColumn === 'string' ? { eventTimeColumn: s.eventTimeColumn } : {}),
      rotation: {
        maxRecords: rotation.maxRecords ?? DEFAULT_ROTATION.maxRecords,
        maxBytes: rotation.maxBytes ?? DEFAULT_ROTATION.maxBytes,
        maxRecordTimeSpanSeconds: durationSeconds(rotation.maxRecordTimeSpan) ?? DEFAULT_ROTATION.maxRecordTimeSpanSeconds,
      },
    };
  }

  const fileColumns: ManifestColumn[] = [
    ...columns.map(({ name, type, nullable, classification }) => ({ name, type, nullable, classification })),
    ...source.bronze.metadataColumns,
  ];
  return {
    jobVersion: INGESTION_JOB_VERSION,
    id: source.id,
    system: source.system,
    sourceName: source.sourceName,
    table: source.table,
    connection: source.connection,
    columns,
    primaryKey: source.primaryKey,
    ...(cursor ? { cursor } : {}),
    extract,
    drift: source.drift,
    bronze: {
      relation: source.bronze.relation,
      location: source.bronze.location,
      partitionBy: source.bronze.partitionBy,
      fileColumns,
      stateKey: '_etl/state.json',
      manifestsPrefix: '_etl/manifests/',
      quarantinePrefix: '_quarantine/',
      statements: source.bronze.statements,
    },
    checksum: source.checksum,
  };
}

function quoteSnowflake(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function durationSeconds(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)([smhd])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[m[2] as 's' | 'm' | 'h' | 'd'];
}
