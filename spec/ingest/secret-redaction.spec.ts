/**
 * Secrets never leak from a run: a loopback Salesforce token endpoint that echoes the request
 * (refresh token, client secret) in its error body, once refused (400, not retried) and once
 * failing (503 until the retries end); `etl ingest --plan` output and target/ingest/last_run.json
 * hold neither value in any encoding, only `***`. Plus the redactor's credential shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { salesforceObjectFor, startSalesforceServer, type SalesforceServer } from '../../runtime/dev-servers/salesforce-server.js';
import { redactor, resolvedSecrets } from '../../runtime/ingest/redact.js';
import { projectRoot, referenceJobs } from './helpers/jobs.js';

const REFRESH_TOKEN = '5Aep861.Refresh+Tok/en==';
const CLIENT_SECRET = 'cl13nt-S3cret&value';
const forms = (s: string) => [s, encodeURIComponent(s), new URLSearchParams({ x: s }).toString().slice(2)];

let dir: string;
let server: SalesforceServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'secret-redaction-'));
  const job = (await referenceJobs(join(dir, 'bronze')))['source.salesforce.leads']!;
  await mkdir(join(dir, 'target', 'ingestion'), { recursive: true });
  await writeFile(join(dir, 'target', 'ingestion', `${job.id}.json`), JSON.stringify(job, null, 2));
  server = await startSalesforceServer({ objects: Object.fromEntries([salesforceObjectFor(job, [])]), clientId: 'client-1', clientSecret: CLIENT_SECRET, refreshTokens: [REFRESH_TOKEN] });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function ingest(): Promise<{ code: number; output: string }> {
  const env = {
    ...process.env,
    NO_COLOR: '1',
    ETL_SALESFORCE_LOGIN_URL: server.url,
    SALESFORCE_CLIENT_ID: 'client-1',
    SALESFORCE_CLIENT_SECRET: CLIENT_SECRET,
    SALESFORCE_REFRESH_TOKEN: REFRESH_TOKEN,
    ETL_RETRY_MAX_ATTEMPTS: '2',
    ETL_RETRY_BASE_MS: '5',
  };
  return new Promise((res) => {
    const child = execFile(process.execPath, [join(projectRoot, 'bin', 'etl.js'), 'ingest', '--project', dir, '--plan', join(dir, 'target')], { cwd: dir, env, maxBuffer: 64 << 20, timeout: 180_000 }, (_e, stdout, stderr) =>
      res({ code: child.exitCode ?? -1, output: `${stdout}\n${stderr}` }),
    );
  });
}

describe('secrets in ingest errors', () => {
  it('an endpoint echoing the refresh token and client secret: neither reaches the CLI output or last_run.json', async () => {
    for (const fault of [{ status: 400, echo: true }, { status: 503, echo: true }]) {
      server.faults.clear();
      server.faults.next(Infinity, { path: '/services/oauth2/token', ...fault });
      const before = server.faults.attempts('/services/oauth2/token');
      const { code, output } = await ingest();
      const record = await readFile(join(dir, 'target', 'ingest', 'last_run.json'), 'utf8');
      expect(code, output).toBe(1);
      // The echo did happen (the body is in the error), masked.
      expect(output).toMatch(/rejected request: .*refresh_token=\*\*\*/);
      expect(record).toMatch(/rejected request: .*client_secret=\*\*\*/);
      for (const text of [output, record]) for (const f of [...forms(REFRESH_TOKEN), ...forms(CLIENT_SECRET)]) expect(text).not.toContain(f);
      // 400 is not retried; 503 is, up to the cap, and the record says so.
      expect(server.faults.attempts('/services/oauth2/token') - before).toBe(fault.status === 400 ? 1 : 2);
      if (fault.status === 503) expect(JSON.parse(record).jobs[0].error.code).toBe('INGEST_RETRIES_EXHAUSTED');
    }
  }, 120_000);

  it('masks resolved env() values and credential shapes, whoever echoed them', () => {
    const connection = { auth: { kind: 'refresh_token', clientId: { env: 'ID' }, clientSecret: { env: 'SECRET' }, refreshToken: { env: 'RT' } } };
    const secrets = resolvedSecrets(connection, { ID: 'client-1', SECRET: 'sup3r"secret', RT: 'xyz' });
    expect(secrets.sort()).toEqual(['client-1', 'sup3r"secret', 'xyz']);
    const redact = redactor(secrets);
    expect(redact('id client-1, json {"v":"sup3r\\"secret"}')).toBe('id ***, json {"v":"***"}');
    // Too short to mask by value (it would mask ordinary words); credential shapes still apply.
    expect(redact('xyz refresh_token=xyz')).toBe('xyz refresh_token=***');
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEv...\n-----END PRIVATE KEY-----';
    expect(redact(`key ${pem} end`)).toBe('key *** end');
    expect(redact('Authorization: Bearer 00Dxx0000001gPL!AQ4AQFo.x')).toBe('Authorization: Bearer ***');
    expect(redact('Snowflake Token="ver:1-hint:123-ETMsDgAAAX"')).toBe('Snowflake Token="***"');
    expect(redact('{"access_token": "abc.def", "client_secret":"s"}')).toBe('{"access_token": "***", "client_secret":"***"}');
    expect(redact('https://user:pa55@host/x')).toBe('https://***@host/x');
  });
});
