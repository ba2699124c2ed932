/**
 * Salesforce through faults (real jsforce against the loopback org): 503s on the token POST, 429
 * with Retry-After, 500, dropped connections and slow answers on queries are retried by the one
 * policy, a 401 still gets jsforce's refresh and replay, and every record lands exactly once;
 * faults that persist end the job with the attempts and the last status; a rejected token request
 * is not retried. Attempts are counted by the server, never timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { salesforceObjectFor, startSalesforceServer, type SalesforceServer } from '../../runtime/dev-servers/salesforce-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSalesforceJob } from '../../connectors/salesforce/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import type { JobContext } from '../../runtime/ingest/job-context.js';
import { referenceJobs } from './helpers/jobs.js';
import { readBronzeRows } from './helpers/read-bronze.js';

let dir: string;
let jobs: Record<string, IngestionJobSpec>;
const servers: SalesforceServer[] = [];
const RETRY_ENV = { ETL_RETRY_MAX_ATTEMPTS: '6', ETL_RETRY_BASE_MS: '5', ETL_RETRY_MAX_DELAY_MS: '1500', ETL_REQUEST_TIMEOUT_MS: '3000' };
const ENV = { SALESFORCE_CLIENT_ID: 'client-1', SALESFORCE_CLIENT_SECRET: 's3cret', SALESFORCE_REFRESH_TOKEN: 'refresh-1' };
const TOKEN = '/services/oauth2/token';
const QUERY = '/services/data/v58.0/query';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdc-faults-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
});

async function setUp(location: string, rows: number) {
  const j = structuredClone(jobs['source.salesforce.leads']!);
  j.bronze.location = join(dir, location);
  j.extract = { ...(j.extract as object), windowSeconds: 30 * 86400, bulkThreshold: 1_000_000 } as never;
  const source = generateRows(j.columns, { rows, timeColumn: 'system_modstamp', days: 5, seed: 5 });
  const server = await startSalesforceServer({ objects: Object.fromEntries([salesforceObjectFor(j, source)]), clientId: 'client-1', clientSecret: 's3cret', refreshTokens: ['refresh-1'], pageSize: 500 });
  servers.push(server);
  return { j, source, server };
}

function context(j: IngestionJobSpec, server: SalesforceServer, messages: string[] = [], env: Record<string, string> = {}): JobContext {
  return {
    job: j,
    store: new LocalObjectStore(j.bronze.location),
    runId: 'run-1',
    startedAt: new Date('2024-03-02T00:00:00Z'),
    env: { ETL_SALESFORCE_LOGIN_URL: server.url, ...ENV, ...RETRY_ENV, ...env },
    progress: (e) => messages.push(e.message),
  };
}

describe('Salesforce through faults', () => {
  it('retries the token POST and queries through 503, 429 (Retry-After), 500, drops and slow answers; a 401 refreshes; every record once', async () => {
    const { j, source, server } = await setUp('through-faults', 1800);
    server.faults.next(2, { path: TOKEN, status: 503 });
    server.faults.next(1, { path: QUERY, status: 429, retryAfter: 1 });
    server.faults.next(1, { path: QUERY, status: 500 });
    server.faults.next(1, { path: QUERY, drop: true });
    server.faults.next(1, { path: QUERY, delayMs: 20_000 });
    server.faults.next(1, { path: QUERY, status: 401 });
    const messages: string[] = [];
    const result = await runSalesforceJob(context(j, server, messages));

    expect(result.status).toBe('success');
    expect(result.rows).toBe(source.length);
    const landed = await readBronzeRows(j.bronze.location);
    expect(landed).toHaveLength(1800);
    expect(new Set(landed.map((r) => r.lead_id)).size).toBe(1800);
    expect(server.faults.injected).toBe(7);
    // Two refused token requests and the good one; the 401 led to one more refresh (jsforce's replay).
    expect(server.stats.refreshes).toBe(2);
    expect(server.faults.attempts(TOKEN)).toBe(4);
    expect(messages.find((m) => m.includes('Retry-After'))).toMatch(/HTTP 429, retry 1 of 5 in (1\.\d|[2-9]\.\d) s \(Retry-After 1\.0 s\)/);
    expect(messages.some((m) => /POST \/services\/oauth2\/token: HTTP 503/.test(m))).toBe(true);
  }, 120_000);

  it('gives up when faults persist, with the attempts and the last status; a rejected token request is not retried', async () => {
    const { j, server } = await setUp('persistent', 20);
    server.faults.next(Infinity, { path: QUERY, status: 503 });
    const failed = runSalesforceJob(context(j, server, [], { ETL_RETRY_MAX_ATTEMPTS: '3' }));
    await expect(failed).rejects.toMatchObject({ details: { code: 'INGEST_RETRIES_EXHAUSTED' } });
    await expect(failed).rejects.toThrow(/Salesforce GET \/services\/data\/v58\.0\/query(All)? failed: gave up after 3 attempts; last response HTTP 503/);
    expect(server.faults.attempts(QUERY)).toBe(3);
    expect(await readBronzeRows(j.bronze.location)).toEqual([]);

    server.faults.clear();
    server.faults.next(Infinity, { path: TOKEN, status: 400, body: { error: 'invalid_grant', error_description: 'expired access/refresh token' } });
    const before = server.faults.attempts(TOKEN);
    await expect(runSalesforceJob(context(j, server))).rejects.toMatchObject({ details: { code: 'INGEST_SALESFORCE_AUTH' } });
    expect(server.faults.attempts(TOKEN) - before).toBe(1);

    server.faults.clear();
    server.faults.next(Infinity, { path: TOKEN, drop: true });
    await expect(runSalesforceJob(context(j, server, [], { ETL_RETRY_MAX_ATTEMPTS: '2' }))).rejects.toThrow(/POST \/services\/oauth2\/token failed: gave up after 2 attempts; last response network error/);
  }, 60_000);
});
