import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import fc from 'fast-check';
import type { ManifestColumn } from '../../compiler/manifest/types.js';
import { ParquetFileBuilder, writeFileAtomic, writeParquetFile } from '../../runtime/bronze/parquet-writer.js';
import { decimalUnscaled, timestampMicros } from '../../runtime/bronze/value-encoding.js';

const col = (name: string, type: string, nullable = true): ManifestColumn => ({ name, type, nullable, classification: [] });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pq-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(path: string) {
  const buf = await readFile(path);
  const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  return {
    meta: parquetMetadata(file),
    rows: (await parquetReadObjects({
      file,
      parsers: { timestampFromMicroseconds: (us: bigint) => us },
    })) as Record<string, unknown>[],
  };
}

describe('writeParquetFile', () => {
  const columns = [
    col('id', 'string', false),
    col('qty', 'int'),
    col('big', 'bigint'),
    col('price', 'decimal(18,2)'),
    col('wide', 'decimal(38,10)'),
    col('small', 'decimal(5,1)'),
    col('ratio', 'double'),
    col('flag', 'boolean'),
    col('day', 'date'),
    col('at', 'timestamp'),
    col('items', 'array<struct<product_id:string,quantity:int>>'),
    col('props', 'map<string,string>'),
    col('device', 'struct<type:string,os:string>'),
  ];

  it('round-trips every declared type with its Spark-compatible Parquet type', async () => {
    const rows = [
      {
        id: 'a',
        qty: 3,
        big: 9007199254740993n,
        price: '12.34',
        wide: '1234567890123456789012345678.0123456789',
        small: '-9999.9',
        ratio: 0.25,
        flag: true,
        day: '2024-02-29',
        at: '2024-03-01T10:20:30.123456Z',
        items: [{ product_id: 'p1', quantity: 2 }, { product_id: 'p2', quantity: null }],
        props: { color: 'red', size: 'L' },
        device: { type: 'mobile', os: 'ios' },
      },
      { id: 'b', qty: null, big: 5, price: null, wide: null, small: '0', ratio: null, flag: false, day: null, at: new Date('2020-01-01T00:00:00Z'), items: [], props: {}, device: null },
      { id: 'c' },
    ];
    const path = join(dir, 'types.parquet');
    await writeParquetFile(path, columns, rows);
    const { meta, rows: back } = await readBack(path);

    expect(Number(meta.num_rows)).toBe(3);
    const byName = Object.fromEntries(meta.schema.map((e) => [e.name, e]));
    expect(byName.price).toMatchObject({ type: 'INT64', converted_type: 'DECIMAL', precision: 18, scale: 2 });
    expect(byName.small).toMatchObject({ type: 'INT32', converted_type: 'DECIMAL', precision: 5, scale: 1 });
    expect(byName.wide).toMatchObject({ type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, precision: 38, scale: 10 });
    expect(byName.at).toMatchObject({ type: 'INT64', converted_type: 'TIMESTAMP_MICROS' });
    expect(byName.day).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
    expect(byName.id).toMatchObject({ repetition_type: 'REQUIRED' });
    expect(meta.row_groups[0]!.columns[0]!.meta_data!.codec).toBe('SNAPPY');

    const [a, b, c] = back as [Record<string, any>, Record<string, any>, Record<string, any>];
    expect(a.id).toBe('a');
    expect(a.qty).toBe(3);
    expect(a.big).toBe(9007199254740993n);
    expect(a.price).toBe(12.34);
    expect(a.small).toBe(-9999.9);
    expect(a.ratio).toBe(0.25);
    expect(a.flag).toBe(true);
    expect((a.day as Date).toISOString().slice(0, 10)).toBe('2024-02-29');
    expect(a.at).toBe(timestampMicros('2024-03-01T10:20:30.123456Z'));
    expect(a.at).toBe(1709288430123456n);
    expect(a.items).toEqual([{ product_id: 'p1', quantity: 2 }, { product_id: 'p2', quantity: null }]);
    expect(a.props).toEqual({ color: 'red', size: 'L' });
    expect(a.device).toEqual({ type: 'mobile', os: 'ios' });
    expect(b.qty).toBeNull();
    expect(b.big).toBe(5n);
    expect(b.at).toBe(1577836800000000n);
    expect(b.items).toEqual([]);
    expect(c.id).toBe('c');
    expect(c.price).toBeNull();
  });

  it('keeps wide decimals exact (checked on the raw unscaled bytes)', async () => {
    const path = join(dir, 'wide.parquet');
    const values = ['1234567890123456789012345678.0123456789', '-0.0000000001', '99999999999999999999999999.9'];
    await writeParquetFile(path, [col('wide', 'decimal(38,10)')], values.map((wide) => ({ wide })));
    const buf = await readFile(path);
    // The unscaled value's big-endian bytes must be in the file verbatim.
    const unscaled = decimalUnscaled(values[0], 38, 10);
    const hex = unscaled.toString(16).padStart(32, '0');
    expect(buf.toString('hex')).toContain(hex);
  });

  it('is atomic: no temporary files stay behind and a failed write leaves nothing', async () => {
    const sub = join(dir, 'atomic');
    await writeParquetFile(join(sub, 'ok.parquet'), [col('n', 'int')], [{ n: 1 }]);
    await expect(writeParquetFile(join(sub, 'bad.parquet'), [col('n', 'int')], [{ n: 1 }, { n: 'x' }])).rejects.toThrow(
      /row 1, column n \(int\): expected a 32-bit integer, got "x"/,
    );
    expect(await readdir(sub)).toEqual(['ok.parquet']);
  });

  it('a file built row group by row group reads back whole, in order, with one statistics range per group', async () => {
    const cols = [col('n', 'bigint', false), col('s', 'string'), col('items', 'array<struct<q:int>>')];
    const file = new ParquetFileBuilder(cols, { statisticsColumns: ['n'] });
    const groups = [5, 3, 4];
    let next = 0;
    for (const size of groups) {
      const ns = Array.from({ length: size }, () => BigInt(next++));
      file.writeRowGroup([ns, ns.map((n) => (n % 2n ? `v${n}` : null)), ns.map((n) => [{ q: Number(n) }])]);
    }
    expect(() => file.writeRowGroup([[null], ['x'], [[]]])).toThrow(/row 12, column n: null in a column declared NOT NULL/);
    const p = join(dir, 'groups.parquet');
    await writeFileAtomic(p, file.finish());
    const { meta, rows } = await readBack(p);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual(groups);
    expect(meta.row_groups.map((g) => g.columns[0]!.meta_data!.statistics!.min_value)).toEqual([0n, 5n, 8n]);
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i)));
    expect(rows[3]).toEqual({ n: 3n, s: 'v3', items: [{ q: 3 }] });
  });

  it('reports bad values with row, column and nested path', async () => {
    const p = join(dir, 'bad2.parquet');
    await expect(writeParquetFile(p, [col('amount', 'decimal(18,2)')], [{ amount: '1.234' }])).rejects.toThrow(/more than 2 decimal places/);
    await expect(writeParquetFile(p, [col('amount', 'decimal(4,2)')], [{ amount: '123.4' }])).rejects.toThrow(/does not fit in decimal\(4,2\)/);
    await expect(writeParquetFile(p, [col('id', 'string', false)], [{ id: null }])).rejects.toThrow(/declared NOT NULL/);
    await expect(
      writeParquetFile(p, [col('items', 'array<struct<q:int>>')], [{ items: [{ q: 1 }, { q: 1.5 }] }]),
    ).rejects.toThrow(/column items\[1\]\.q/);
    await expect(writeParquetFile(p, [col('t', 'timestamp')], [{ t: '2024-13-01T00:00:00Z' }])).rejects.toThrow(/ISO-8601/);
    await expect(writeParquetFile(p, [col('t', 'varchar2')], [{ t: 'x' }])).rejects.toThrow(/unknown Spark type/);
  });

  it('parses timestamps with offsets, spaces and no zone as the same instants', () => {
    expect(timestampMicros('2024-01-01 02:00:00.5 +0200')).toBe(timestampMicros('2024-01-01T00:00:00.500Z'));
    expect(timestampMicros('2024-01-01T00:00:00')).toBe(timestampMicros(new Date('2024-01-01T00:00:00Z')));
    expect(timestampMicros('2023-12-31T19:00:00-05:00')).toBe(timestampMicros('2024-01-01T00:00:00Z'));
    expect(() => timestampMicros('2024-01-01T00:00:00.1234567Z')).toThrow(/sub-microsecond/);
  });

  it('decimal encoding is exact for any value that fits (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n) + 1n, max: 10n ** 18n - 1n }), fc.integer({ min: 0, max: 18 }), (unscaled, scale) => {
        const neg = unscaled < 0n;
        const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
        const text = `${neg ? '-' : ''}${digits.slice(0, digits.length - scale)}${scale ? '.' + digits.slice(digits.length - scale) : ''}`;
        expect(decimalUnscaled(text, 38, scale)).toBe(unscaled);
      }),
    );
  });

  // The canonical forms take a hand-written fast path; a leading space or an `e0` exponent forces
  // the general (regular-expression) path, so the two can be checked against each other.
  it('timestamps: the fast path agrees with the general path, including invalid dates (property)', () => {
    const iso = fc
      .record({
        y: fc.integer({ min: 1, max: 9999 }),
        mo: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
        h: fc.integer({ min: 0, max: 25 }),
        mi: fc.integer({ min: 0, max: 60 }),
        s: fc.integer({ min: 0, max: 60 }),
        frac: fc.stringMatching(/^[0-9]{0,6}$/),
      })
      .map(({ y, mo, d, h, mi, s, frac }) => {
        const p2 = (n: number) => String(n).padStart(2, '0');
        return `${String(y).padStart(4, '0')}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}${frac ? '.' + frac : ''}Z`;
      });
    const outcome = (text: string) => {
      try {
        return timestampMicros(text);
      } catch (err) {
        return (err as Error).message.replace(/"\s/, '"');
      }
    };
    fc.assert(
      fc.property(iso, (text) => {
        expect(outcome(text)).toEqual(outcome(` ${text}`));
      }),
      { numRuns: 3000 },
    );
    expect(timestampMicros('2024-02-29T23:59:59.999999Z')).toBe(BigInt(Date.UTC(2024, 1, 29, 23, 59, 59)) * 1000n + 999_999n);
    expect(() => timestampMicros('2023-02-29T00:00:00Z')).toThrow(/ISO-8601/);
    // Spark's smallest timestamp: Date.UTC alone would read year 1 as 1901.
    expect(timestampMicros('0001-01-01T00:00:00Z')).toBe(-62_135_596_800_000_000n);
    expect(timestampMicros('0001-01-01 00:00:00')).toBe(-62_135_596_800_000_000n);
  });

  it('decimals: the fast path agrees with the general path, including values that do not fit (property)', () => {
    const text = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,21}$/), fc.option(fc.stringMatching(/^[0-9]{1,8}$/))).map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === null ? '' : '.' + frac}`);
    const outcome = (value: string, precision: number, scale: number) => {
      try {
        return decimalUnscaled(value, precision, scale);
      } catch (err) {
        return (err as Error).message.replace(/e0"/, '"');
      }
    };
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 38 }), fc.integer({ min: 0, max: 8 }), (value, precision, rawScale) => {
        const scale = Math.min(rawScale, precision);
        expect(outcome(value, precision, scale)).toEqual(outcome(`${value}e0`, precision, scale));
      }),
      { numRuns: 3000 },
    );
  });
});
