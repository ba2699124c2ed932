/** Reads landed bronze Parquet files back (with hyparquet) for assertions. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { LocalObjectStore } from '../../../runtime/bronze/object-store.js';

export async function readBronzeRows(location: string): Promise<Array<Record<string, unknown> & { __file: string }>> {
  const store = new LocalObjectStore(location);
  const keys = (await store.list()).filter((k) => k.endsWith('.parquet') && !k.split('/').some((p) => p.startsWith('_') || p.startsWith('.')));
  const out: Array<Record<string, unknown> & { __file: string }> = [];
  for (const key of keys) {
    const buf = await readFile(join(location, key));
    const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const rows = (await parquetReadObjects({ file, parsers: { timestampFromMicroseconds: (us: bigint) => us } })) as Record<string, unknown>[];
    for (const r of rows) out.push({ ...r, __file: key });
  }
  return out;
}

export async function readQuarantine(location: string): Promise<Array<{ reason: string; origin: Record<string, unknown>; record: unknown }>> {
  const store = new LocalObjectStore(location);
  const out = [];
  for (const key of await store.list('_quarantine/')) {
    const text = (await store.get(key))!.toString('utf8');
    for (const line of text.split('\n')) if (line.trim()) out.push(JSON.parse(line));
  }
  return out;
}
