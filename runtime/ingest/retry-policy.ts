/**
 * The one retry policy of ingestion's network calls (Snowflake, Salesforce, S3): exponential backoff
 * with full jitter (AWS architecture blog, "Exponential Backoff and Jitter": sleep = random(0,
 * min(cap, base * 2^attempt))), a cap on attempts and on each delay, Retry-After honoured, and
 * connect and request timeouts. What retries: 408, 429, 5xx, dropped connections and timeouts;
 * never 4xx auth (401/403) or other client errors. A small module rather than a dependency: the
 * three clients each need a different hook (an axios interceptor, a jsforce transport, the S3
 * store), and they all share `classify`, `delayFor` and `withRetry` from here.
 *
 * Settings come from the environment so a user can bound a run without code:
 * `ETL_RETRY_MAX_ATTEMPTS` (5), `ETL_RETRY_BASE_MS` (500), `ETL_RETRY_MAX_DELAY_MS` (20000),
 * `ETL_CONNECT_TIMEOUT_MS` (10000), `ETL_REQUEST_TIMEOUT_MS` (60000).
 */
import { IngestError } from '../bronze/errors.js';

export interface RetryPolicy {
  /** Attempts in all, the first included (1 = no retry). */
  maxAttempts: number;
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it ends the retries with a clear error. */
  maxDelayMs: number;
  /** TCP connect (S3's handler). snowflake-sdk and jsforce offer no connect hook: their request timeout bounds it. */
  connectTimeoutMs: number;
  /** One attempt, connect to last byte. */
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
});

const ENV_KEYS: Record<keyof RetryPolicy, string> = {
  maxAttempts: 'ETL_RETRY_MAX_ATTEMPTS',
  baseDelayMs: 'ETL_RETRY_BASE_MS',
  maxDelayMs: 'ETL_RETRY_MAX_DELAY_MS',
  connectTimeoutMs: 'ETL_CONNECT_TIMEOUT_MS',
  requestTimeoutMs: 'ETL_REQUEST_TIMEOUT_MS',
};

/** The policy for a run: defaults overridden by `ETL_RETRY_*` / `ETL_*_TIMEOUT_MS`; a bad value is a clear error. */
export function retryPolicyFrom(env: NodeJS.ProcessEnv): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY };
  for (const [field, name] of Object.entries(ENV_KEYS) as Array<[keyof RetryPolicy, string]>) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const value = Number(raw);
    const min = field === 'maxAttempts' ? 1 : field === 'baseDelayMs' || field === 'maxDelayMs' ? 0 : 1;
    if (!Number.isInteger(value) || value < min) {
      throw new IngestError(`${name}=${raw} is not a valid setting`, { code: 'INGEST_CONFIG', hint: `set ${name} to a whole number >= ${min}, or unset it (default ${DEFAULT_RETRY_POLICY[field]})` });
    }
    policy[field] = value;
  }
  return policy;
}

/** What one failed attempt tells the policy. */
export interface Failure {
  retryable: boolean;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Network error code (ECONNRESET, ETIMEDOUT, ...), when there was none. */
  code?: string;
  /** Milliseconds the server asked to wait (Retry-After). */
  retryAfterMs?: number;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNTIMEOUT']);

/** Retry on 408, 429 and 5xx (except 501/505: not something a retry fixes); never on other 4xx. */
export function retryableStatus(status: number): boolean {
  return RETRY_STATUSES.has(status) || (status >= 500 && status < 600 && status !== 501 && status !== 505);
}

/** A failure from an HTTP status and headers. */
export function statusFailure(status: number, headers: Record<string, unknown> = {}, now = Date.now()): Failure {
  const retryAfter = parseRetryAfter(headerValue(headers, 'retry-after'), now);
  return { retryable: retryableStatus(status), status, ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}) };
}

/** A failure from a thrown network error (no response): dropped connections and timeouts retry. */
export function networkFailure(err: unknown): Failure {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code = String(e?.code ?? e?.cause?.code ?? e?.name ?? '');
  const text = String(e?.message ?? '');
  const retryable = NETWORK_CODES.has(code) || code === 'TimeoutError' || code === 'RequestTimeout' || code === 'AbortError' || code === 'ECONNABORTED' || /socket hang up|timed? ?out|ECONNRESET|premature close|other side closed/i.test(text);
  return { retryable, ...(code ? { code } : {}) };
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function headerValue(headers: Record<string, unknown>, name: string): unknown {
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  return undefined;
}

/**
 * The wait before retry number `retry` (1 for the first retry): full jitter over the exponential
 * step, at least what Retry-After asked for. Undefined when Retry-After asks for more than the cap.
 */
export function delayFor(policy: RetryPolicy, retry: number, failure: Failure, random: () => number = Math.random): number | undefined {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * step);
  if (failure.retryAfterMs === undefined) return jittered;
  if (failure.retryAfterMs > policy.maxDelayMs) return undefined;
  return Math.max(failure.retryAfterMs, jittered);
}

/** What a retrying call reports before each wait (logged as a progress warning). */
export interface RetryEvent {
  what: string;
  attempt: number;
  maxAttempts: number;
  delayMs: number;
  failure: Failure;
}

export interface RetryHooks {
  onRetry?: (event: RetryEvent) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** "HTTP 503" / "connection dropped (ECONNRESET)": how a failure reads in messages. */
export function describeFailure(f: Failure): string {
  if (f.status !== undefined) return `HTTP ${f.status}`;
  return f.code ? `network error ${f.code}` : 'network error';
}

/**
 * The error when retries end: what was called, how many attempts, the last status, and what to do.
 * `detail` is the last upstream message (callers redact run records; see redact.ts).
 */
export function gaveUp(what: string, attempts: number, failure: Failure, detail: string, reason?: string): IngestError {
  const why = reason ?? (failure.retryable ? `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` : 'not retried');
  return new IngestError(`${what} failed: ${why}; last response ${describeFailure(failure)}${detail ? `: ${detail}` : ''}`, {
    code: failure.retryable ? 'INGEST_RETRIES_EXHAUSTED' : 'INGEST_UPSTREAM_ERROR',
    where: what,
    hint: failure.retryable
      ? `the service kept failing; try again later, or raise ETL_RETRY_MAX_ATTEMPTS (now ${attempts}) / ETL_RETRY_MAX_DELAY_MS`
      : 'this response is not temporary (a client or auth error): check the credentials, permissions and request',
  });
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable failure, or the policy runs out.
 * `classify` turns a thrown error into a Failure; anything it calls non-retryable is rethrown as is.
 */
export async function withRetry<T>(
  what: string,
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  classify: (err: unknown) => Failure,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      const failure = classify(err);
      if (!failure.retryable) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (n >= policy.maxAttempts) throw gaveUp(what, n, failure, message);
      const delayMs = delayFor(policy, n, failure, hooks.random);
      if (delayMs === undefined) {
        throw gaveUp(what, n, failure, message, `the server asked to retry after ${Math.ceil(failure.retryAfterMs! / 1000)} s, more than ETL_RETRY_MAX_DELAY_MS (${policy.maxDelayMs} ms)`);
      }
      hooks.onRetry?.({ what, attempt: n, maxAttempts: policy.maxAttempts, delayMs, failure });
      await (hooks.sleep ?? sleep)(delayMs);
    }
  }
}

/** One line for logs: "Snowflake login: HTTP 503, retry 2 of 4 in 0.8 s". */
export function describeRetry(e: RetryEvent): string {
  const after = e.failure.retryAfterMs !== undefined ? ` (Retry-After ${(e.failure.retryAfterMs / 1000).toFixed(1)} s)` : '';
  return `${e.what}: ${describeFailure(e.failure)}, retry ${e.attempt} of ${e.maxAttempts - 1} in ${(e.delayMs / 1000).toFixed(1)} s${after}`;
}

/** The policy and hooks of one job: settings from its environment, retries reported as progress warnings. */
export function jobRetry(ctx: { env: NodeJS.ProcessEnv; job: { id: string }; progress: (e: { jobId: string; phase: 'warning'; message: string }) => void }): {
  policy: RetryPolicy;
  hooks: RetryHooks;
} {
  return { policy: retryPolicyFrom(ctx.env), hooks: { onRetry: (e) => ctx.progress({ jobId: ctx.job.id, phase: 'warning', message: describeRetry(e) }) } };
}
