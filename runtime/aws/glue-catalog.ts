/**
 * Writes the Glue Data Catalog: layer databases, table upserts, bronze partitions. Every call
 * is idempotent, so a re-run or a concurrent ingestion run converges on the same catalog.
 */
import {
  BatchCreatePartitionCommand,
  CreateDatabaseCommand,
  CreateTableCommand,
  GetTableCommand,
  UpdateTableCommand,
  type PartitionInput,
  type TableInput,
} from '@aws-sdk/client-glue';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { LayerName, Manifest, ManifestSource } from '../../compiler/manifest/types.js';
import { createAwsClients, type SdkClient } from './clients.js';
import { AwsTargetError, awsCall, explainAwsError } from './errors.js';
import { bronzeTableRequest, s3Location, type GlueTableRequest } from './glue-tables.js';
import { parseEmrSettings } from './settings.js';

export interface GlueDatabaseRequest {
  Name: string;
  Description: string;
  LocationUri?: string;
  Parameters: Record<string, string>;
}

const LAYERS: LayerName[] = ['bronze', 'silver', 'gold'];

/** One database per layer, plus any database a model's config names. */
export function glueDatabaseRequests(manifest: Manifest, tables: GlueTableRequest[]): GlueDatabaseRequest[] {
  const byName = new Map<string, GlueDatabaseRequest>();
  for (const layer of LAYERS) {
    const settings = manifest.target.layers[layer];
    byName.set(settings.database, {
      Name: settings.database,
      Description: `${layer} layer of ${manifest.project.name} (managed by lakehouse-etl)`,
      ...(settings.root.startsWith('s3') ? { LocationUri: s3Location(settings.root, `layer ${layer}`) } : {}),
      Parameters: { 'etl:managed_by': 'lakehouse-etl', 'etl:layer': layer },
    });
  }
  for (const t of tables) {
    if (!byName.has(t.database)) {
      byName.set(t.database, {
        Name: t.database,
        Description: `database of ${t.relation} (managed by lakehouse-etl)`,
        Parameters: { 'etl:managed_by': 'lakehouse-etl' },
      });
    }
  }
  return [...byName.values()];
}

export async function ensureDatabases(glue: SdkClient, databases: GlueDatabaseRequest[], catalogId?: string): Promise<string[]> {
  const created: string[] = [];
  for (const db of databases) {
    try {
      await glue.send(new CreateDatabaseCommand({ ...(catalogId ? { CatalogId: catalogId } : {}), DatabaseInput: db }));
      created.push(db.Name);
    } catch (err) {
      if ((err as { name?: string }).name === 'AlreadyExistsException') continue;
      throw explainAwsError(err, 'glue:CreateDatabase', db.Name);
    }
  }
  return created;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the table or brings it to the wanted definition. Parameters other engines added
 * (Spark's `spark.sql.create.version`, Lake Formation's) are kept; ours win on conflict.
 */
export async function upsertTable(glue: SdkClient, request: GlueTableRequest, catalogId?: string): Promise<UpsertOutcome> {
  const ids = { ...(catalogId ? { CatalogId: catalogId } : {}), DatabaseName: request.database };
  let existing: TableInput | undefined;
  try {
    const got = await glue.send(new GetTableCommand({ ...ids, Name: request.tableInput.Name! }));
    existing = got.Table as TableInput;
  } catch (err) {
    if ((err as { name?: string }).name !== 'EntityNotFoundException') {
      throw explainAwsError(err, 'glue:GetTable', request.relation);
    }
  }
  if (!existing) {
    await awsCall('glue:CreateTable', request.relation, () => glue.send(new CreateTableCommand({ ...ids, TableInput: request.tableInput })));
    return 'created';
  }
  const wanted: TableInput = {
    ...request.tableInput,
    Parameters: { ...foreignParameters(existing.Parameters), ...request.tableInput.Parameters },
  };
  if (sameDefinition(existing, wanted)) return 'unchanged';
  await awsCall('glue:UpdateTable', request.relation, () => glue.send(new UpdateTableCommand({ ...ids, TableInput: wanted })));
  return 'updated';
}

function foreignParameters(params: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(params ?? {}).filter(([k]) => !k.startsWith('etl:')));
}

function sameDefinition(a: TableInput, b: TableInput): boolean {
  const shape = (t: TableInput) =>
    JSON.stringify({
      d: t.Description ?? null,
      o: t.Owner ?? null,
      p: Object.entries(t.Parameters ?? {}).sort(([x], [y]) => x.localeCompare(y)),
      k: (t.PartitionKeys ?? []).map((c) => [c.Name, c.Type]),
      c: (t.StorageDescriptor?.Columns ?? []).map((c) => [c.Name, c.Type, c.Comment ?? null, c.Parameters ?? {}]),
      l: t.StorageDescriptor?.Location,
      s: t.StorageDescriptor?.SerdeInfo?.Parameters ?? {},
    });
  return shape(a) === shape(b);
}

export interface RegisterPartitionsOptions {
  /** A Glue client; by default one for the region from the standard credential chain. */
  glue?: SdkClient;
  /** The manifest's target: region and catalog id come from its `emr` settings. */
  target?: Manifest['target'];
  region?: string;
  catalogId?: string;
}

export interface RegisteredPartitions {
  created: string[];
  existing: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const BATCH = 100; // BatchCreatePartition's limit

/**
 * Registers bronze partitions (ingest dates, `YYYY-MM-DD`) in Glue as ingestion lands them.
 * Idempotent: partitions already registered are reported as `existing`. Creates the bronze
 * database and table first if the catalog does not have them yet.
 *
 *   await registerBronzePartitions(manifest.sources[id], ['2026-11-26'], { target: manifest.target });
 */
export async function registerBronzePartitions(
  source: ManifestSource,
  partitions: string[],
  options: RegisterPartitionsOptions = {},
): Promise<RegisteredPartitions> {
  const bad = partitions.filter((p) => !DATE.test(p) || Number.isNaN(Date.parse(`${p}T00:00:00Z`)));
  if (bad.length) {
    throw new AwsTargetError(
      'GLUE_BAD_PARTITION',
      `source ${source.id}: partition values ${bad.map((p) => JSON.stringify(p)).join(', ')} are not ingest dates`,
      'pass ingest_date values as YYYY-MM-DD strings',
    );
  }
  const settings = options.target ? parseEmrSettings(options.target) : undefined;
  const catalogId = options.catalogId ?? settings?.catalog_id;
  const glue = options.glue ?? createAwsClients(options.region ?? settings?.region ?? process.env.AWS_REGION ?? 'us-east-1').glue;
  const table = bronzeTableRequest(source);
  const unique = [...new Set(partitions)].sort();
  const result: RegisteredPartitions = { created: [], existing: [] };
  for (let i = 0; i < unique.length; i += BATCH) {
    const batch = unique.slice(i, i + BATCH);
    let errors = await createPartitions(glue, table, batch, catalogId);
    if (errors === TABLE_MISSING || errors.some((e) => e.code === 'EntityNotFoundException')) {
      // Ingestion can land data before any build ran: create the database and table first.
      await ensureDatabases(glue, [{ Name: table.database, Description: 'bronze layer (managed by lakehouse-etl)', Parameters: { 'etl:managed_by': 'lakehouse-etl', 'etl:layer': 'bronze' } }], catalogId);
      await upsertTable(glue, table, catalogId);
      errors = await createPartitions(glue, table, batch, catalogId);
      if (errors === TABLE_MISSING) throw new AwsTargetError('GLUE_TABLE_MISSING', `${table.relation} is still missing after it was created`);
    }
    const failed = errors.filter((e) => e.code !== 'AlreadyExistsException');
    if (failed.length) {
      throw new AwsTargetError(
        'GLUE_PARTITIONS_FAILED',
        `glue:BatchCreatePartition on ${table.relation} failed for ${failed.map((e) => `${e.value} (${e.code}: ${e.message})`).join('; ')}`,
        'check the Glue permissions and that the bronze table definition is valid; re-running is safe',
      );
    }
    const existing = new Set(errors.filter((e) => e.code === 'AlreadyExistsException').map((e) => e.value));
    for (const value of batch) (existing.has(value) ? result.existing : result.created).push(value);
  }
  return result;
}

interface PartitionError {
  value: string;
  code: string;
  message: string;
}

const TABLE_MISSING = 'table-missing' as const;

async function createPartitions(glue: SdkClient, table: GlueTableRequest, values: string[], catalogId?: string): Promise<PartitionError[] | typeof TABLE_MISSING> {
  const sd = table.tableInput.StorageDescriptor!;
  const inputs: PartitionInput[] = values.map((value) => ({
    Values: [value],
    StorageDescriptor: { ...sd, Location: `${sd.Location}${table.tableInput.PartitionKeys![0]!.Name}=${value}/` },
    Parameters: { 'etl:managed_by': 'lakehouse-etl' },
  }));
  let out;
  try {
    out = await glue.send(
      new BatchCreatePartitionCommand({
        ...(catalogId ? { CatalogId: catalogId } : {}),
        DatabaseName: table.database,
        TableName: table.tableInput.Name!,
        PartitionInputList: inputs,
      }),
    );
  } catch (err) {
    if ((err as { name?: string }).name === 'EntityNotFoundException') return TABLE_MISSING;
    throw explainAwsError(err, 'glue:BatchCreatePartition', table.relation);
  }
  return ((out.Errors ?? []) as Array<{ PartitionValues?: string[]; ErrorDetail?: { ErrorCode?: string; ErrorMessage?: string } }>).map((e) => ({
    value: e.PartitionValues?.[0] ?? '?',
    code: e.ErrorDetail?.ErrorCode ?? 'Unknown',
    message: e.ErrorDetail?.ErrorMessage ?? '',
  }));
}

/**
 * Lists the `ingest_date=...` folders that exist under a bronze table on S3 and registers the
 * ones Glue lacks: catches up partitions landed while registration was unavailable.
 */
export async function syncBronzePartitions(
  s3: SdkClient,
  glue: SdkClient,
  source: ManifestSource,
  catalogId?: string,
): Promise<RegisteredPartitions> {
  const location = s3Location(source.bronze.location, `source ${source.id}`);
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(location)!;
  const key = source.bronze.partitionBy[0] ?? 'ingest_date';
  const dates: string[] = [];
  let token: string | undefined;
  do {
    const page = await awsCall('s3:ListBucket', `s3://${bucket}/${prefix}`, () =>
      s3.send(new ListObjectsV2Command({ Bucket: bucket!, Prefix: `${prefix}${key}=`, Delimiter: '/', ContinuationToken: token })),
    );
    for (const p of (page.CommonPrefixes ?? []) as Array<{ Prefix?: string }>) {
      const m = new RegExp(`${key}=(\\d{4}-\\d{2}-\\d{2})/$`).exec(p.Prefix ?? '');
      if (m) dates.push(m[1]!);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  if (!dates.length) return { created: [], existing: [] };
  return registerBronzePartitions(source, dates, { glue, ...(catalogId ? { catalogId } : {}) });
}
