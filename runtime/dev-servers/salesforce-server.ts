/**
 * A Salesforce org on loopback speaking what jsforce uses: OAuth2 token endpoint (refresh token and
 * JWT bearer), REST query/queryAll with 2,000-record pages and nextRecordsUrl, describe, limits, and
 * Bulk API 2.0 query jobs with CSV result pages and Sforce-Locator. SOQL support is the subset the
 * generated jobs emit. Faults on demand: expiring access tokens (401), 503s, REQUEST_LIMIT_EXCEEDED,
 * and through `faults` any status, dropped connections, slow or credential-echoing answers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson, verifyJwt } from './http-util.js';
import { createFaultInjector, type FaultInjector } from './faults.js';
import { timestampMicros } from '../bronze/value-encoding.js';

export type SalesforceFieldType = 'id' | 'string' | 'reference' | 'picklist' | 'phone' | 'email' | 'currency' | 'double' | 'percent' | 'int' | 'boolean' | 'date' | 'datetime';

export interface SalesforceObject {
  fields: Array<{ name: string; type: SalesforceFieldType }>;
  /** Records keyed by field name; datetimes as ISO strings. `IsDeleted: true` rows only show in queryAll. */
  records: Record<string, unknown>[];
}

export interface SalesforceServerOptions {
  objects: Record<string, SalesforceObject>;
  clientId: string;
  clientSecret?: string;
  refreshTokens?: string[];
  /** Public keys for JWT bearer, by username. */
  jwtUsers?: Record<string, string>;
  pageSize?: number;
  /** Access tokens expire after this many API calls (jsforce must refresh and replay). */
  tokenTtlCalls?: number;
  /** Every n-th GET answers 503 once (jsforce retries GETs). */
  unavailableEvery?: number;
  /** After this many API calls, every call answers 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimit?: number;
  dailyApiRequests?: { max: number; remaining: number };
}

export interface SalesforceServer {
  url: string;
  stats: { tokens: number; refreshes: number; jwt: number; calls: number; pages: number; bulkJobs: number; bulkPages: number; unavailable: number; expired: number };
  /** Queue faults for the next requests (401, 429 + Retry-After, 5xx, drops, slow answers, echoes). */
  faults: FaultInjector;
  setRequestLimit(calls: number | undefined): void;
  stop(): Promise<void>;
}

const API = '/services/data/v58.0';

export async function startSalesforceServer(options: SalesforceServerOptions): Promise<SalesforceServer> {
  const tokens = new Map<string, { calls: number }>();
  const cursors = new Map<string, { records: Record<string, unknown>[]; at: number; fields: string[] }>();
  const bulkJobs = new Map<string, { rows: Record<string, unknown>[]; fields: string[]; polls: number }>();
  const stats = { tokens: 0, refreshes: 0, jwt: 0, calls: 0, pages: 0, bulkJobs: 0, bulkPages: 0, unavailable: 0, expired: 0 };
  let requestLimit = options.requestLimit;
  let getCount = 0;
  let base = '';
  const faults = createFaultInjector();
  const pageSize = options.pageSize ?? 2000;

  const issue = (res: ServerResponse, refresh?: string) => {
    const token = randomUUID().replace(/-/g, '');
    tokens.set(token, { calls: 0 });
    stats.tokens++;
    sendJson(res, 200, {
      access_token: token,
      instance_url: base,
      id: `${base}/id/00D000000000001AAA/005000000000001AAA`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
      signature: 'loopback',
      ...(refresh ? { refresh_token: refresh } : {}),
    });
  };

  const oauth = async (req: IncomingMessage, res: ServerResponse) => {
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type');
    if (grant === 'refresh_token') {
      if (form.get('client_id') !== options.clientId || (options.clientSecret && form.get('client_secret') !== options.clientSecret)) {
        return sendJson(res, 400, { error: 'invalid_client_id', error_description: 'client identifier invalid' });
      }
      if (!options.refreshTokens?.includes(form.get('refresh_token') ?? '')) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'expired access/refresh token' });
      }
      stats.refreshes++;
      return issue(res);
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = form.get('assertion') ?? '';
      const unverified = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8') || '{}') as Record<string, unknown>;
      const pem = options.jwtUsers?.[String(unverified.sub)];
      const claims = pem ? verifyJwt(assertion, pem) : undefined;
      if (!claims || claims.iss !== options.clientId || Number(claims.exp) * 1000 < Date.now()) {
        return sendJson(res, 400, { error: 'invalid_grant', error_description: 'invalid assertion' });
      }
      stats.jwt++;
      return issue(res);
    }
    sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `grant type ${grant} not supported` });
  };

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const token = auth ? tokens.get(auth[1]!) : undefined;
    const body = await readBody(req);
    if (!token || (options.tokenTtlCalls && token.calls >= options.tokenTtlCalls)) {
      stats.expired++;
      return sendJson(res, 401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    }
    token.calls++;
    stats.calls++;
    if (requestLimit !== undefined && stats.calls > requestLimit) {
      return sendJson(res, 403, [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }]);
    }
    if (req.method === 'GET' && options.unavailableEvery && ++getCount % options.unavailableEvery === 0) {
      stats.unavailable++;
      return sendJson(res, 503, [{ message: 'Server temporarily unavailable', errorCode: 'SERVER_UNAVAILABLE' }]);
    }
    const path = url.pathname.slice(API.length);
    if (path === '/limits') {
      const d = options.dailyApiRequests ?? { max: 100000, remaining: 99000 };
      return sendJson(res, 200, { DailyApiRequests: { Max: d.max, Remaining: d.remaining }, DailyBulkV2QueryJobs: { Max: 10000, Remaining: 9990 } });
    }
    const describe = /^\/sobjects\/(\w+)\/describe$/.exec(path);
    if (describe) {
      const o = options.objects[describe[1]!];
      if (!o) return sendJson(res, 404, [{ message: `The requested resource does not exist`, errorCode: 'NOT_FOUND' }]);
      return sendJson(res, 200, { name: describe[1], fields: o.fields.map((f) => ({ name: f.name, type: f.type, nillable: true })) });
    }
    if (path === '/query' || path === '/queryAll') {
      let result;
      try {
        result = runSoql(url.searchParams.get('q') ?? '', path === '/queryAll');
      } catch (err) {
        return sendJson(res, 400, [{ message: (err as Error).message, errorCode: 'MALFORMED_QUERY' }]);
      }
      if (result.kind !== 'rows') return sendJson(res, 200, result.body);
      const id = `01g${randomUUID().replace(/-/g, '').slice(0, 15)}`;
      cursors.set(id, { records: result.rows, at: 0, fields: result.fields });
      return sendJson(res, 200, page(id));
    }
    const more = /^\/query\/(\w+)-(\d+)$/.exec(path);
    if (more) {
      const cursor = cursors.get(more[1]!);
      if (!cursor) return sendJson(res, 400, [{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
      cursor.at = Number(more[2]);
      return sendJson(res, 200, page(more[1]!));
    }
    if (path === '/jobs/query' && req.method === 'POST') {
      const { query, operation } = JSON.parse(body) as { query: string; operation: string };
      const result = runSoql(query, operation === 'queryAll');
      if (result.kind !== 'rows') return sendJson(res, 400, [{ message: 'aggregate queries are not supported by Bulk API', errorCode: 'INVALIDJOB' }]);
      const id = `750${randomUUID().replace(/-/g, '').slice(0, 15)}`;
      bulkJobs.set(id, { rows: result.rows, fields: result.fields, polls: 0 });
      stats.bulkJobs++;
      return sendJson(res, 200, { id, operation, object: 'x', state: 'UploadComplete', apiVersion: 58.0 });
    }
    const job = /^\/jobs\/query\/(\w+)(\/results)?$/.exec(path);
    if (job) {
      const j = bulkJobs.get(job[1]!);
      if (!j) return sendJson(res, 404, [{ message: 'job not found', errorCode: 'NOT_FOUND' }]);
      if (req.method === 'DELETE') {
        bulkJobs.delete(job[1]!);
        res.writeHead(204);
        return res.end();
      }
      if (!job[2]) {
        j.polls++;
        return sendJson(res, 200, { id: job[1], state: j.polls > 1 ? 'JobComplete' : 'InProgress', numberRecordsProcessed: j.rows.length });
      }
      const at = Number(url.searchParams.get('locator') ?? 0);
      const max = Number(url.searchParams.get('maxRecords') ?? 50000);
      const slice = j.rows.slice(at, at + max);
      const next = at + max < j.rows.length ? String(at + max) : 'null';
      stats.bulkPages++;
      const csv = [j.fields.map(csvCell).join(','), ...slice.map((r) => j.fields.map((f) => csvCell(r[f])).join(','))].join('\n') + '\n';
      res.writeHead(200, { 'content-type': 'text/csv', 'sforce-locator': next, 'sforce-numberofrecords': String(slice.length) });
      return res.end(csv);
    }
    sendJson(res, 404, [{ message: `no resource ${path}`, errorCode: 'NOT_FOUND' }]);
  };

  const page = (id: string) => {
    const c = cursors.get(id)!;
    const records = c.records.slice(c.at, c.at + pageSize);
    const nextAt = c.at + records.length;
    const done = nextAt >= c.records.length;
    stats.pages++;
    return {
      totalSize: c.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `${API}/query/${id}-${nextAt}` }),
      records: records.map((r) => ({ attributes: { type: 'sObject', url: `${API}/sobjects/x/${String(r.Id)}` }, ...Object.fromEntries(c.fields.map((f) => [f, r[f] ?? null])) })),
    };
  };

  const runSoql = (soql: string, all: boolean): { kind: 'rows'; rows: Record<string, unknown>[]; fields: string[] } | { kind: 'aggregate'; body: unknown } => {
    const m =
      /^SELECT\s+(.+?)\s+FROM\s+(\w+)(?:\s+WHERE\s+(\w+)\s*>=\s*(\S+)\s+AND\s+(\w+)\s*<\s*(\S+))?(?:\s+ORDER\s+BY\s+(\w+))?(?:\s+LIMIT\s+(\d+))?\s*$/is.exec(soql.trim());
    if (!m) throw new Error(`unsupported SOQL: ${soql}`);
    const object = options.objects[m[2]!];
    if (!object) throw new Error(`sObject type '${m[2]}' is not supported.`);
    const fieldNames = new Set(object.fields.map((f) => f.name));
    let rows = object.records.filter((r) => all || r.IsDeleted !== true);
    if (m[3]) {
      if (!fieldNames.has(m[3])) throw new Error(`No such column '${m[3]}' on entity '${m[2]}'`);
      const lo = timestampMicros(m[4]);
      const hi = timestampMicros(m[6]);
      rows = rows.filter((r) => {
        const t = instant(r, m[3]!);
        return t !== undefined && t >= lo && t < hi;
      });
    }
    if (m[7]) rows = [...rows].sort((a, b) => (instant(a, m[7]!)! < instant(b, m[7]!)! ? -1 : 1));
    if (m[8]) rows = rows.slice(0, Number(m[8]));
    const list = m[1]!.trim();
    if (/^COUNT\(\)$/i.test(list)) return { kind: 'aggregate', body: { totalSize: rows.length, done: true, records: [] } };
    const min = /^MIN\((\w+)\)$/i.exec(list);
    if (min) {
      let best: unknown = null;
      for (const r of rows) {
        const v = r[min[1]!];
        if (v !== null && v !== undefined && (best === null || timestampMicros(v) < timestampMicros(best))) best = v;
      }
      return { kind: 'aggregate', body: { totalSize: 1, done: true, records: [{ attributes: { type: 'AggregateResult' }, expr0: best }] } };
    }
    const fields = list.split(',').map((f) => f.trim());
    for (const f of fields) if (!fieldNames.has(f)) throw new Error(`No such column '${f}' on entity '${m[2]}'`);
    return { kind: 'rows', rows, fields };
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const handle = async () => {
      if (await faults.intercept(req, res, (status, message) => [{ message, errorCode: status === 401 ? 'INVALID_SESSION_ID' : status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_UNAVAILABLE' }])) return;
      if (req.method === 'POST' && url.pathname === '/services/oauth2/token') return oauth(req, res);
      if (url.pathname.startsWith(API)) return api(req, res, url);
      sendJson(res, 404, [{ message: 'not found', errorCode: 'NOT_FOUND' }]);
    };
    handle().catch((err) => {
      if (!res.headersSent) sendJson(res, 500, [{ message: String(err), errorCode: 'UNKNOWN_EXCEPTION' }]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    stats,
    faults,
    setRequestLimit(calls) {
      requestLimit = calls;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Parsed datetimes, once per record and field rather than on every query. */
const instants = new WeakMap<object, Map<string, bigint | undefined>>();
function instant(record: Record<string, unknown>, field: string): bigint | undefined {
  let perRecord = instants.get(record);
  if (!perRecord) instants.set(record, (perRecord = new Map()));
  if (!perRecord.has(field)) {
    const v = record[field];
    perRecord.set(field, v === null || v === undefined ? undefined : timestampMicros(v));
  }
  return perRecord.get(field);
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A server-side object for a job's declared columns, from rows keyed by declared names. */
export function salesforceObjectFor(
  job: { columns: Array<{ name: string; sourceName: string; type: string }>; extract: { kind: string; object?: string } },
  rows: Record<string, unknown>[],
): [string, SalesforceObject] {
  const fields = job.columns.map((c) => {
    const t = c.type.toLowerCase();
    const type: SalesforceFieldType = c.sourceName === 'Id' ? 'id' : t.startsWith('decimal') ? 'currency' : t === 'double' ? 'percent' : t === 'int' ? 'int' : t === 'boolean' ? 'boolean' : t === 'date' ? 'date' : t === 'timestamp' ? 'datetime' : 'string';
    return { name: c.sourceName, type };
  });
  // Salesforce sends datetimes with millisecond precision and a +0000 offset.
  const records = rows.map((r) =>
    Object.fromEntries(
      job.columns.map((c, i) => {
        const v = r[c.name] ?? null;
        if (v === null) return [c.sourceName, null];
        if (fields[i]!.type === 'datetime') return [c.sourceName, new Date(Number(timestampMicros(v) / 1000n)).toISOString().replace('Z', '+0000')];
        if (fields[i]!.type === 'currency' || fields[i]!.type === 'percent' || fields[i]!.type === 'int') return [c.sourceName, Number(v)];
        return [c.sourceName, v];
      }),
    ),
  );
  return [String(job.extract.object), { fields, records }];
}
