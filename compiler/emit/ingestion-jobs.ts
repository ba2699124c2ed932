/**
 * One ingestion job spec per source table: everything `etl ingest` needs to move that table into
 * bronze (where to read, how to window it, which columns and types to land, where to write), derived
 * from the typed source declaration alone. Pure: the compile core calls it and writes the result to
 * `target/ingestion/<source id>.json`; `etl ingest` executes that file as it is. The system-specific
 * part (`extract`: queries, topics, folders) comes from the system's connector definition.
 */
import { connectorFor, type KnownExtract } from '../../connectors/registry.js';
import { INGESTION_JOB_VERSION, type JobColumn, type JobSpec } from '../../connectors/job-spec.js';
import type { Manifest, ManifestColumn, ManifestSource } from '../manifest/types.js';

export { INGESTION_JOB_VERSION };
export type { JobColumn };
export type { SnowflakeExtract } from '../../connectors/snowflake/definition.js';
export type { SalesforceExtract } from '../../connectors/salesforce/definition.js';
export type { KafkaExtract } from '../../connectors/kafka/definition.js';
export type { FilesExtract } from '../../connectors/files/definition.js';

/** A job spec of any known system; narrow `extract` by its `kind`. */
export type IngestionJobSpec = JobSpec<KnownExtract>;

export function ingestionJobFor(source: ManifestSource, manifest: Pick<Manifest, 'project'>): IngestionJobSpec {
  const connector = connectorFor(source.system);
  // The loader admits only registered systems with valid settings; anything else is a bug upstream.
  if (!connector) throw new Error(`${source.id}: no connector for system '${source.system}'`);
  const connection = connector.connection.parse(source.connection);
  const settings = connector.table.parse(source.settings);
  const columns: JobColumn[] = source.columns.map((c) => ({
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    classification: c.classification,
    primaryKey: c.primaryKey,
    sourceName: c.sourceName ?? connector.sourceColumnName(c.name),
  }));
  const cursorColumn = source.cursor ? columns.find((c) => c.name === source.cursor) : undefined;
  const cursor = cursorColumn ? { column: cursorColumn.name, sourceName: cursorColumn.sourceName, type: cursorColumn.type } : undefined;
  const extract = connector.emitExtract({
    id: source.id,
    projectName: manifest.project.name,
    sourceName: source.sourceName,
    table: source.table,
    connection,
    settings,
    columns,
    ...(cursor ? { cursor } : {}),
  }) as KnownExtract;
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
    },
    checksum: source.checksum,
  };
}
