/**
 * Snowflake through faults (real snowflake-sdk against the loopback server): 503s, 429 with
 * Retry-After, 500, dropped connections and slow answers on login, queries and result chunks are
 * retried by the one policy and every record lands exactly once; a 401 is never retried; faults
 * that persist end the job with a clear error naming the attempts and the last status. Attempts
 * are counted by the server, never timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec } from '../../compiler/emit/ingestion-jobs.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSnowflakeJob } from '../../connectors/snowflake/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import type { JobContext } from '../../runtime/ingest/job-context.js';
import { referenceJobs } from './helpers/jobs.js';
import { readBronzeRows } from './helpers/read-bronze.js';

let dir: string;
let jobs: Record<string, IngestionJobSpec>;
const servers: SnowflakeServer[] = [];

/** Small delays so the spec is quick; a request timeout the slow fault outlasts. */
const RETRY_ENV = { ETL_RETRY_MAX_ATTEMPTS: '4', ETL_RETRY_BASE_MS: '5', ETL_RETRY_MAX_DELAY_MS: '1500', ETL_REQUEST_TIMEOUT_MS: '3000' };
const LOGIN = '/session/v1/login-request';
const QUERY = '/queries/v1/query-request';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-faults-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
});

function setUp(location: string, rows: number, options: { rowsPerChunk?: number } = {}) {
  const j = structuredClone(jobs['source.snowflake.customer_orders']!);
  j.bronze.location = join(dir, location);
  (j.connection as Record<string, unknown>).auth = { kind: 'password', username: { env: 'SF_USER' }, password: { env: 'SF_PASSWORD' } };
  const source = generateRows(j.columns, { rows, timeColumn: 'updated_at', days: 4, seed: 11 });
  return { j, source, serve: () => startSnowflakeServer({ tables: Object.fromEntries([snowflakeTableFor(j, source)]), users: { ETL: { password: 'pw' } }, ...options }) };
}

function context(j: IngestionJobSpec, server: SnowflakeServer, messages: string[] = [], env: Record<string, string> = {}): JobContext {
  return {
    job: j,
    store: new LocalObjectStore(j.bronze.location),
    runId: 'run-1',
    startedAt: new Date('2024-03-02T00:00:00Z'),
    env: { ETL_SNOWFLAKE_ACCESS_URL: server.url, SF_USER: 'etl', SF_PASSWORD: 'pw', ...RETRY_ENV, ...env },
    progress: (e) => messages.push(e.message),
  };
}

describe('Snowflake through faults', () => {
  it('retries 503, 429 (Retry-After), 500, drops and slow answers on login, queries and chunks; every record lands once', async () => {
    const { j, source, serve } = setUp('through-faults', 1200, { rowsPerChunk: 100 });
    const server = await serve();
    servers.push(server);
    server.faults.next(2, { path: LOGIN, status: 503 });
    server.faults.next(1, { path: QUERY, status: 429, retryAfter: 1 });
    server.faults.next(1, { path: QUERY, status: 500 });
    server.faults.next(1, { path: QUERY, drop: true });
    server.faults.next(1, { path: QUERY, delayMs: 20_000 });
    server.faults.next(1, { path: '/chunks/', drop: true });
    server.faults.next(1, { path: '/chunks/', status: 503 });
    const messages: string[] = [];
    // Four faults in a row hit the same query request: six attempts let it through.
    const result = await runSnowflakeJob(context(j, server, messages, { ETL_RETRY_MAX_ATTEMPTS: '6' }));

    expect(result.status).toBe('success');
    expect(result.rows).toBe(1200);
    const landed = await readBronzeRows(j.bronze.location);
    expect(landed).toHaveLength(1200);
    expect(new Set(landed.map((r) => r.order_id))).toEqual(new Set(source.map((r) => r.order_id)));
    // The server saw each faulted request again: 2 failed logins and the good one; every fault served.
    expect(server.faults.attempts(LOGIN)).toBe(3);
    expect(server.stats.logins).toBe(1);
    expect(server.faults.injected).toBe(8);
    // Retry-After was honoured: the policy planned at least the second it asked for.
    const after = messages.find((m) => m.includes('Retry-After'));
    expect(after).toMatch(/HTTP 429, retry 1 of 5 in (1\.\d|[2-9]\.\d) s \(Retry-After 1\.0 s\)/);
    expect(messages.filter((m) => /retry \d of 5/.test(m)).length).toBeGreaterThanOrEqual(7);
  }, 120_000);

  it('never retries a 401: one login attempt, a clear error', async () => {
    const { j, serve } = setUp('unauthorised', 10);
    const server = await serve();
    servers.push(server);
    server.faults.next(Infinity, { path: LOGIN, status: 401 });
    const failed = runSnowflakeJob(context(j, server));
    await expect(failed).rejects.toMatchObject({ details: { code: 'INGEST_SNOWFLAKE_LOGIN' } });
    await expect(failed).rejects.toThrow(/cannot log in to Snowflake for source\.snowflake\.customer_orders/);
    expect(server.faults.attempts(LOGIN)).toBe(1);
  }, 60_000);

  it('gives up when faults persist: bounded attempts, the last status in the error', async () => {
    const { j, serve } = setUp('persistent', 10);
    const server = await serve();
    servers.push(server);
    server.faults.next(Infinity, { path: LOGIN, status: 503 });
    const login = runSnowflakeJob(context(j, server));
    await expect(login).rejects.toMatchObject({ details: { code: 'INGEST_RETRIES_EXHAUSTED' } });
    await expect(login).rejects.toThrow(/gave up after 4 attempts; last response HTTP 503 from \/session\/v1\/login-request/);
    expect(server.faults.attempts(LOGIN)).toBe(4);

    server.faults.clear();
    server.faults.next(Infinity, { path: QUERY, drop: true });
    const query = runSnowflakeJob(context(j, server, [], { ETL_RETRY_MAX_ATTEMPTS: '2' }));
    await expect(query).rejects.toThrow(/Snowflake query failed: gave up after 2 attempts; last response network error/);
    expect(server.faults.attempts(QUERY)).toBe(2);
    expect(await readBronzeRows(j.bronze.location)).toEqual([]);

    // A Retry-After beyond the cap ends the retries at once rather than waiting or hammering.
    server.faults.clear();
    server.faults.next(Infinity, { path: QUERY, status: 429, retryAfter: 3600 });
    const before = server.faults.attempts(QUERY);
    await expect(runSnowflakeJob(context(j, server))).rejects.toThrow(/asked to retry after 3600 s, more than ETL_RETRY_MAX_DELAY_MS/);
    expect(server.faults.attempts(QUERY) - before).toBe(1);
  }, 60_000);
});
