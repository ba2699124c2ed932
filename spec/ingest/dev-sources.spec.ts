/**
 * `etl ingest --dev-sources` (the INGEST=1 quickstart): local stand-ins of the reference project's
 * nine tables, served with the sample-data generator's rows, ingested through the real clients into
 * bronze: every job succeeds, every served row lands once, nothing is quarantined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileProject, writeArtifacts } from '../../compiler/index.js';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { readJobSpecs } from '../../runtime/ingest/read-jobs.js';
import { startDevSources, type DevSources } from '../../runtime/dev-servers/dev-sources.js';
import { runIngestion } from '../../runtime/ingest/run-ingestion.js';
import { projectRoot } from './helpers/jobs.js';
import { readBronzeRows } from './helpers/read-bronze.js';
import { PROJECT_PARTS } from '../../compiler/cache/input-stamp.js';

let dir: string;
let jobs: IngestionJobSpec[];
let dev: DevSources | undefined;

beforeAll(async () => {
  // A copy of the reference project: bronze locations are absolute in a compiled manifest, and the
  // repository's own data/ must not be written (nor leftovers of an earlier run counted).
  dir = await mkdtemp(join(tmpdir(), 'dev-sources-'));
  for (const entry of PROJECT_PARTS) if (existsSync(join(projectRoot, entry))) await cp(join(projectRoot, entry), join(dir, entry), { recursive: true });
  const compiled = await compileProject({ projectDir: dir });
  // The job specs as emitted: etl ingest runs what the compile wrote to target/ingestion/.
  jobs = await readJobSpecs(await writeArtifacts(compiled, dir));
}, 120_000);

afterAll(async () => {
  await dev?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('dev sources for the reference project', () => {
  it('serves realistic rows for all nine tables; ingestion lands each exactly once, none quarantined', async () => {
    dev = await startDevSources(dir, jobs, { rows: 400 });
    expect(Object.keys(dev.served).sort()).toEqual(jobs.map((j) => j.id).sort());
    const record = await runIngestion({ projectDir: dir, jobs, env: { ...process.env, ...dev.env } });
    for (const job of record.jobs) {
      expect(job.status, `${job.jobId}: ${job.error?.message}`).toBe('success');
      expect(job.quarantined, job.jobId).toBe(0);
      expect(job.rows, job.jobId).toBe(dev.served[job.jobId]);
      expect((await readBronzeRows(job.location)).length, job.jobId).toBe(dev.served[job.jobId]);
    }
    // The sample generator's vocabulary, not random strings: what the silver tests accept.
    const orders = await readBronzeRows(record.jobs.find((j) => j.jobId === 'source.snowflake.customer_orders')!.location);
    expect(new Set(orders.map((o) => o.currency))).toContain('USD');
  }, 300_000);
});
