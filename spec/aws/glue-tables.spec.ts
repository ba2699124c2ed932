import { describe, expect, it } from 'vitest';
import { AwsTargetError } from '../../runtime/aws/errors.js';
import { bronzeTableRequest, glueTableRequests, modelTableRequest } from '../../runtime/aws/glue-tables.js';
import { hiveTypeOf } from '../../runtime/aws/hive-types.js';
import { fixtureProject } from './fixtures/manifest.js';

describe('Spark types to Glue (Hive) types', () => {
  it.each([
    ['string', 'string'],
    ['INT', 'int'],
    ['bigint', 'bigint'],
    ['long', 'bigint'],
    ['DECIMAL(18, 2)', 'decimal(18,2)'],
    ['timestamp', 'timestamp'],
    ['date', 'date'],
    ['boolean', 'boolean'],
    ['array<string>', 'array<string>'],
    ['map<string, bigint>', 'map<string,bigint>'],
    ['struct<a: int, b: array<struct<c: decimal(10,0)>>>', 'struct<a:int,b:array<struct<c:decimal(10,0)>>>'],
  ])('%s -> %s', (spark, hive) => {
    expect(hiveTypeOf(spark, 'here')).toBe(hive);
  });

  it('names the column and the fix for a type Glue cannot take', () => {
    const err = (() => {
      try {
        hiveTypeOf('interval day', 'model m, column c');
      } catch (e) {
        return e as AwsTargetError;
      }
    })()!;
    expect(err).toBeInstanceOf(AwsTargetError);
    expect(err.message).toContain('model m, column c');
    expect(err.hint).toMatch(/data_type/);
  });
});

describe('Glue table inputs', () => {
  const { manifest } = fixtureProject();

  it('covers bronze sources and table/incremental models only', () => {
    expect(glueTableRequests(manifest).map((t) => t.relation)).toEqual([
      'bronze.kafka_order_events',
      'bronze.snowflake_customer_orders',
      'gold.dim_customers',
      'gold.fct_orders',
      'gold.mart_sales',
      'silver.stg_customer_orders',
    ]);
  });

  it('leaves out models deferred to production: an environment build never writes their catalog entries', () => {
    const deferred = { ...manifest, deferred: { 'model.stg_customer_orders': 'silver.stg_customer_orders' } };
    expect(glueTableRequests(deferred).map((t) => t.relation)).not.toContain('silver.stg_customer_orders');
    expect(glueTableRequests(deferred)).toHaveLength(glueTableRequests(manifest).length - 1);
  });

  it('describes bronze as external Parquet partitioned by ingest_date, with metadata columns', () => {
    const t = bronzeTableRequest(manifest.sources['source.kafka.order_events']!).tableInput;
    expect(t.TableType).toBe('EXTERNAL_TABLE');
    expect(t.PartitionKeys).toEqual([{ Name: 'ingest_date', Type: 'date' }]);
    expect(t.StorageDescriptor!.InputFormat).toMatch(/MapredParquetInputFormat$/);
    expect(t.StorageDescriptor!.Columns!.map((c) => c.Name)).toEqual([
      'event_id', 'order_id', 'attributes', 'event_time',
      '_run_id', '_extracted_at', '_source', '_cursor_value', '_is_deleted', '_topic', '_partition', '_offset', '_kafka_timestamp', '_key',
    ]);
    expect(t.Parameters).toMatchObject({ EXTERNAL: 'TRUE', classification: 'parquet', 'etl:source_system': 'kafka', 'etl:primary_key': 'event_id' });
  });

  it('describes a model as a Delta table Spark and Athena both recognise, with column classification', () => {
    const t = modelTableRequest(manifest.models['model.dim_customers']!).tableInput;
    expect(t.Parameters).toMatchObject({ table_type: 'DELTA', 'spark.sql.sources.provider': 'delta', 'etl:classification': 'pii,sensitive', 'etl:layer': 'gold' });
    expect(t.StorageDescriptor!.SerdeInfo!.Parameters!.path).toBe('s3://company-lakehouse/gold/dim_customers/');
    expect(t.StorageDescriptor!.Columns).toEqual([
      { Name: 'customer_email', Type: 'string', Parameters: { 'etl:classification': 'pii', 'etl:nullable': 'true' } },
      { Name: 'lifetime_value', Type: 'decimal(28,2)', Parameters: { 'etl:classification': 'sensitive', 'etl:nullable': 'true' } },
    ]);
  });

  it('refuses a manifest compiled for a local target', () => {
    const m = fixtureProject().manifest.models['model.mart_sales']!;
    m.relation!.location = 'data/warehouse/gold/mart_sales';
    expect(() => modelTableRequest(m)).toThrow(/not on S3/);
  });
});
