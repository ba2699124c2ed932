/**
 * Spark 3.5 (pyspark from .etl/venv-spark) registers the bronze tables with the manifest's own
 * statements and reads what ingestion landed: every column with its declared type, values exact.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSnowflakeJob } from '../../connectors/snowflake/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { writeParquetFile } from '../../runtime/bronze/parquet-writer.js';
import { projectRoot, referenceBronzeStatements, referenceJobs } from './helpers/jobs.js';

const run = promisify(execFile);
let dir: string;
let jobs: Record<string, IngestionJobSpec>;
let registration: Record<string, string[]>;
let server: SnowflakeServer | undefined;

beforeAll(async () => {
  await run('bash', [join(projectRoot, 'scripts/setup-spark.sh')], { timeout: 900_000 });
  dir = await mkdtemp(join(tmpdir(), 'spark-readback-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
  registration = await referenceBronzeStatements(join(dir, 'bronze'));
}, 900_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Spark reads bronze with the declared types', () => {
  it('customer_orders (via the Snowflake connector) and user_events (nested types)', async () => {
    const orders = jobs['source.snowflake.customer_orders']!;
    const source = generateRows(orders.columns, { rows: 300, timeColumn: 'updated_at', days: 3, seed: 21 });
    source[0]!.amount = '9999999999999999.99';
    source[0]!.updated_at = '2024-02-28T23:59:59.999999Z';
    server = await startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(orders, source)]), users: { ETL: { password: 'pw' } } });
    (orders.connection as Record<string, unknown>).auth = { kind: 'password', username: { env: 'U' }, password: { env: 'P' } };
    const result = await runSnowflakeJob({
      job: orders,
      store: new LocalObjectStore(orders.bronze.location),
      runId: 'r1',
      startedAt: new Date('2024-03-02T00:00:00Z'),
      env: { ETL_SNOWFLAKE_ACCESS_URL: server.url, U: 'etl', P: 'pw' },
      progress: () => {},
    });
    expect(result.rows).toBe(300);

    // Kafka-shaped table with struct and map columns, written by the same writer.
    const events = jobs['source.kafka.user_events']!;
    const eventRows = generateRows(events.columns, { rows: 50, timeColumn: 'event_timestamp', days: 1, seed: 5 }).map((r, i) => ({
      ...r,
      _run_id: 'r1',
      _extracted_at: '2024-03-02T00:00:00Z',
      _source: events.id,
      _cursor_value: String(i),
      _is_deleted: false,
      _topic: 'user_events',
      _partition: 0,
      _offset: i,
      _kafka_timestamp: '2024-03-01T00:00:00Z',
      _key: null,
    }));
    await writeParquetFile(join(events.bronze.location, 'ingest_date=2024-03-01/user_events+0+00000000000000000000.parquet'), events.bronze.fileColumns, eventRows);

    const specFile = join(dir, 'spark-spec.json');
    await writeFile(
      specFile,
      JSON.stringify({
        statements: [...registration[orders.id]!, ...registration[events.id]!],
        tables: [
          { relation: orders.bronze.relation, key: 'order_id', columns: ['order_id', 'amount', 'unit_price', 'order_date', 'updated_at', 'quantity', '_cursor_value', 'ingest_date'] },
          { relation: events.bronze.relation, key: 'event_id', columns: ['event_id', 'device', 'properties', 'event_timestamp', '_offset'] },
        ],
      }),
    );
    const { stdout } = await run(join(projectRoot, '.etl/venv-spark/bin/python'), [join(projectRoot, 'spec/ingest/spark/read_bronze.py'), specFile], {
      timeout: 240_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, PYSPARK_PYTHON: join(projectRoot, '.etl/venv-spark/bin/python') },
    });
    const out = JSON.parse(stdout.split('\n').find((l) => l.startsWith('RESULT '))!.slice(7)) as Record<string, { schema: Record<string, string>; count: number; rows: Record<string, Record<string, string | null>> }>;

    const o = out[orders.bronze.relation]!;
    expect(o.count).toBe(300);
    for (const c of orders.bronze.fileColumns) expect(o.schema[c.name], c.name).toBe(c.type);
    expect(o.schema.ingest_date).toBe('date');
    const first = o.rows[source[0]!.order_id as string]!;
    expect(first.amount).toBe('9999999999999999.99');
    expect(first.updated_at).toBe('2024-02-28 23:59:59.999999');
    expect(first.ingest_date).toBe('2024-02-28');
    for (const s of source) {
      const got = o.rows[s.order_id as string]!;
      expect(got.amount).toBe(s.amount ?? null);
      expect(got.order_date).toBe(s.order_date ?? null);
    }

    const e = out[events.bronze.relation]!;
    expect(e.count).toBe(50);
    expect(e.schema.device).toBe('struct<type:string,os:string,app_version:string>');
    expect(e.schema.properties).toBe('map<string,string>');
    expect(e.schema._offset).toBe('bigint');
    expect(e.schema._partition).toBe('int');
    const written = eventRows[1] as Record<string, unknown>;
    const ev = e.rows[written.event_id as string]!;
    // The map as generated reads back entry by entry (Spark prints it as {k -> v, ...}).
    const entries = Object.entries(written.properties as Record<string, string>);
    expect(entries.length).toBeGreaterThan(0);
    for (const [k, v] of entries) expect(ev.properties).toContain(`${k} -> ${v}`);
  }, 300_000);
});
