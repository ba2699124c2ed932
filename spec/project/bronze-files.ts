/** Helpers for the project specs: run the generator CLI and read back what it landed. */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parquetReadObjects } from 'hyparquet';
import { asyncBufferFromFile } from 'hyparquet/src/node.js';
import type { ExpectedDirt } from '../../runtime/sample-data/ledger.js';

export const REPO = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs scripts/generate-sample-data.ts with `args`; never throws on a non-zero exit. */
export async function generate(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/generate-sample-data.ts', ...args], { cwd: REPO });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Every file under `dir` (relative path -> sha256), for byte-for-byte comparison. */
export async function fileDigests(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const rel of (await readdir(dir, { recursive: true })).sort()) {
    const abs = path.join(dir, rel);
    try {
      out.set(rel, createHash('sha256').update(await readFile(abs)).digest('hex'));
    } catch {
      // a directory
    }
  }
  return out;
}

export async function readExpected(warehouse: string): Promise<ExpectedDirt> {
  return JSON.parse(await readFile(path.join(warehouse, 'expected-dirt.json'), 'utf8')) as ExpectedDirt;
}

export type Row = Record<string, unknown> & { ingest_date: string; file: string };

/** All rows of one bronze table (`sourceName.table`), with the partition value taken from the path. */
export async function readBronze(warehouse: string, table: string): Promise<Row[]> {
  const [source, name] = table.split('.') as [string, string];
  const dir = path.join(warehouse, 'bronze', source, name);
  const rows: Row[] = [];
  for (const rel of (await readdir(dir, { recursive: true })).sort()) {
    if (!rel.endsWith('.parquet')) continue;
    const m = /^ingest_date=(\d{4}-\d{2}-\d{2})\/[^/]+\.parquet$/.exec(rel.split(path.sep).join('/'));
    if (!m) throw new Error(`unexpected bronze file ${rel}`);
    const file = await asyncBufferFromFile(path.join(dir, rel));
    for (const r of await parquetReadObjects({ file })) rows.push({ ...(r as Record<string, unknown>), ingest_date: m[1]!, file: rel });
  }
  return rows;
}
