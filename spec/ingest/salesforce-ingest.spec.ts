import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { salesforceObjectFor, startSalesforceServer, type SalesforceServer, type SalesforceServerOptions } from '../../runtime/dev-servers/salesforce-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSalesforceJob } from '../../connectors/salesforce/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { BronzeTable } from '../../runtime/bronze/bronze-table.js';
import type { JobContext } from '../../runtime/ingest/job-context.js';
import { referenceJobs } from './helpers/jobs.js';
import { readBronzeRows } from './helpers/read-bronze.js';

let dir: string;
let jobs: Record<string, IngestionJobSpec>;
let keyPath: string;
let publicKeyPem: string;
const servers: SalesforceServer[] = [];
process.env.ETL_SALESFORCE_BULK_POLL_MS = '20';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sfdc-ingest-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keyPath = join(dir, 'sfdc.key');
  await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
});

const ENV = { SALESFORCE_CLIENT_ID: 'client-1', SALESFORCE_CLIENT_SECRET: 's3cret', SALESFORCE_REFRESH_TOKEN: 'refresh-1' };

function job(id: string, location: string, patch: (j: IngestionJobSpec) => void = () => {}): IngestionJobSpec {
  const j = structuredClone(jobs[id]!);
  j.bronze.location = join(dir, location);
  patch(j);
  return j;
}

function context(j: IngestionJobSpec, server: SalesforceServer, extra: Partial<JobContext> = {}, env: Record<string, string> = {}): JobContext {
  return {
    job: j,
    store: new LocalObjectStore(j.bronze.location),
    runId: 'run-1',
    startedAt: new Date('2024-03-02T00:00:00Z'),
    env: { ETL_SALESFORCE_LOGIN_URL: server.url, ...ENV, ...env },
    progress: () => {},
    ...extra,
  };
}

async function serve(objects: SalesforceServerOptions['objects'], options: Partial<SalesforceServerOptions> = {}) {
  const server = await startSalesforceServer({ objects, clientId: 'client-1', clientSecret: 's3cret', refreshTokens: ['refresh-1'], jwtUsers: { 'etl@company.com': publicKeyPem }, ...options });
  servers.push(server);
  return server;
}

describe('Salesforce -> bronze (real jsforce against the loopback org)', () => {
  it('follows every page past 10,000 rows, lands deleted records flagged, survives 401s and 503s', async () => {
    const j = job('source.salesforce.leads', 'leads', (x) => {
      x.extract = { ...(x.extract as object), windowSeconds: 30 * 86400, bulkThreshold: 1_000_000 } as never;
    });
    const rows = generateRows(j.columns, { rows: 12_500, timeColumn: 'system_modstamp', days: 20, seed: 3 });
    const server = await serve(Object.fromEntries([salesforceObjectFor(j, rows)]), { tokenTtlCalls: 4, unavailableEvery: 5 });
    const result = await runSalesforceJob(context(j, server));
    expect(result.status).toBe('success');
    expect(result.rows).toBe(12_500);
    expect(server.stats.pages).toBeGreaterThanOrEqual(7);
    expect(server.stats.refreshes).toBeGreaterThan(1);
    expect(server.stats.unavailable).toBeGreaterThan(0);
    const landed = await readBronzeRows(j.bronze.location);
    expect(landed).toHaveLength(12_500);
    expect(new Set(landed.map((r) => r.lead_id)).size).toBe(12_500);
    const deleted = rows.filter((r) => r.is_deleted === true).map((r) => r.lead_id);
    expect(deleted.length).toBeGreaterThan(0);
    expect(landed.filter((r) => r._is_deleted === true).map((r) => r.lead_id).sort()).toEqual(deleted.sort());
  }, 120_000);

  it('uses Bulk API 2.0 above the threshold, with JWT bearer auth', async () => {
    const j = job('source.salesforce.accounts', 'accounts', (x) => {
      x.connection = { ...x.connection, auth: { kind: 'jwt_bearer', clientId: { env: 'SALESFORCE_CLIENT_ID' }, username: { env: 'SF_USER' }, privateKeyPath: { env: 'SF_KEY' } } };
      x.extract = { ...(x.extract as object), bulkThreshold: 100 } as never;
    });
    const rows = generateRows(j.columns, { rows: 900, timeColumn: 'system_modstamp', days: 3, seed: 5 });
    rows[0]!.account_name = 'Acme, "Inc"\nEMEA';
    const server = await serve(Object.fromEntries([salesforceObjectFor(j, rows)]), { tokenTtlCalls: 6 });
    const result = await runSalesforceJob(context(j, server, {}, { SF_USER: 'etl@company.com', SF_KEY: keyPath }));
    expect(result.rows).toBe(900);
    expect(server.stats.bulkJobs).toBeGreaterThan(0);
    expect(server.stats.jwt).toBeGreaterThan(1);
    const landed = await readBronzeRows(j.bronze.location);
    expect(landed).toHaveLength(900);
    const first = landed.find((r) => r.account_id === rows[0]!.account_id)!;
    expect(first.account_name).toBe('Acme, "Inc"\nEMEA');
    expect(first.annual_revenue).toBe(rows[0]!.annual_revenue === null ? null : Number(rows[0]!.annual_revenue));
  }, 60_000);

  it('stops cleanly on REQUEST_LIMIT_EXCEEDED with the cursor at the last committed window, then resumes', async () => {
    const j = job('source.salesforce.opportunities', 'opps', (x) => {
      x.extract = { ...(x.extract as object), windowSeconds: 86400 } as never;
    });
    const rows = generateRows(j.columns, { rows: 600, timeColumn: 'system_modstamp', days: 10, seed: 9 });
    const server = await serve(Object.fromEntries([salesforceObjectFor(j, rows)]), { requestLimit: 14 });
    const first = await runSalesforceJob(context(j, server));
    expect(first.status).toBe('partial');
    expect(first.error?.code).toBe('INGEST_SOURCE_LIMIT');
    expect(first.rows).toBeGreaterThan(0);
    expect(first.rows).toBeLessThan(600);
    const state = await new BronzeTable(new LocalObjectStore(j.bronze.location), j).readState();
    expect(state.inflight).toBeUndefined();
    expect((await readBronzeRows(j.bronze.location)).length).toBe(first.rows);

    server.setRequestLimit(undefined);
    const second = await runSalesforceJob(context(j, server, { runId: 'run-2' }));
    expect(second.status).toBe('success');
    expect(first.rows + second.rows).toBe(600);
    const landed = await readBronzeRows(j.bronze.location);
    expect(new Set(landed.map((r) => r.opportunity_id)).size).toBe(600);
    expect(landed).toHaveLength(600);
  }, 60_000);

  it('refuses to start when the daily API allowance is nearly spent, and reports bad credentials clearly', async () => {
    const j = job('source.salesforce.leads', 'leads-limits');
    const server = await serve(Object.fromEntries([salesforceObjectFor(j, [])]), { dailyApiRequests: { max: 15000, remaining: 3 } });
    await expect(runSalesforceJob(context(j, server))).rejects.toThrow(/only 3 Salesforce API requests left today/);
    await expect(runSalesforceJob(context(j, server, {}, { SALESFORCE_REFRESH_TOKEN: 'stale' }))).rejects.toThrow(/cannot authenticate to Salesforce/);
  }, 30_000);
});
