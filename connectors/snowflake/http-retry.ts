/**
 * snowflake-sdk's HTTP under the ingestion retry policy (runtime/ingest/retry-policy.ts).
 *
 * The driver (3.3.0, pinned) retries on its own, and not boundedly: login up to 7 times within a
 * 300 s floor (`retryTimeout` cannot go lower; a failing endpoint took 199 s), query requests up to
 * 1,000 times (`sfRetryMaxNumRetries`, not a settable option), result chunks 10 times, none of it
 * honouring Retry-After. So its own loops are set to zero and one axios interceptor on the
 * driver's shared axios instance applies our policy to every request it sends (login, queries,
 * result polling, chunks): attempts and delays capped, Retry-After honoured, a request timeout.
 *
 * This reaches into the driver's `dist/lib` (the axios instance and ConnectionConfig's getters);
 * the fault-injection specs (spec/ingest/snowflake-faults.spec.ts) fail if an upgrade moves them.
 * The driver's HTTPS agents do OCSP checks and cannot be swapped, so the connect phase is bounded
 * by the request timeout rather than a separate connect timeout.
 */
import { createRequire } from 'node:module';
import { delayFor, describeFailure, networkFailure, sleep, statusFailure, type Failure, type RetryHooks, type RetryPolicy } from '../../runtime/ingest/retry-policy.js';

const require = createRequire(import.meta.url);

interface AxiosLike {
  interceptors: {
    request: { use(onFulfilled: (config: RequestConfig) => RequestConfig): number };
    response: { use(onFulfilled: (r: unknown) => unknown, onRejected: (err: AxiosErrorLike) => Promise<unknown>): number };
  };
  request(config: RequestConfig): Promise<unknown>;
}
interface RequestConfig {
  url?: string;
  baseURL?: string;
  method?: string;
  timeout?: number;
  useSnowflakeRetryMiddleware?: boolean;
  __etlAttempt?: number;
}
interface AxiosErrorLike {
  config?: RequestConfig;
  code?: string;
  message?: string;
  response?: { status: number; headers?: Record<string, unknown> };
}

/** How a request that ran out of retries ended, for the error the connector raises. */
export interface GiveUp {
  url: string;
  attempts: number;
  failure: Failure;
  reason: string;
}

interface Registration {
  policy: RetryPolicy;
  hooks: RetryHooks;
  what: string;
  lastGiveUp?: GiveUp;
}

const byOrigin = new Map<string, Registration>();
let latest: Registration | undefined;
let installed = false;

const originOf = (url: string) => {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
};

/**
 * Puts requests to `accessUrl` (and any other host the driver fetches from, such as result chunks
 * on cloud storage) under `policy`. Returns a function that takes the last give-up, if any.
 */
export function applySnowflakeRetryPolicy(accessUrl: string, policy: RetryPolicy, hooks: RetryHooks, what: string): { takeGiveUp(): GiveUp | undefined } {
  install();
  const registration: Registration = { policy, hooks, what };
  byOrigin.set(originOf(accessUrl), registration);
  latest = registration;
  return {
    takeGiveUp() {
      const g = registration.lastGiveUp;
      delete registration.lastGiveUp;
      return g;
    },
  };
}

/** Options that turn the driver's own retry loops off: this module's interceptor does the retrying. */
export function driverRetryOptions(policy: RetryPolicy): Record<string, unknown> {
  return { sfRetryMaxLoginRetries: 0, timeout: policy.requestTimeoutMs };
}

function install(): void {
  if (installed) return;
  installed = true;
  // Query requests and result chunks read these getters; the options cannot set them.
  const ConnectionConfig = require('snowflake-sdk/dist/lib/connection/connection_config.js') as { prototype: Record<string, () => number> };
  ConnectionConfig.prototype.getRetrySfMaxNumRetries = () => 0;
  ConnectionConfig.prototype.getRetryLargeResultSetMaxNumRetries = () => 0;
  const axios = (require('snowflake-sdk/dist/lib/http/axios_instance.js') as { default: AxiosLike }).default;
  // Request interceptors added later run first: ours switches the driver's middleware off and sets the timeout.
  axios.interceptors.request.use((config) => {
    const reg = registrationFor(config);
    config.useSnowflakeRetryMiddleware = false;
    if (reg) config.timeout = reg.policy.requestTimeoutMs;
    config.__etlAttempt = (config.__etlAttempt ?? 0) + 1;
    return config;
  });
  axios.interceptors.response.use(
    (r) => r,
    async (err) => {
      const config = err.config;
      const reg = config ? registrationFor(config) : undefined;
      if (!config || !reg || err.code === 'ERR_CANCELED') throw err;
      const failure = err.response ? statusFailure(err.response.status, err.response.headers ?? {}) : networkFailure(err);
      if (!failure.retryable) throw err;
      const attempt = config.__etlAttempt ?? 1;
      const url = String(config.url ?? '').replace(/\?.*$/, '');
      const delayMs = attempt < reg.policy.maxAttempts ? delayFor(reg.policy, attempt, failure, reg.hooks.random) : undefined;
      if (delayMs === undefined) {
        const reason =
          attempt >= reg.policy.maxAttempts
            ? `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`
            : `the server asked to retry after ${Math.ceil(failure.retryAfterMs! / 1000)} s, more than ETL_RETRY_MAX_DELAY_MS (${reg.policy.maxDelayMs} ms)`;
        reg.lastGiveUp = { url, attempts: attempt, failure, reason };
        throw err;
      }
      reg.hooks.onRetry?.({ what: `${reg.what} ${new URL(url, 'http://x').pathname}`, attempt, maxAttempts: reg.policy.maxAttempts, delayMs, failure });
      await (reg.hooks.sleep ?? sleep)(delayMs);
      return axios.request(config);
    },
  );
}

function registrationFor(config: RequestConfig): Registration | undefined {
  const url = config.url ?? '';
  return byOrigin.get(originOf(/^https?:/.test(url) ? url : `${config.baseURL ?? ''}${url}`)) ?? latest;
}

/** "gave up after 5 attempts; last response HTTP 503 (POST /session/v1/login-request)". */
export function describeGiveUp(g: GiveUp): string {
  return `${g.reason}; last response ${describeFailure(g.failure)} from ${new URL(g.url, 'http://x').pathname}`;
}
