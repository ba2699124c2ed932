/**
 * `etl docs serve`: a read-only static file server for target/docs on loopback. The site also
 * works from file://; serving it is for people who open it from another tool or a remote shell.
 *
 * What it never does: serve a file outside the site folder (`..`, encoded or not, or a symlink
 * whose target lies outside: checked on the real path), answer a request whose Host is not this
 * server (DNS rebinding: 421), or crash on a file it cannot read (500, logged).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { DocsError } from '../generator/errors.js';
import { exposureWarning, hostProblem, type HostPolicy } from './host-check.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface DocsServerOptions {
  dir: string;
  port: number;
  host?: string;
  /** Further names the Host header may carry (a DNS name of this machine when sharing beyond loopback). */
  allowedHosts?: string[];
  /** Where request problems are logged (default: stderr). */
  log?: (line: string) => void;
}

export interface DocsServer {
  url: string;
  port: number;
  /** Warnings to show the user (listening beyond loopback). */
  warnings: string[];
  close(): Promise<void>;
}

interface Site {
  root: string;
  realRoot: string;
  policy: HostPolicy;
  log: (line: string) => void;
}

const text = (res: ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
const inside = (root: string, file: string) => file === root || file.startsWith(root + sep);
const missing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

async function serve(req: IncomingMessage, res: ServerResponse, site: Site): Promise<void> {
  const misdirected = hostProblem(req.headers.host, site.policy);
  if (misdirected) {
    site.log(`docs serve: refused ${req.method} ${req.url}: ${misdirected}`);
    return void text(res, 421, `misdirected request: ${misdirected}\n`);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return void text(res, 400, 'bad request\n');
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = normalize(join(site.root, pathname));
  // Refuse anything that resolves outside the site folder (`..`, encoded or not).
  if (!inside(site.root, file) || pathname.includes('\0')) return void text(res, 403, 'forbidden\n');
  let real: string;
  let size: number;
  try {
    real = await realpath(file);
    const info = await stat(real);
    if (!info.isFile()) return void text(res, 404, `not found: ${pathname}\n`);
    size = info.size;
  } catch (err) {
    if (missing(err)) return void text(res, 404, `not found: ${pathname}\n`);
    throw err;
  }
  // A symlink in the site that points outside it (to ~/.aws, say) is not part of the site.
  if (!inside(site.realRoot, real)) {
    site.log(`docs serve: refused ${pathname}: a symbolic link to ${real}, outside the site folder`);
    return void text(res, 403, 'forbidden\n');
  }
  await sendFile(req, res, real, size);
}

/** Streams a file; headers go out only once it is open, so an unreadable file still gets a 500. */
function sendFile(req: IncomingMessage, res: ServerResponse, file: string, size: number): Promise<void> {
  return new Promise((done, fail) => {
    const stream = createReadStream(file);
    stream.once('error', (err) => {
      stream.destroy();
      if (res.headersSent) res.destroy(err);
      fail(err);
    });
    stream.once('open', () => {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': size, 'cache-control': 'no-cache' });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
        return done();
      }
      stream.pipe(res);
      res.once('close', () => done());
    });
  });
}

export async function startDocsServer(opts: DocsServerOptions): Promise<DocsServer> {
  const root = resolve(opts.dir);
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const index = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    throw new DocsError(`no docs site in ${root}`, 'run `etl docs generate` first', root);
  }
  const site: Site = { root, realRoot: await realpath(root), policy: { bound: host, port: opts.port, allowed: opts.allowedHosts ?? [] }, log };
  const server: Server = createServer((req, res) => {
    serve(req, res, site).catch((err: NodeJS.ErrnoException) => {
      log(`docs serve: ${req.method} ${req.url} failed: ${err.code ?? err.name}: ${err.message}`);
      if (!res.headersSent) text(res, 500, 'internal error: the file could not be read (see the server log)\n');
      else res.destroy();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') fail(new DocsError(`port ${opts.port} on ${host} is already in use`, 'pass another one with --port, or --port 0 for any free port'));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') fail(new DocsError(`cannot listen on ${host}: no such address on this machine`, 'pass one of its addresses with --host (default 127.0.0.1)'));
      else fail(err);
    });
    server.listen(opts.port, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  site.policy.port = port;
  const warning = exposureWarning(host);
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    warnings: warning ? [warning] : [],
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
