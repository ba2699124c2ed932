/**
 * Glue `TableInput`s for every table the build owns, built from the manifest alone (pure, so
 * `--dry-run` prints exactly what a real build sends).
 *
 * Bronze tables are Hive-style Parquet tables partitioned by `ingest_date` in Glue, which is
 * how Athena, EMR Spark and Spectrum find the files. Silver/gold tables are Delta: the Delta
 * log is the source of truth for schema and partitions, so Glue gets the real columns (for
 * Athena, Lake Formation and column-level classification), no Glue partitions, and the
 * parameters Spark/EMR (`spark.sql.sources.provider=delta`, SerDe `path`) and Athena
 * (`table_type=DELTA`) look for. Data classification goes in `etl:`-prefixed parameters
 * because Glue already uses `classification` for the file format.
 */
import type { Column, TableInput } from '@aws-sdk/client-glue';
import type { Manifest, ManifestColumn, ManifestModel, ManifestSource } from '../../compiler/manifest/types.js';
import { AwsTargetError } from './errors.js';
import { hiveTypeOf } from './hive-types.js';

export interface GlueTableRequest {
  database: string;
  /** `database.table`, for messages. */
  relation: string;
  /** Manifest node the table comes from. */
  node: string;
  tableInput: TableInput;
}

const PARQUET = {
  input: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  output: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
};
// What Spark itself writes for a Delta table in a Hive-compatible catalog.
const DELTA = {
  input: 'org.apache.hadoop.mapred.SequenceFileInputFormat',
  output: 'org.apache.hadoop.hive.ql.io.HiveSequenceFileOutputFormat',
  serde: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe',
};
const MAX_COMMENT = 255;
const MAX_DESCRIPTION = 2048;

/**
 * Glue tables for every bronze source and every model stored as a Delta table, except models deferred
 * to production (`--defer`): their tables are production's, which an environment's build never touches.
 */
export function glueTableRequests(manifest: Manifest): GlueTableRequest[] {
  const sources = Object.values(manifest.sources)
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(bronzeTableRequest);
  const models = Object.values(manifest.models)
    .filter((m) => isCatalogedModel(m) && !manifest.deferred[m.id])
    .sort((a, b) => a.id.localeCompare(b.id))
    .map(modelTableRequest);
  return [...sources, ...models];
}

/**
 * Views are registered by Spark itself when their step runs (a Glue view needs Spark's own
 * view text); ephemeral models have no table.
 */
export function isCatalogedModel(model: ManifestModel): boolean {
  return Boolean(model.relation) && (model.materialized === 'table' || model.materialized === 'incremental');
}

export function bronzeTableRequest(source: ManifestSource): GlueTableRequest {
  const b = source.bronze;
  const where = `source ${source.id} (bronze table ${b.relation})`;
  const location = s3Location(b.location, where);
  const declared = source.columns.map((c) => glueColumn(c, where));
  const metadata = b.metadataColumns.map((c) => glueColumn(c, where));
  const partitionKeys = b.partitionBy.map((name) => ({ Name: name, Type: name === 'ingest_date' ? 'date' : 'string' }));
  const partitionSet = new Set(b.partitionBy);
  return {
    database: b.database,
    relation: b.relation,
    node: source.id,
    tableInput: {
      Name: b.table,
      Description: truncate(source.description ?? `Raw landings of ${source.sourceName}.${source.table}`, MAX_DESCRIPTION),
      ...(source.owner ? { Owner: source.owner } : {}),
      TableType: 'EXTERNAL_TABLE',
      Parameters: {
        EXTERNAL: 'TRUE',
        classification: 'parquet',
        'parquet.compression': 'SNAPPY',
        ...etlParameters('bronze', source.id, source.checksum, source.columns, source.tags),
        'etl:source_system': source.system,
        ...(source.primaryKey.length ? { 'etl:primary_key': source.primaryKey.join(',') } : {}),
      },
      PartitionKeys: partitionKeys,
      StorageDescriptor: {
        // Partition columns live in the path, never in the files or the column list.
        Columns: [...declared, ...metadata].filter((c) => !partitionSet.has(c.Name!)),
        Location: location,
        InputFormat: PARQUET.input,
        OutputFormat: PARQUET.output,
        Compressed: true,
        StoredAsSubDirectories: false,
        SerdeInfo: { SerializationLibrary: PARQUET.serde, Parameters: { 'serialization.format': '1' } },
      },
    },
  };
}

export function modelTableRequest(model: ManifestModel): GlueTableRequest {
  if (!model.relation) throw new Error(`model ${model.id} has no relation`);
  const where = `model ${model.id} (${model.relation.fqn})`;
  const location = s3Location(model.relation.location, where);
  return {
    database: model.relation.database,
    relation: model.relation.fqn,
    node: model.id,
    tableInput: {
      Name: model.relation.table,
      Description: truncate(model.description ?? `Model ${model.name}`, MAX_DESCRIPTION),
      ...(model.owner ? { Owner: model.owner } : {}),
      TableType: 'EXTERNAL_TABLE',
      Parameters: {
        EXTERNAL: 'TRUE',
        table_type: 'DELTA',
        'spark.sql.sources.provider': 'delta',
        classification: 'delta',
        ...etlParameters(model.layer, model.id, model.checksum, model.columns, model.tags),
        'etl:materialized': model.materialized,
        ...(model.config.partition_by?.length ? { 'etl:partition_by': model.config.partition_by.join(',') } : {}),
        ...(model.config.unique_key?.length ? { 'etl:unique_key': model.config.unique_key.join(',') } : {}),
      },
      // Delta keeps its partitions in the log; Glue partitions would hide rows from Hive readers.
      PartitionKeys: [],
      StorageDescriptor: {
        Columns: model.columns.map((c) => glueColumn(c, where)),
        Location: location,
        InputFormat: DELTA.input,
        OutputFormat: DELTA.output,
        Compressed: false,
        StoredAsSubDirectories: false,
        SerdeInfo: { SerializationLibrary: DELTA.serde, Parameters: { 'serialization.format': '1', path: location } },
      },
    },
  };
}

function glueColumn(column: ManifestColumn, where: string): Column {
  return {
    Name: column.name,
    Type: hiveTypeOf(column.type, `${where}, column ${column.name}`),
    ...(column.description ? { Comment: truncate(column.description, MAX_COMMENT) } : {}),
    Parameters: {
      'etl:classification': column.classification.join(','),
      'etl:nullable': String(column.nullable),
    },
  };
}

function etlParameters(
  layer: string,
  node: string,
  checksum: string,
  columns: ManifestColumn[],
  tags: string[],
): Record<string, string> {
  const classes = [...new Set(columns.flatMap((c) => c.classification))].sort();
  return {
    'etl:managed_by': 'lakehouse-etl',
    'etl:layer': layer,
    'etl:node': node,
    'etl:checksum': checksum,
    'etl:classification': classes.join(','),
    ...(tags.length ? { 'etl:tags': [...tags].sort().join(',') } : {}),
  };
}

/** Glue and EMR expect `s3://` locations with a trailing slash for directories. */
export function s3Location(location: string, where: string): string {
  const m = /^s3a?:\/\/(.+)$/.exec(location);
  if (!m) {
    throw new AwsTargetError(
      'EMR_LOCAL_LOCATION',
      `${where}: location "${location}" is not on S3`,
      'compile with the emr target (etl compile --target emr) so layer roots are s3:// URIs',
    );
  }
  return `s3://${m[1]!.replace(/\/+$/, '')}/`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
