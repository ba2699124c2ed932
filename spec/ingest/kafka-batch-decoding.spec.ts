/**
 * The landing worker decodes a batch whose bytes are all ASCII once and slices each record's text
 * from it; any other batch is decoded record by record. Both paths must land the same values and
 * keys, exactly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { RecordLanding, type EncodedGroup } from '../../connectors/kafka/record-landing.js';
import { decodeKafkaKey } from '../../connectors/kafka/landing-keys.js';
import { referenceJobs } from './helpers/jobs.js';
import { recordBatch, type BatchMessage } from './helpers/record-batch.js';

let job: IngestionJobSpec;
beforeAll(async () => {
  const jobs = await referenceJobs(join(await mkdtemp(join(tmpdir(), 'kafka-decoding-')), 'bronze'));
  job = jobs['source.kafka.order_events']!;
});

const event = (i: number, patch: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id: `e-${i}`, order_id: `o-${i}`, event_type: 'paid', amount: '1.50', event_timestamp: '2024-01-02T03:04:05Z', ...patch });

async function land(messages: BatchMessage[]) {
  const landing = new RecordLanding({ job, runId: 'r', startedAt: '2024-06-01T00:00:00Z' });
  const groups: EncodedGroup[] = [...landing.add(recordBatch(messages)), landing.end(0)!];
  const rows: Record<string, unknown>[] = [];
  for (const g of groups)
    for (const f of g.files) rows.push(...((await parquetReadObjects({ file: f.body.buffer.slice(f.body.byteOffset, f.body.byteOffset + f.body.byteLength) as ArrayBuffer })) as Record<string, unknown>[]));
  const quarantine = groups.flatMap((g) => (g.quarantine ? g.quarantine.body.trim().split('\n').map((l) => JSON.parse(l) as { reason: string; origin: { offset: string } }) : []));
  return { rows, quarantine };
}

describe('Kafka landing: one decode per all-ASCII batch, per record otherwise', () => {
  it('all ASCII: values land exactly, a text key that starts with base64: lands as the base64 of its bytes', async () => {
    const { rows, quarantine } = await land([
      // JSON.stringify would write é itself; the escape keeps the bytes ASCII.
      { key: 'o-1', value: event(1).replace('"order_id"', '"customer_id":"c\\u00e9","order_id"') },
      { key: 'base64:AAAA', value: event(2) },
      { key: null, value: '{not json' },
      { key: 'k', value: event(3) },
    ]);
    expect(rows.map((r) => r.event_id)).toEqual(['e-1', 'e-2', 'e-3']);
    // A JSON escape stays an escape in the bytes (ASCII) and becomes the character in the value.
    expect(rows[0]!.customer_id).toBe('cé');
    expect(rows.map((r) => r._key)).toEqual(['o-1', 'base64:YmFzZTY0OkFBQUE=', 'k']);
    expect(decodeKafkaKey(rows[1]!._key as string).toString('utf8')).toBe('base64:AAAA');
    expect(quarantine).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^malformed JSON/), origin: expect.objectContaining({ offset: '2' }) })]);
  });

  it('one record with non-ASCII text: every record of the batch still lands exactly, with its key', async () => {
    const { rows, quarantine } = await land([
      { key: 'o-1', value: event(1) },
      { key: 'schlüssel', value: event(2, { customer_id: 'Zoë 😀' }) },
      { key: 'base64:AAAA', value: event(3) },
      { key: 'o-4', value: event(4, { customer_id: 'plain' }) },
    ]);
    expect(quarantine).toEqual([]);
    expect(rows.map((r) => r.event_id)).toEqual(['e-1', 'e-2', 'e-3', 'e-4']);
    expect(rows.map((r) => r.customer_id)).toEqual([null, 'Zoë 😀', null, 'plain']);
    expect(rows.map((r) => r._key)).toEqual(['o-1', 'schlüssel', 'base64:YmFzZTY0OkFBQUE=', 'o-4']);
  });
});
