import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KafkaBroker } from '../../runtime/dev-servers/kafka-broker.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { runKafkaJob } from '../../connectors/kafka/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { BronzeTable } from '../../runtime/bronze/bronze-table.js';
import type { JobContext } from '../../runtime/ingest/job-context.js';
import { referenceJobs, withOverrides } from './helpers/jobs.js';
import { committedOffsets, createTopic, orderEvent, produce, setupBroker } from './helpers/kafka.js';
import { readBronzeRows, readQuarantine } from './helpers/read-bronze.js';

let broker: KafkaBroker;
let dir: string;
let jobs: Record<string, IngestionJobSpec>;

beforeAll(async () => {
  [broker, dir] = await Promise.all([setupBroker(), mkdtemp(join(tmpdir(), 'kafka-ingest-'))]);
  jobs = await referenceJobs(join(dir, 'warehouse/bronze'));
}, 240_000);

afterAll(async () => {
  await broker?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function context(job: IngestionJobSpec, runId = 'run-1'): JobContext {
  return {
    job,
    store: new LocalObjectStore(job.bronze.location),
    runId,
    startedAt: new Date('2024-06-01T00:00:00Z'),
    env: { ETL_KAFKA_BROKERS: broker.brokers.join(','), ETL_KAFKA_SECURITY_PROTOCOL: 'PLAINTEXT', ETL_KAFKA_SESSION_TIMEOUT_MS: '6000' },
    progress: () => {},
  };
}

describe('Kafka -> bronze', () => {
  it('lands every valid message once, quarantines the bad ones with offsets, commits after the write', async () => {
    const topic = 'order_events_a';
    await createTopic(broker.brokers, topic, 3);
    const job = withOverrides(jobs['source.kafka.order_events']!, {
      topic,
      consumerGroup: 'g-a',
      location: join(dir, 'a'),
      rotation: { maxRecords: 250 },
    });
    const valid = Array.from({ length: 1500 }, (_, i) => ({ partition: i % 3, key: `o-${i}`, value: JSON.stringify(orderEvent(i)) }));
    const bad = [
      { partition: 0, key: 'x1', value: '{not json' },
      { partition: 1, key: 'x2', value: JSON.stringify({ ...orderEvent(9001), amount: 'lots' }) },
      { partition: 2, key: 'x3', value: JSON.stringify({ ...orderEvent(9002), coupon: 'SPRING' }) },
      { partition: 0, key: 'x4', value: JSON.stringify({ ...orderEvent(9003), event_type: null }) },
      { partition: 1, key: 'x5', value: null },
    ];
    await produce(broker.brokers, topic, [...valid.slice(0, 700), ...bad, ...valid.slice(700)]);

    const result = await runKafkaJob(context(job));
    expect(result.status).toBe('success');
    expect(result.rows).toBe(1500);
    expect(result.quarantined).toBe(5);

    const rows = await readBronzeRows(job.bronze.location);
    const ids = rows.map((r) => r.event_id as string);
    expect(new Set(ids).size).toBe(1500);
    expect(ids.length).toBe(1500);
    // Partitioned by event date, with Kafka metadata on every row.
    const first = rows.find((r) => r.event_id === 'e-4')!;
    expect(first.__file).toMatch(/^ingest_date=2024-01-02\/order_events_a\+1\+\d{20}\.parquet$/);
    expect(first).toMatchObject({ _topic: topic, _partition: 1, _key: 'o-4', _source: 'source.kafka.order_events', _is_deleted: false, _run_id: 'run-1' });
    expect(first.amount).toBe(28.04);
    expect(first.items).toEqual([{ product_id: 'p-4', quantity: 1 }]);

    const quarantined = await readQuarantine(job.bronze.location);
    expect(quarantined).toHaveLength(5);
    expect(quarantined.map((q) => q.reason).sort()).toEqual([
      expect.stringMatching(/^malformed JSON/),
      expect.stringMatching(/^schema: amount \(decimal\(18,2\)\): expected a decimal/),
      expect.stringMatching(/^schema: event_type: missing or null/),
      expect.stringMatching(/^schema: undeclared fields coupon/),
      expect.stringMatching(/^tombstone/),
    ]);
    expect(quarantined.every((q) => typeof q.origin.offset === 'string')).toBe(true);

    // Offsets are committed to the end, and every group has a manifest listing its files.
    const offsets = await committedOffsets(broker.brokers, 'g-a', topic);
    expect(Object.values(offsets).map(Number).reduce((a, b) => a + b, 0)).toBe(1505);
    const manifests = await new BronzeTable(new LocalObjectStore(job.bronze.location), job).manifests();
    expect(manifests.reduce((n, m) => n + m.rows + m.quarantined, 0)).toBe(1505);
    expect(Math.max(...manifests.map((m) => m.rows + m.quarantined))).toBeLessThanOrEqual(250);

    // A second run finds nothing new; a third picks up only new messages.
    const again = await runKafkaJob(context(job, 'run-2'));
    expect(again.rows).toBe(0);
    await produce(broker.brokers, topic, Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, key: null, value: JSON.stringify(orderEvent(5000 + i)) })));
    const third = await runKafkaJob(context(job, 'run-3'));
    expect(third.rows).toBe(30);
    expect((await readBronzeRows(job.bronze.location)).length).toBe(1530);
  }, 120_000);

  it('rotates files by event-time span, never by wall clock', async () => {
    const topic = 'order_events_span';
    await createTopic(broker.brokers, topic, 1);
    const job = withOverrides(jobs['source.kafka.order_events']!, { topic, consumerGroup: 'g-span', location: join(dir, 'span'), rotation: { maxRecordTimeSpanSeconds: 60 } });
    // 10 events, 30 s apart: a 60 s span allows at most 3 per group.
    const events = Array.from({ length: 10 }, (_, i) => ({ ...orderEvent(i, 0), event_timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, 0) + i * 30_000).toISOString() }));
    await produce(broker.brokers, topic, events.map((e) => ({ partition: 0, key: null, value: JSON.stringify(e) })));
    await runKafkaJob(context(job));
    const manifests = await new BronzeTable(new LocalObjectStore(job.bronze.location), job).manifests();
    expect(manifests.map((m) => m.rows)).toEqual([3, 3, 3, 1]);
    expect(manifests.map((m) => m.details.firstOffset)).toEqual(['0', '3', '6', '9']);
  }, 60_000);

  it("drift policy 'fail' stops the job with a clear error and commits nothing", async () => {
    const topic = 'order_events_fail';
    await createTopic(broker.brokers, topic, 1);
    const job = { ...withOverrides(jobs['source.kafka.order_events']!, { topic, consumerGroup: 'g-fail', location: join(dir, 'fail') }), drift: 'fail' as const };
    await produce(broker.brokers, topic, [
      { partition: 0, key: null, value: JSON.stringify(orderEvent(1)) },
      { partition: 0, key: null, value: JSON.stringify({ ...orderEvent(2), channel: 'web' }) },
    ]);
    await expect(runKafkaJob(context(job))).rejects.toThrow(/undeclared fields channel/);
    const offsets = await committedOffsets(broker.brokers, 'g-fail', topic);
    expect(offsets[0]).toBe('-1');
    expect(await readBronzeRows(job.bronze.location)).toEqual([]);
  }, 60_000);
});
