/**
 * Fault injection for the loopback source servers: a spec queues faults for the next N requests
 * (optionally only those whose path matches), and the server answers them with an HTTP status
 * (401, 429 with Retry-After, 500, 503), drops the connection, answers slowly, or echoes the
 * request (body and headers, credentials included) in an error body, as a careless upstream
 * would. Every request is counted per path, so specs assert on attempts the server saw, never on
 * wall time.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './http-util.js';

export interface Fault {
  /** Answer with this status (and `body`, default a JSON error naming the fault). */
  status?: number;
  /** Retry-After header value (seconds, or an HTTP date). */
  retryAfter?: string | number;
  /** Close the socket without answering. */
  drop?: boolean;
  /** Wait this long, then serve the request normally (a client with a shorter timeout gives up first). */
  delayMs?: number;
  /** Put the request's body and Authorization header in the error body (status default 400). */
  echo?: boolean;
  body?: unknown;
}

export interface FaultRule extends Fault {
  /** Only requests whose path contains this (or matches this pattern); default every request. */
  path?: string | RegExp;
  remaining: number;
}

export interface FaultInjector {
  /** The next `times` matching requests get `fault` (Infinity: every one until cleared). */
  next(times: number, fault: Fault & { path?: string | RegExp }): void;
  clear(): void;
  /** Requests received per path (every attempt, faulted or not). */
  readonly requests: Map<string, number>;
  /** Requests answered with a fault. */
  readonly injected: number;
  /** Requests received whose path contains `part`. */
  attempts(part: string): number;
}

export interface FaultHandler extends FaultInjector {
  /** Answers `req` with a queued fault; true when it did (the server must not answer it again). */
  intercept(req: IncomingMessage, res: ServerResponse, errorBody: (status: number, message: string) => unknown): Promise<boolean>;
}

export function createFaultInjector(): FaultHandler {
  const rules: FaultRule[] = [];
  const requests = new Map<string, number>();
  let injected = 0;
  const matches = (rule: FaultRule, path: string) => rule.path === undefined || (typeof rule.path === 'string' ? path.includes(rule.path) : rule.path.test(path));

  return {
    requests,
    get injected() {
      return injected;
    },
    next(times, fault) {
      rules.push({ ...fault, remaining: times });
    },
    clear() {
      rules.length = 0;
    },
    attempts(part) {
      let n = 0;
      for (const [path, count] of requests) if (path.includes(part)) n += count;
      return n;
    },
    async intercept(req, res, errorBody) {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      requests.set(path, (requests.get(path) ?? 0) + 1);
      const rule = rules.find((r) => r.remaining > 0 && matches(r, path));
      if (!rule) return false;
      rule.remaining--;
      injected++;
      if (rule.drop) {
        req.socket.destroy();
        return true;
      }
      if (rule.delayMs !== undefined && rule.status === undefined && !rule.echo) {
        await new Promise<void>((resolve) => setTimeout(resolve, rule.delayMs).unref());
        return false; // then served normally, late
      }
      const status = rule.status ?? 400;
      let body = rule.body ?? errorBody(status, `injected fault: HTTP ${status}`);
      if (rule.echo) {
        const received = await readBody(req);
        body = { ...(typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}), error: 'invalid_grant', error_description: `rejected request: ${received} (authorization: ${req.headers.authorization ?? 'none'})` };
      } else {
        req.resume();
      }
      // A string body goes as is (S3 answers XML); anything else as JSON.
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      const type = typeof body === 'string' ? (body.startsWith('<') ? 'application/xml' : 'text/plain') : 'application/json';
      const headers: Record<string, string> = { 'content-type': type, 'content-length': String(Buffer.byteLength(text)) };
      if (rule.retryAfter !== undefined) headers['retry-after'] = String(rule.retryAfter);
      res.writeHead(status, headers);
      res.end(text);
      return true;
    },
  };
}
