/**
 * `etl docs serve`: a read-only static file server for target/docs on loopback. The site also
 * works from file://; serving it is for people who open it from another tool or a remote shell.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { DocsError } from '../generator/errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface DocsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startDocsServer(opts: { dir: string; port: number; host?: string }): Promise<DocsServer> {
  const root = resolve(opts.dir);
  const host = opts.host ?? '127.0.0.1';
  const index = await stat(join(root, 'index.html')).catch(() => undefined);
  if (!index?.isFile()) {
    throw new DocsError(`no docs site in ${root}`, 'run `etl docs generate` first', root);
  }
  const server: Server = createServer(async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = normalize(join(root, pathname));
    // Refuse anything that resolves outside the site folder (`..`, encoded or not).
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: ${pathname}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') fail(new DocsError(`port ${opts.port} on ${host} is already in use`, 'pass another one with --port, or --port 0 for any free port'));
      else fail(err);
    });
    server.listen(opts.port, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
