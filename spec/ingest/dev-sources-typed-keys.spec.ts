/**
 * `etl ingest --dev-sources` on a project whose primary keys are not strings: an int, a bigint, a
 * decimal and a date key, over Snowflake, Salesforce and Kafka stand-ins. Every table lands, with
 * keys of their declared types, and the run prints no AWS SDK warning (the project uses no AWS).
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBronzeRows } from './helpers/read-bronze.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/typed-keys-project/', import.meta.url));
const ROWS = 120;

interface RunRecord {
  status: string;
  jobs: Array<{ jobId: string; status: string; rows: number; quarantined: number; location: string; error?: { message: string } }>;
}

let dir: string;
let run: { code: number; stdout: string; stderr: string };
let record: RunRecord;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'typed-keys-'));
  await cp(fixture, dir, { recursive: true });
  // The switches that would hide the warnings this spec looks for are not inherited.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
  delete env.SNOWFLAKE_DISABLE_PLATFORM_DETECTION;
  delete env.NODE_NO_WARNINGS;
  run = await new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin/etl.js'), 'ingest', '--dev-sources', '--rows', String(ROWS), '--project', dir], { cwd: dir, env, timeout: 240_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
  record = JSON.parse(await readFile(join(dir, 'target/ingest/last_run.json'), 'utf8').catch(() => '{"status":"missing","jobs":[]}')) as RunRecord;
}, 300_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('etl ingest --dev-sources with integer, decimal and date keys', () => {
  it('lands every table, all rows, none quarantined', () => {
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(record.status).toBe('success');
    expect(record.jobs.map((j) => j.jobId).sort()).toEqual(['source.crm.accounts', 'source.erp.exchange_rates', 'source.erp.invoices', 'source.stream.readings']);
    for (const job of record.jobs) {
      expect(job.status, `${job.jobId}: ${job.error?.message}`).toBe('success');
      expect(job.quarantined, job.jobId).toBe(0);
      expect(job.rows, job.jobId).toBe(ROWS);
    }
  });

  it('keys land as their declared types, unique', async () => {
    const location = (id: string) => record.jobs.find((j) => j.jobId === id)!.location;
    const invoices = await readBronzeRows(location('source.erp.invoices'));
    expect(new Set(invoices.map((r) => r.invoice_no)).size).toBe(ROWS);
    expect(invoices.every((r) => Number.isInteger(r.invoice_no))).toBe(true);
    const rates = await readBronzeRows(location('source.erp.exchange_rates'));
    expect(new Set(rates.map((r) => `${String(r.rate_day)}|${String(r.band)}`)).size).toBe(ROWS);
    const accounts = await readBronzeRows(location('source.crm.accounts'));
    expect(new Set(accounts.map((r) => r.account_number)).size).toBe(ROWS);
    const readings = await readBronzeRows(location('source.stream.readings'));
    expect(new Set(readings.map((r) => String(r.reading_id))).size).toBe(ROWS);
  });

  it('prints no AWS SDK warning: nothing in the project uses AWS', () => {
    expect(run.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK/);
  });
});
