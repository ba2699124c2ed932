import { describe, expect, it, beforeAll } from 'vitest';
import type { IngestionJobSpec, KafkaExtract, SalesforceExtract, SnowflakeExtract } from '../../compiler/emit/ingestion-jobs.js';
import { referenceJobs } from './helpers/jobs.js';
import { selectSources } from '../../runtime/ingest/select-sources.js';
import type { ManifestSource } from '../../compiler/manifest/types.js';

let jobs: Record<string, IngestionJobSpec>;
beforeAll(async () => {
  jobs = await referenceJobs('data/warehouse/bronze');
});

describe('ingestionJobFor (the 9 reference tables)', () => {
  it('emits one job per source table', () => {
    expect(Object.keys(jobs).sort()).toEqual([
      'source.kafka.inventory_updates',
      'source.kafka.order_events',
      'source.kafka.user_events',
      'source.salesforce.accounts',
      'source.salesforce.leads',
      'source.salesforce.opportunities',
      'source.snowflake.customer_orders',
      'source.snowflake.financial_transactions',
      'source.snowflake.product_catalog',
    ]);
  });

  it('Snowflake: quoted upper-case names, cursor windows with binds, window size from the declaration', () => {
    const j = jobs['source.snowflake.customer_orders']!;
    const x = j.extract as SnowflakeExtract;
    expect(x.table).toBe('"RAW_DATA"."PUBLIC"."CUSTOMER_ORDERS"');
    expect(x.windowQuery).toMatch(/^SELECT "ORDER_ID", "CUSTOMER_ID", .* FROM "RAW_DATA"\."PUBLIC"\."CUSTOMER_ORDERS" WHERE "UPDATED_AT" >= \? AND "UPDATED_AT" < \? ORDER BY "UPDATED_AT"$/);
    expect(x.windowSeconds).toBe(86400);
    expect((jobs['source.snowflake.product_catalog']!.extract as SnowflakeExtract).windowSeconds).toBe(7 * 86400);
    expect(j.cursor).toEqual({ column: 'updated_at', sourceName: 'UPDATED_AT', type: 'timestamp' });
    expect(j.drift).toBe('quarantine');
  });

  it('Salesforce: field names from .from(), SystemModstamp windows, deleted flag', () => {
    const j = jobs['source.salesforce.leads']!;
    const x = j.extract as SalesforceExtract;
    expect(x.object).toBe('Lead');
    expect(x.fields.slice(0, 3)).toEqual(['Id', 'FirstName', 'LastName']);
    expect(x.windowSoql).toBe(`SELECT ${x.fields.join(', ')} FROM Lead WHERE SystemModstamp >= {start} AND SystemModstamp < {end} ORDER BY SystemModstamp`);
    expect(x.includeDeleted).toBe(true);
    expect(x.deletedField).toBe('IsDeleted');
  });

  it('Kafka: consumer group per job, rotation from the declaration, event time column', () => {
    const x = jobs['source.kafka.user_events']!.extract as KafkaExtract;
    expect(x.consumerGroup).toBe('lakehouse-etl.enterprise_lakehouse.kafka.user_events');
    expect(x.rotation).toEqual({ maxRecords: 50000, maxBytes: 64 * 1024 * 1024, maxRecordTimeSpanSeconds: 3600 });
    expect(x.eventTimeColumn).toBe('event_timestamp');
    expect(x.partitions).toBe(12);
  });

  it('bronze: declared columns then metadata columns, the location and registration statements', () => {
    const j = jobs['source.kafka.order_events']!;
    const names = j.bronze.fileColumns.map((c) => c.name);
    expect(names.slice(0, j.columns.length)).toEqual(j.columns.map((c) => c.name));
    expect(names.slice(j.columns.length)).toEqual(['_run_id', '_extracted_at', '_source', '_cursor_value', '_is_deleted', '_topic', '_partition', '_offset', '_kafka_timestamp', '_key']);
    expect(j.bronze.location).toBe('data/warehouse/bronze/kafka/order_events');
    expect(j.bronze.relation).toBe('bronze.kafka_order_events');
    expect(j.bronze.partitionBy).toEqual(['ingest_date']);
  });

  it('--select matches names, ids and globs', () => {
    const sources = Object.values(jobs).map((j) => ({ id: j.id, sourceName: j.sourceName, table: j.table, system: j.system }) as ManifestSource);
    const ids = (p: string[]) => selectSources(sources, p).map((s) => s.id);
    expect(ids(['kafka'])).toHaveLength(3);
    expect(ids(['snowflake.customer_orders'])).toEqual(['source.snowflake.customer_orders']);
    expect(ids(['*.accounts', 'source.kafka.user_events'])).toEqual(['source.kafka.user_events', 'source.salesforce.accounts']);
    expect(ids(['nope'])).toEqual([]);
  });
});
