/**
 * A Snowflake server on loopback that speaks the REST protocol `snowflake-sdk` uses (login, query,
 * result chunks, session renewal, telemetry), over a small in-memory catalogue, so ingestion runs
 * the real driver end to end. SQL support is the subset the generated jobs emit: SELECT of columns,
 * `*` or MIN(col) FROM a table, `WHERE c >= ? AND c < ?`, ORDER BY, LIMIT, and ALTER SESSION SET.
 * Faults can be injected: expiring session tokens, 429 responses, slow queries (code 333333), and
 * through `faults` any status, dropped connections or slow answers for the next N requests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson, verifyJwt } from './http-util.js';
import { createFaultInjector, type FaultInjector } from './faults.js';
import { comparable, keyOf, parseSelect, rowType, wire } from './snowflake-sql.js';

export type SnowflakeType = 'TEXT' | 'NUMBER' | 'FLOAT' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP_NTZ' | 'VARIANT' | 'OBJECT';

export interface SnowflakeColumn {
  name: string;
  type: SnowflakeType;
  precision?: number;
  scale?: number;
}

/** Values: text as string, NUMBER as decimal string, DATE 'YYYY-MM-DD', TIMESTAMP_NTZ ISO string, objects as JS. */
export interface SnowflakeTable {
  columns: SnowflakeColumn[];
  rows: unknown[][];
}

export interface SnowflakeServerOptions {
  /** `DB.SCHEMA.TABLE` (upper case) -> table. */
  tables: Record<string, SnowflakeTable>;
  users: Record<string, { password?: string; publicKeyPem?: string }>;
  oauthTokens?: string[];
  /** Session token lifetime; the driver renews with the master token when it lapses. */
  sessionValiditySeconds?: number;
  /** Rows per result chunk; the first chunk is inline. */
  rowsPerChunk?: number;
  /** Answer every n-th query request with HTTP 429 once (the driver retries). */
  throttleEvery?: number;
  /** Answer every n-th query with 333333 (in progress) first, then serve it from getResultUrl. */
  asyncEvery?: number;
}

interface Session {
  token: string;
  masterToken: string;
  expiresAt: number;
  user: string;
  params: Record<string, string>;
}

export interface SnowflakeServer {
  url: string;
  port: number;
  stats: { logins: number; queries: number; renewals: number; throttled: number; chunks: number; expired: number };
  /** Every SQL text received, in order (specs check that jobs run the queries their spec carries). */
  sqlLog: string[];
  /** Queue faults for the next requests (401, 429 + Retry-After, 5xx, drops, slow answers, echoes). */
  faults: FaultInjector;
  /** Makes every live session token expire now (next query gets 390112). */
  expireSessions(): void;
  stop(): Promise<void>;
}

const DEFAULT_PARAMS: Record<string, string> = {
  TIMEZONE: 'UTC',
  TIMESTAMP_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM',
  TIMESTAMP_NTZ_OUTPUT_FORMAT: 'YYYY-MM-DD HH24:MI:SS.FF3',
  DATE_OUTPUT_FORMAT: 'YYYY-MM-DD',
  CLIENT_SESSION_KEEP_ALIVE_HEARTBEAT_FREQUENCY: '3600',
};

export async function startSnowflakeServer(options: SnowflakeServerOptions): Promise<SnowflakeServer> {
  const sessions = new Map<string, Session>();
  const masters = new Map<string, Session>();
  const pendingResults = new Map<string, unknown>();
  const chunkStore = new Map<string, string>();
  const stats = { logins: 0, queries: 0, renewals: 0, throttled: 0, chunks: 0, expired: 0 };
  const sqlLog: string[] = [];
  const validity = options.sessionValiditySeconds ?? 3600;
  let queryCount = 0;
  let base = '';
  const faults = createFaultInjector();

  const fail = (res: ServerResponse, code: string, message: string, status = 200) =>
    sendJson(res, status, { success: false, code, message, data: null });

  const sessionFrom = (req: IncomingMessage): Session | 'expired' | undefined => {
    const m = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '');
    const s = m ? sessions.get(m[1]!) : undefined;
    if (!s) return undefined;
    return s.expiresAt < Date.now() ? 'expired' : s;
  };

  const newSession = (user: string, params: Record<string, string> = { ...DEFAULT_PARAMS }): Session => {
    const s: Session = { token: randomUUID(), masterToken: randomUUID(), expiresAt: Date.now() + validity * 1000, user, params };
    sessions.set(s.token, s);
    masters.set(s.masterToken, s);
    return s;
  };

  const paramsArray = (s: Session) => Object.entries(s.params).map(([name, value]) => ({ name, value }));

  const login = async (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.parse(await readBody(req)) as { data: Record<string, string> };
    const d = body.data;
    const authenticator = (d.AUTHENTICATOR ?? 'SNOWFLAKE').toUpperCase();
    let user = (d.LOGIN_NAME ?? '').toUpperCase();
    let ok = false;
    if (authenticator === 'SNOWFLAKE') {
      ok = options.users[user]?.password !== undefined && options.users[user]!.password === d.PASSWORD;
    } else if (authenticator === 'SNOWFLAKE_JWT') {
      const pem = options.users[user]?.publicKeyPem;
      const claims = pem && d.TOKEN ? verifyJwt(d.TOKEN, pem) : undefined;
      ok = Boolean(claims && String(claims.sub).toUpperCase().endsWith(`.${user}`) && Number(claims.exp) * 1000 > Date.now());
    } else if (authenticator === 'OAUTH') {
      ok = Boolean(d.TOKEN && options.oauthTokens?.includes(d.TOKEN));
      user = user || 'OAUTH_USER';
    }
    if (!ok) return fail(res, '390100', 'Incorrect username or password was specified.');
    stats.logins++;
    const s = newSession(user);
    const url = new URL(req.url!, 'http://x');
    sendJson(res, 200, {
      success: true,
      code: null,
      message: null,
      data: {
        token: s.token,
        masterToken: s.masterToken,
        validityInSeconds: validity,
        masterValidityInSeconds: 14400,
        sessionId: Math.floor(Math.random() * 1e12),
        parameters: paramsArray(s),
        sessionInfo: {
          databaseName: url.searchParams.get('databaseName'),
          schemaName: url.searchParams.get('schemaName'),
          warehouseName: url.searchParams.get('warehouse'),
          roleName: url.searchParams.get('roleName'),
        },
      },
    });
  };

  const renew = async (req: IncomingMessage, res: ServerResponse) => {
    const m = /Snowflake Token="([^"]+)"/.exec(req.headers.authorization ?? '');
    const old = m ? masters.get(m[1]!) : undefined;
    await readBody(req);
    if (!old) return fail(res, '390114', 'Master token expired.');
    stats.renewals++;
    sessions.delete(old.token);
    masters.delete(old.masterToken);
    const s = newSession(old.user, old.params);
    sendJson(res, 200, {
      success: true,
      code: null,
      message: null,
      data: { sessionToken: s.token, validityInSecondsST: validity, masterToken: s.masterToken, validityInSecondsMT: 14400 },
    });
  };

  const query = async (req: IncomingMessage, res: ServerResponse) => {
    const session = sessionFrom(req);
    const text = await readBody(req);
    if (session === 'expired') {
      stats.expired++;
      return fail(res, '390112', 'Your session has expired. Please login again.');
    }
    if (!session) return fail(res, '390111', 'Session no longer exists.', 401);
    queryCount++;
    if (options.throttleEvery && queryCount % options.throttleEvery === 0) {
      stats.throttled++;
      res.writeHead(429, { 'retry-after': '0' });
      return res.end('Too many requests');
    }
    stats.queries++;
    const body = JSON.parse(text) as { sqlText: string; bindings?: Record<string, { type: string; value: unknown }> };
    sqlLog.push(body.sqlText);
    const binds = Object.entries(body.bindings ?? {})
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, v]) => v.value);
    let data: Record<string, unknown>;
    try {
      data = execute(body.sqlText, binds, session);
    } catch (err) {
      return sendJson(res, 200, { success: false, code: '002003', message: (err as Error).message, data: { queryId: randomUUID(), sqlState: '42S02' } });
    }
    if (options.asyncEvery && queryCount % options.asyncEvery === 0) {
      const id = randomUUID();
      pendingResults.set(id, data);
      return sendJson(res, 200, { success: true, code: '333333', message: 'in progress', data: { queryId: id, getResultUrl: `/queries/${id}/result` } });
    }
    sendJson(res, 200, { success: true, code: null, message: null, data });
  };

  const execute = (sqlText: string, binds: unknown[], session: Session): Record<string, unknown> => {
    const sql = sqlText.trim().replace(/;$/, '');
    const alter = /^ALTER\s+SESSION\s+SET\s+(.+)$/is.exec(sql);
    if (alter) {
      for (const m of alter[1]!.matchAll(/(\w+)\s*=\s*'((?:[^']|'')*)'/g)) session.params[m[1]!.toUpperCase()] = m[2]!.replace(/''/g, "'");
      return resultData(session, [{ name: 'status', type: 'text' }], [['Statement executed successfully.']]);
    }
    const q = parseSelect(sql);
    const table = options.tables[q.table];
    if (!table) throw new Error(`SQL compilation error: Object '${q.table}' does not exist or not authorized.`);
    const index = (name: string) => {
      const i = table.columns.findIndex((c) => c.name === name);
      if (i < 0) throw new Error(`SQL compilation error: invalid identifier '"${name}"'`);
      return i;
    };
    let rows = table.rows;
    if (q.where) {
      const i = index(q.where.column);
      const col = table.columns[i]!;
      const lo = comparable(col, binds[0]);
      const hi = comparable(col, binds[1]);
      rows = rows.filter((r) => {
        const v = keyOf(col, r, i);
        return v !== undefined && v >= lo && v < hi;
      });
    }
    if (q.orderBy) {
      const i = index(q.orderBy);
      const col = table.columns[i]!;
      rows = [...rows].sort((a, b) => {
        const x = keyOf(col, a, i)!;
        const y = keyOf(col, b, i)!;
        return x < y ? -1 : x > y ? 1 : 0;
      });
    }
    if (q.limit !== undefined) rows = rows.slice(0, q.limit);
    if (q.min) {
      const i = index(q.min);
      const col = table.columns[i]!;
      let best: unknown = null;
      for (const r of rows) if (r[i] !== null && r[i] !== undefined && (best === null || comparable(col, r[i]) < comparable(col, best))) best = r[i];
      return resultData(session, [rowType(col, `MIN("${q.min}")`)], [[wire(col, best)]]);
    }
    const picked = q.columns === '*' ? table.columns.map((_, i) => i) : q.columns.map(index);
    const rowtype = picked.map((i) => rowType(table.columns[i]!));
    const rowset = rows.map((r) => picked.map((i) => wire(table.columns[i]!, r[i])));
    return resultData(session, rowtype, rowset);
  };

  const resultData = (session: Session, rowtype: unknown[], rowset: unknown[][]): Record<string, unknown> => {
    const per = options.rowsPerChunk ?? 1000;
    const first = rowset.slice(0, per);
    const chunks: Array<{ url: string; rowCount: number; uncompressedSize: number }> = [];
    for (let at = per; at < rowset.length; at += per) {
      const part = rowset.slice(at, at + per);
      const id = randomUUID();
      // Chunk bodies are row arrays joined by commas, without the outer brackets.
      const body = part.map((r) => JSON.stringify(r)).join(',');
      chunkStore.set(id, body);
      chunks.push({ url: `${base}/chunks/${id}`, rowCount: part.length, uncompressedSize: body.length });
    }
    return {
      queryId: randomUUID(),
      parameters: Object.entries(session.params).map(([name, value]) => ({ name, value })),
      rowtype,
      rowset: first,
      total: rowset.length,
      returned: rowset.length,
      queryResultFormat: 'json',
      chunks: chunks.length ? chunks : undefined,
      chunkHeaders: chunks.length ? {} : undefined,
      finalDatabaseName: null,
      statementTypeId: 4096,
      version: 1,
    };
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = `${req.method} ${url.pathname}`;
    const handle = async () => {
      if (await faults.intercept(req, res, (status, message) => ({ success: false, code: String(status), message, data: null }))) return;
      if (route === 'POST /session/v1/login-request') return login(req, res);
      if (route === 'POST /session/token-request') return renew(req, res);
      if (route === 'POST /queries/v1/query-request') return query(req, res);
      if (route === 'POST /session' || route === 'POST /telemetry/send' || route === 'POST /session/heartbeat') {
        await readBody(req);
        return sendJson(res, 200, { success: true, code: null, message: null, data: null });
      }
      const chunk = /^GET \/chunks\/([\w-]+)$/.exec(route);
      if (chunk) {
        const body = chunkStore.get(chunk[1]!);
        if (body === undefined) return sendJson(res, 404, {});
        stats.chunks++;
        // Cloud storage serves chunks as opaque bytes; a JSON content type would make the client parse them.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(body);
      }
      const pending = /^GET \/queries\/([\w-]+)\/result$/.exec(route);
      if (pending) {
        const session = sessionFrom(req);
        if (!session || session === 'expired') return fail(res, '390112', 'Your session has expired. Please login again.');
        const data = pendingResults.get(pending[1]!);
        if (!data) return fail(res, '000605', 'Query not found');
        return sendJson(res, 200, { success: true, code: null, message: null, data });
      }
      sendJson(res, 404, { success: false, code: '404', message: `no route ${route}` });
    };
    handle().catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { success: false, code: '500', message: String(err) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    port,
    stats,
    sqlLog,
    faults,
    expireSessions() {
      for (const s of sessions.values()) s.expiresAt = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The server-side table for a job's declared columns, holding `rows` keyed by declared names. */
export function snowflakeTableFor(
  job: { columns: Array<{ name: string; sourceName: string; type: string }>; extract: { kind: string; table?: string } },
  rows: Record<string, unknown>[],
): [string, SnowflakeTable] {
  const name = String(job.extract.table).replace(/"/g, '');
  const columns: SnowflakeColumn[] = job.columns.map((c) => {
    const t = c.type.toLowerCase();
    const dec = /^decimal\((\d+),(\d+)\)$/.exec(t);
    if (dec) return { name: c.sourceName, type: 'NUMBER', precision: Number(dec[1]), scale: Number(dec[2]) };
    if (t === 'int' || t === 'bigint') return { name: c.sourceName, type: 'NUMBER', precision: 38, scale: 0 };
    if (t === 'double') return { name: c.sourceName, type: 'FLOAT' };
    if (t === 'boolean') return { name: c.sourceName, type: 'BOOLEAN' };
    if (t === 'date') return { name: c.sourceName, type: 'DATE' };
    if (t === 'timestamp') return { name: c.sourceName, type: 'TIMESTAMP_NTZ' };
    if (t.startsWith('map') || t.startsWith('struct')) return { name: c.sourceName, type: 'OBJECT' };
    if (t.startsWith('array')) return { name: c.sourceName, type: 'VARIANT' };
    return { name: c.sourceName, type: 'TEXT' };
  });
  return [name, { columns, rows: rows.map((r) => job.columns.map((c) => r[c.name] ?? null)) }];
}
