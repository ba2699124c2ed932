/**
 * Issue 11, item 4 (poison records), reproduced through the functions ingestion runs: the
 * RecordValidator every batch source uses (window-loop), and the Kafka RecordLanding the landing
 * worker runs. Each finding: the record is quarantined with its reason, nothing throws, and the
 * good records around it land. The end-to-end runs are in poison-records-e2e.spec.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import type { JobColumn } from '../../connectors/job-spec.js';
import { RecordValidator } from '../../runtime/bronze/record-validation.js';
import { RecordLanding, type EncodedGroup } from '../../connectors/kafka/record-landing.js';
import { decodeKafkaKey } from '../../connectors/kafka/landing-keys.js';
import { referenceJobs } from './helpers/jobs.js';
import { recordBatch, type BatchMessage } from './helpers/record-batch.js';

const column = (name: string, type: string, nullable = true): JobColumn => ({ name, sourceName: name, type, nullable, classification: [] }) as unknown as JobColumn;

function check(type: string, value: unknown) {
  return new RecordValidator([column('v', type)]).check({ v: value });
}

describe('poison values through the RecordValidator (Snowflake, Salesforce and files path)', () => {
  it('a decimal with a huge exponent is a problem, not a RangeError', () => {
    for (const text of ['1e999999999', '-1E999999999', '1e-999999999', '1.5e2147483648', `1e${'9'.repeat(400)}`]) {
      const result = check('decimal(18,2)', text);
      expect(result.problems, text).toHaveLength(1);
      expect(result.problems[0]).toMatch(/does not fit|decimal places/);
    }
    // An exponent is fine when the value fits, whatever its size: zero is zero.
    expect(check('decimal(18,2)', '0e999999999')).toMatchObject({ problems: [], row: { v: 0n } });
    expect(check('decimal(18,2)', '1234e-2')).toMatchObject({ problems: [], row: { v: 1234n } });
    expect(check('decimal(18,2)', '0.0012e3')).toMatchObject({ problems: [], row: { v: 120n } });
  });

  it('a timestamp offset outside ±18:00 (or minutes past 59) is a problem, not a shift', () => {
    for (const text of ['2024-01-01T00:00:00+99:99', '2024-01-01T00:00:00+19:00', '2024-01-01T00:00:00-05:60', '2024-01-01T00:00:00+1860', '2024-01-01T00:00:00+18:01']) {
      expect(check('timestamp', text).problems, text).toHaveLength(1);
    }
    expect(check('timestamp', '2024-01-01T05:30:00+05:30').row.v).toBe(1_704_067_200_000_000n);
    expect(check('timestamp', '2024-01-01T00:00:00-18:00').row.v).toBe(1_704_067_200_000_000n + 18n * 3_600_000_000n);
  });

  it('numbers are decimal notation only: no hex, octal, binary, and no Infinity/NaN where the type has none', () => {
    for (const text of ['0x10', '0X10', '0b1', '0o7', ' 16', '16 ', '', '1_000', '1e400', '-1e400', '1e-400']) {
      expect(check('double', text).problems, JSON.stringify(text)).toHaveLength(1);
    }
    for (const type of ['int', 'bigint', 'decimal(10,2)']) {
      for (const text of ['0x10', 'Infinity', '-Infinity', 'NaN', ' 5', '5 ']) expect(check(type, text).problems, `${type} ${text}`).toHaveLength(1);
    }
    for (const [text, value] of [['16', 16], ['-1.5e3', -1500], ['.5', 0.5], ['NaN', NaN], ['-Infinity', -Infinity], ['5e-324', 5e-324]] as const) {
      expect(check('double', text), text).toMatchObject({ problems: [], row: { v: value } });
    }
  });

  it('a string that is not valid Unicode (a lone surrogate) is a problem, not a U+FFFD', () => {
    expect(check('string', 'a\ud800b').problems).toHaveLength(1);
    expect(check('array<string>', ['ok', '\udfff']).problems[0]).toMatch(/^v\[1\]/);
    expect(check('string', 'a\ud83d\ude00b').problems).toEqual([]);
  });

  it('two map keys that encode to the same key are a problem, not a silent overwrite', () => {
    expect(check('map<int,string>', { '1': 'a', '01': 'b' }).problems[0]).toMatch(/duplicate map key/);
    expect(check('map<string,string>', { a: '1', b: '2' }).problems).toEqual([]);
  });

  it('any exception while checking one record becomes that record\u2019s problem', () => {
    const validator = new RecordValidator([column('a', 'string'), column('b', 'int')]);
    const record = Object.defineProperty({ b: 1 }, 'a', {
      enumerable: true,
      get() {
        throw new TypeError('boom');
      },
    });
    const result = validator.check(record);
    expect(result.problems).toEqual([expect.stringMatching(/^a \(string\): .*TypeError: boom/)]);
    expect(result.row.b).toBe(1);
  });
});

describe('poison records through the Kafka RecordLanding (worker path)', () => {
  let job: IngestionJobSpec;
  beforeAll(async () => {
    const jobs = await referenceJobs(join(await mkdtemp(join(tmpdir(), 'poison-')), 'bronze'));
    job = jobs['source.kafka.order_events']!;
  });

  const event = (i: number, patch: Record<string, unknown> = {}) =>
    JSON.stringify({ event_id: `e-${i}`, order_id: `o-${i}`, event_type: 'paid', amount: '1.50', event_timestamp: '2024-01-02T03:04:05Z', ...patch });


  async function rowsOf(group: EncodedGroup) {
    const rows: Record<string, unknown>[] = [];
    for (const f of group.files) {
      const file = f.body.buffer.slice(f.body.byteOffset, f.body.byteOffset + f.body.byteLength) as ArrayBuffer;
      rows.push(...((await parquetReadObjects({ file })) as Record<string, unknown>[]));
    }
    return rows;
  }

  function land(messages: BatchMessage[]) {
    const landing = new RecordLanding({ job, runId: 'r', startedAt: '2024-06-01T00:00:00Z' });
    const groups = [...landing.add(recordBatch(messages)), landing.end(0)!];
    expect(groups).toHaveLength(1);
    const group = groups[0]!;
    const quarantine = group.quarantine ? group.quarantine.body.trim().split('\n').map((l) => JSON.parse(l)) : [];
    return { group, quarantine };
  }

  it('decimal 1e999999999 is quarantined with its offset; the records around it land', async () => {
    const { group, quarantine } = land([
      { key: null, value: event(1) },
      { key: null, value: event(2, { amount: '1e999999999' }) },
      { key: null, value: event(3) },
    ]);
    expect((await rowsOf(group)).map((r) => r.event_id)).toEqual(['e-1', 'e-3']);
    expect(quarantine).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^schema: amount \(decimal\(18,2\)\): .*does not fit/), origin: expect.objectContaining({ offset: '1' }) })]);
  });

  it('a value that is not valid UTF-8 is quarantined with its exact bytes, never replaced by U+FFFD', async () => {
    const good = new TextEncoder().encode(event(1, { event_type: 'X' }));
    const bad = Uint8Array.from([...good]);
    bad[bad.indexOf(0x58 /* X */)] = 0xff;
    const { group, quarantine } = land([
      { key: null, value: bad },
      { key: null, value: good },
    ]);
    expect((await rowsOf(group)).map((r) => r.event_type)).toEqual(['X']);
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]).toMatchObject({ reason: expect.stringMatching(/not valid UTF-8/), origin: { offset: '0' }, record: { base64: Buffer.from(bad).toString('base64') } });
  });

  it('binary keys land exactly: two different invalid-UTF-8 keys stay different and decode to their bytes', async () => {
    const keys = [Uint8Array.from([0xff, 0x01]), Uint8Array.from([0xfe, 0x01]), new TextEncoder().encode('o-3'), new TextEncoder().encode('base64:AAAA'), Uint8Array.from([0xef, 0xbb, 0xbf, 0x61])];
    const { group, quarantine } = land(keys.map((key, i) => ({ key, value: event(i) })));
    expect(quarantine).toEqual([]);
    const landed = (await rowsOf(group)).map((r) => r._key as string);
    expect(new Set(landed).size).toBe(keys.length);
    expect(landed[2]).toBe('o-3');
    landed.forEach((text, i) => expect(decodeKafkaKey(text), text).toEqual(Buffer.from(keys[i]!)));
  });

  it('a timestamp offset +99:99 and a lone surrogate are quarantined, not landed changed', async () => {
    const { group, quarantine } = land([
      { key: null, value: event(1, { event_timestamp: '2024-01-02T03:04:05+99:99' }) },
      { key: null, value: '{"event_id":"e-2","order_id":"o\\ud800","event_type":"paid","event_timestamp":"2024-01-02T03:04:05Z"}' },
      { key: null, value: event(3) },
    ]);
    expect((await rowsOf(group)).map((r) => r.event_id)).toEqual(['e-3']);
    expect(quarantine.map((q) => q.reason)).toEqual([expect.stringMatching(/event_timestamp \(timestamp\)/), expect.stringMatching(/order_id \(string\): .*surrogate/)]);
  });
});
