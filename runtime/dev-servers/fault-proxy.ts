/**
 * A loopback HTTP proxy with fault injection (faults.ts) in front of another server, for services
 * whose emulator cannot fail on demand (moto for S3): requests pass through unchanged unless a
 * queued fault answers them first. Point a client's endpoint at `url`.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFaultInjector, type FaultInjector } from './faults.js';

export interface FaultProxy {
  url: string;
  faults: FaultInjector;
  stop(): Promise<void>;
}

/** S3-style XML error bodies, so SDK clients read the injected status as S3 would send it. */
const s3Error = (status: number, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${status === 503 ? 'SlowDown' : status === 429 ? 'TooManyRequests' : status >= 500 ? 'InternalError' : 'AccessDenied'}</Code><Message>${message}</Message></Error>`;

export async function startFaultProxy(target: string, errorBody: (status: number, message: string) => unknown = s3Error): Promise<FaultProxy> {
  const to = new URL(target);
  const faults = createFaultInjector();
  const server: Server = createServer((req, res) => {
    void faults.intercept(req, res, errorBody).then((handled) => {
      if (handled) return;
      const upstream = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    faults,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
