import { GetPartitionsCommand, GetTableCommand } from '@aws-sdk/client-glue';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { registerBronzePartitions, syncBronzePartitions } from '../../runtime/aws/glue-catalog.js';
import { fixtureProject } from './fixtures/manifest.js';
import { useMoto } from './moto-env.js';

const moto = useMoto('company-lakehouse');
const source = () => fixtureProject().manifest.sources['source.snowflake.customer_orders']!;

async function partitions() {
  const out = await moto.clients.glue.send(new GetPartitionsCommand({ DatabaseName: 'bronze', TableName: 'snowflake_customer_orders' }));
  return out.Partitions.map((p: any) => ({ value: p.Values[0], location: p.StorageDescriptor.Location, columns: p.StorageDescriptor.Columns.length })).sort((a: any, b: any) => a.value.localeCompare(b.value));
}

describe('bronze partitions in Glue', () => {
  it('creates the database and table if needed and registers each ingest date once', async () => {
    const first = await registerBronzePartitions(source(), ['2026-11-25', '2026-11-26'], { glue: moto.clients.glue });
    expect(first).toEqual({ created: ['2026-11-25', '2026-11-26'], existing: [] });
    const again = await registerBronzePartitions(source(), ['2026-11-26', '2026-11-27', '2026-11-27'], { glue: moto.clients.glue });
    expect(again).toEqual({ created: ['2026-11-27'], existing: ['2026-11-26'] });

    const table = (await moto.clients.glue.send(new GetTableCommand({ DatabaseName: 'bronze', Name: 'snowflake_customer_orders' }))).Table;
    expect(await partitions()).toEqual(
      ['2026-11-25', '2026-11-26', '2026-11-27'].map((d) => ({
        value: d,
        location: `s3://company-lakehouse/bronze/snowflake/customer_orders/ingest_date=${d}/`,
        columns: table.StorageDescriptor.Columns.length,
      })),
    );
  });

  it('registers more than one BatchCreatePartition call can carry', async () => {
    const days = Array.from({ length: 130 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10));
    const out = await registerBronzePartitions(source(), days, { glue: moto.clients.glue });
    expect(out.created).toHaveLength(130);
  });

  it('builds its own Glue client from the target settings when none is given (the ingestion call)', async () => {
    const { manifest } = fixtureProject();
    const out = await registerBronzePartitions(manifest.sources['source.kafka.order_events']!, ['2026-11-26'], { target: manifest.target });
    expect(out.created).toEqual(['2026-11-26']);
    const got = await moto.clients.glue.send(new GetPartitionsCommand({ DatabaseName: 'bronze', TableName: 'kafka_order_events' }));
    expect(got.Partitions[0].StorageDescriptor.Location).toBe('s3://company-lakehouse/bronze/kafka/order_events/ingest_date=2026-11-26/');
  });

  it('rejects values that are not ingest dates, naming them', async () => {
    await expect(registerBronzePartitions(source(), ['2026-13-01', 'yesterday'], { glue: moto.clients.glue })).rejects.toThrow(/"yesterday"/);
  });

  it('catches up on partitions already landed on S3', async () => {
    for (const key of ['ingest_date=2026-11-20/part-0.parquet', 'ingest_date=2026-11-21/part-0.parquet', '_tmp/ignored.parquet']) {
      await moto.clients.s3.send(new PutObjectCommand({ Bucket: 'company-lakehouse', Key: `bronze/snowflake/customer_orders/${key}`, Body: 'x' }));
    }
    await registerBronzePartitions(source(), ['2026-11-20'], { glue: moto.clients.glue });
    const out = await syncBronzePartitions(moto.clients.s3, moto.clients.glue, source());
    expect(out).toEqual({ created: ['2026-11-21'], existing: ['2026-11-20'] });
  });
});
