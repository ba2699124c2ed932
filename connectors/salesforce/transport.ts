/**
 * jsforce's HTTP under the ingestion retry policy (runtime/ingest/retry-policy.ts). jsforce's own
 * transport retries GETs only (not the OAuth token POST), five times with a fixed backoff, without
 * Retry-After; its timeout defaults to 30 minutes. This transport makes each attempt with jsforce's
 * retry off and our request timeout, and retries 429, 5xx, dropped connections and timeouts by the
 * policy. Any other status (401 above all) goes back to jsforce as is, so its session refresh and
 * replay on 401 keep working, and its errors keep their Salesforce error codes.
 *
 * node-fetch inside jsforce takes no agent here, so the connect phase is bounded by the request timeout.
 */
import { PassThrough } from 'node:stream';
import type { Connection, OAuth2 } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import { StreamPromise } from 'jsforce/lib/util/promise.js';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types/common.js';
import { networkFailure, retryableStatus, statusFailure, withRetry, type Failure, type RetryHooks, type RetryPolicy } from '../../runtime/ingest/retry-policy.js';

/** A retryable status, thrown so the policy sees it; the body is cut short (it is upstream text). */
class RetryableStatus extends Error {
  constructor(readonly response: HttpResponse) {
    super(String(response.body ?? '').slice(0, 300));
  }
}

const classify = (err: unknown): Failure => (err instanceof RetryableStatus ? statusFailure(err.response.statusCode, err.response.headers) : networkFailure(err));

export class RetryingTransport extends Transport {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly hooks: RetryHooks,
  ) {
    super();
  }

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}): StreamPromise<HttpResponse> {
    return StreamPromise.create(() => {
      const stream = new PassThrough();
      const what = `Salesforce ${req.method} ${new URL(req.url, 'http://x').pathname}`;
      const once = async () => {
        const res = await super.httpRequest(req, { ...options, retry: { maxRetries: 0 }, timeout: this.policy.requestTimeoutMs });
        if (retryableStatus(res.statusCode)) throw new RetryableStatus(res);
        return res;
      };
      const promise = withRetry(what, this.policy, once, classify, this.hooks).then(
        (res) => {
          stream.end(res.body);
          return res;
        },
        (err: unknown) => {
          stream.end();
          throw err;
        },
      );
      return { stream, promise };
    });
  }
}

/** Puts a connection (and the OAuth2 client it refreshes with) on the retrying transport. */
export function useRetryingTransport<T extends Connection | OAuth2>(target: T, transport: RetryingTransport): T {
  (target as unknown as { _transport: Transport })._transport = transport;
  const oauth2 = (target as unknown as { oauth2?: OAuth2 }).oauth2;
  if (oauth2 && oauth2 !== (target as unknown)) (oauth2 as unknown as { _transport: Transport })._transport = transport;
  return target;
}
