import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestionJobSpec, SnowflakeExtract } from '../../compiler/emit/ingestion-jobs.js';
import { startSnowflakeServer, snowflakeTableFor, type SnowflakeServer } from '../../runtime/dev-servers/snowflake-server.js';
import { generateRows } from '../../runtime/dev-servers/reference-data.js';
import { runSnowflakeJob } from '../../connectors/snowflake/ingest.js';
import { LocalObjectStore } from '../../runtime/bronze/object-store.js';
import { BronzeTable } from '../../runtime/bronze/bronze-table.js';
import { timestampMicros } from '../../runtime/bronze/value-encoding.js';
import type { JobContext, ProgressEvent } from '../../runtime/ingest/job-context.js';
import { referenceJobs } from './helpers/jobs.js';
import { readBronzeRows, readQuarantine } from './helpers/read-bronze.js';

let dir: string;
let jobs: Record<string, IngestionJobSpec>;
let keyPath: string;
let publicKeyPem: string;
const servers: SnowflakeServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sf-ingest-'));
  jobs = await referenceJobs(join(dir, 'bronze'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  keyPath = join(dir, 'rsa_key.p8');
  await writeFile(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
});

afterAll(async () => {
  for (const s of servers) await s.stop();
  await rm(dir, { recursive: true, force: true });
});

function job(id: string, location: string, patch: (j: IngestionJobSpec) => void = () => {}): IngestionJobSpec {
  const j = structuredClone(jobs[id]!);
  j.bronze.location = location;
  patch(j);
  return j;
}

function context(j: IngestionJobSpec, server: SnowflakeServer, extra: Partial<JobContext> = {}, env: Record<string, string> = {}): JobContext {
  return {
    job: j,
    store: new LocalObjectStore(j.bronze.location),
    runId: 'run-1',
    startedAt: new Date('2024-03-02T00:00:00Z'),
    env: { ETL_SNOWFLAKE_ACCESS_URL: server.url, SNOWFLAKE_USERNAME: 'ETL', SNOWFLAKE_PRIVATE_KEY_PATH: keyPath, ...env },
    progress: () => {},
    ...extra,
  };
}

async function serve(tables: Array<[string, ReturnType<typeof snowflakeTableFor>[1]]>, options: Partial<Parameters<typeof startSnowflakeServer>[0]> = {}) {
  const server = await startSnowflakeServer({
    tables: Object.fromEntries(tables),
    users: { ETL: { publicKeyPem, password: 'secret' } },
    oauthTokens: ['oauth-token-1'],
    ...options,
  });
  servers.push(server);
  return server;
}

describe('Snowflake -> bronze (real snowflake-sdk against the loopback server)', () => {
  it('lands every row once in cursor windows, lossless, across chunks, 429s and session expiry', async () => {
    const j = job('source.snowflake.customer_orders', join(dir, 'orders'));
    const rows = generateRows(j.columns, { rows: 2500, timeColumn: 'updated_at', days: 10, seed: 7 });
    rows[3]!.amount = '12345678901234.99';
    rows[4]!.updated_at = '2024-02-25T10:11:12.345678Z';
    const tableEntry = snowflakeTableFor(j, rows);
    const server = await serve([tableEntry], { rowsPerChunk: 100, throttleEvery: 15, asyncEvery: 5 });
    let batches = 0;
    const progress = (e: ProgressEvent) => {
      if (e.phase === 'batch' && ++batches === 2) server.expireSessions();
    };
    const result = await runSnowflakeJob(context(j, server, { progress }));
    expect(result.rows).toBe(2500);
    expect(result.quarantined).toBe(0);
    expect(result.batches).toBeGreaterThanOrEqual(10);
    expect(server.stats.chunks).toBeGreaterThan(0);
    expect(server.stats.throttled).toBeGreaterThan(0);
    expect(server.stats.renewals).toBeGreaterThan(0);
    // The job ran the queries its spec carries, verbatim: nothing rebuilt at run time.
    const x = j.extract as SnowflakeExtract;
    const ran = new Set(server.sqlLog);
    for (const q of [x.columnsQuery, x.nextCursorQuery, x.windowQuery]) expect(ran, q).toContain(q);
    expect([...ran].filter((q) => q.startsWith('SELECT')).every((q) => [x.columnsQuery, x.nextCursorQuery, x.windowQuery].includes(q))).toBe(true);

    const landed = await readBronzeRows(j.bronze.location);
    expect(landed).toHaveLength(2500);
    expect(new Set(landed.map((r) => r.order_id)).size).toBe(2500);
    const byId = new Map(landed.map((r) => [r.order_id as string, r]));
    for (const source of rows) {
      const got = byId.get(source.order_id as string)!;
      expect(got.updated_at).toBe(timestampMicros(source.updated_at));
      expect(got.amount).toBe(source.amount === null ? null : Number(source.amount));
      // Partitioned by the cursor's date, not the clock.
      expect(got.__file.startsWith(`ingest_date=${String(source.updated_at).slice(0, 10)}/`)).toBe(true);
    }
    expect(byId.get(rows[4]!.order_id as string)!._cursor_value).toBe('2024-02-25T10:11:12.345678Z');

    const state = await new BronzeTable(new LocalObjectStore(j.bronze.location), j).readState();
    const maxCursor = rows.reduce((m, r) => (timestampMicros(r.updated_at) > m ? timestampMicros(r.updated_at) : m), 0n);
    expect(timestampMicros(state.cursor)).toBeGreaterThan(maxCursor);
    expect(state.inflight).toBeUndefined();

    // Nothing new: nothing lands. New versions of two orders: exactly those land.
    const again = await runSnowflakeJob(context(j, server, { runId: 'run-2', startedAt: new Date('2024-03-02T01:00:00Z') }));
    expect(again.rows).toBe(0);
    const [, table] = tableEntry;
    const updated = [{ ...rows[0]!, order_status: 'shipped', updated_at: '2024-03-02T00:30:00.000001Z' }, { ...rows[1]!, order_status: 'cancelled', updated_at: '2024-03-02T00:40:00Z' }];
    table.rows.push(...snowflakeTableFor(j, updated)[1].rows);
    const third = await runSnowflakeJob(context(j, server, { runId: 'run-3', startedAt: new Date('2024-03-02T02:00:00Z') }));
    expect(third.rows).toBe(2);
    const after = await readBronzeRows(j.bronze.location);
    expect(after).toHaveLength(2502);
    expect(after.filter((r) => r.order_id === rows[0]!.order_id).map((r) => r.order_status).sort()).toEqual([rows[0]!.order_status, 'shipped'].sort());
  }, 120_000);

  it('authenticates with password and OAuth too, and rejects bad credentials clearly', async () => {
    const j = job('source.snowflake.customer_orders', join(dir, 'auth'));
    const server = await serve([snowflakeTableFor(j, generateRows(j.columns, { rows: 20, timeColumn: 'updated_at', days: 2 }))]);
    const withAuth = (auth: Record<string, unknown>) => {
      const copy = structuredClone(j);
      (copy.connection as Record<string, unknown>).auth = auth;
      return copy;
    };
    const pw = withAuth({ kind: 'password', username: { env: 'SF_USER' }, password: { env: 'SF_PASSWORD' } });
    expect((await runSnowflakeJob(context(pw, server, {}, { SF_USER: 'etl', SF_PASSWORD: 'secret' }))).rows).toBe(20);
    const oauth = withAuth({ kind: 'oauth', token: { env: 'SF_TOKEN' } });
    const oauthJob = { ...oauth, bronze: { ...oauth.bronze, location: join(dir, 'auth-oauth') } };
    expect((await runSnowflakeJob(context(oauthJob, server, {}, { SF_TOKEN: 'oauth-token-1' }))).rows).toBe(20);
    await expect(runSnowflakeJob(context(pw, server, {}, { SF_USER: 'etl', SF_PASSWORD: 'wrong' }))).rejects.toThrow(/cannot log in to Snowflake.*Incorrect username or password/);
    await expect(runSnowflakeJob(context(pw, server, {}, { SF_USER: 'etl' }))).rejects.toThrow(/environment variable SF_PASSWORD/);
  }, 60_000);

  it('applies the drift policy: fail stops, quarantine diverts, evolve lands', async () => {
    const base = (id: string, loc: string) => job(id, join(dir, loc));
    const fin = base('source.snowflake.financial_transactions', 'fin');
    const orders = base('source.snowflake.customer_orders', 'orders-drift');
    const products = base('source.snowflake.product_catalog', 'products');
    const withExtra = (j: IngestionJobSpec, rowsCount: number, cursor: string) => {
      const [name, table] = snowflakeTableFor(j, generateRows(j.columns, { rows: rowsCount, timeColumn: cursor, days: 3 }));
      table.columns.push({ name: 'NEW_COL', type: 'TEXT' });
      table.rows = table.rows.map((r) => [...r, 'x']);
      return [name, table] as [string, typeof table];
    };
    const server = await serve([withExtra(fin, 30, 'posted_at'), withExtra(orders, 40, 'updated_at'), withExtra(products, 50, 'updated_at')]);

    await expect(runSnowflakeJob(context(fin, server))).rejects.toThrow(/no longer matches the declaration: added NEW_COL/);
    expect(await readBronzeRows(fin.bronze.location)).toEqual([]);

    const q = await runSnowflakeJob(context(orders, server));
    expect(q.rows).toBe(0);
    expect(q.quarantined).toBe(40);
    const quarantined = await readQuarantine(orders.bronze.location);
    expect(quarantined).toHaveLength(40);
    expect((quarantined[0]!.record as Record<string, unknown>).NEW_COL).toBe('x');
    // Quarantine wants whole records: the spec's SELECT * form ran.
    expect(server.sqlLog).toContain((orders.extract as SnowflakeExtract).windowQueryAllColumns);

    const e = await runSnowflakeJob(context(products, server));
    expect(e.rows).toBe(50);
    expect(e.warnings.join()).toMatch(/added NEW_COL/);
  }, 60_000);
});
