// Issue 11, item 6: `etl docs serve` followed symlinks out of the site folder, crashed on a read error
// (an unhandled stream 'error'), accepted any Host header (DNS rebinding) and said nothing when bound
// beyond loopback. Each case runs a real server on an ephemeral port.
import { spawn } from 'node:child_process';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startDocsServer, type DocsServer } from '../../docs-site/server/static-server.js';
import { cleanupTemps, ETL, repoRoot, tempDir } from './helpers.js';

afterAll(cleanupTemps);
let server: DocsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

interface Answer {
  status: number;
  body: string;
}

/** GET with a raw path and an explicit Host header (`new URL` would normalise both). */
function get(port: number, urlPath: string, host = `127.0.0.1:${port}`, address = '127.0.0.1'): Promise<Answer> {
  return new Promise((ok, fail) => {
    const req = request({ host: address, port, path: urlPath, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok({ status: res.statusCode!, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

/** An HTTP/1.0 request with no Host header at all. */
function getWithoutHost(port: number): Promise<string> {
  return new Promise((ok, fail) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.0\r\n\r\n'));
    let raw = '';
    socket.on('data', (c) => (raw += c));
    socket.on('end', () => ok(raw.split('\r\n')[0]!));
    socket.on('error', fail);
  });
}

/** A minimal site (what the server needs: index.html) in a folder anyone may read. */
async function site(): Promise<{ dir: string; outside: string }> {
  const base = await tempDir('etl-serve-');
  await chmod(base, 0o755);
  const dir = path.join(base, 'docs');
  await mkdir(path.join(dir, 'data'), { recursive: true, mode: 0o755 });
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><p>docs</p>');
  await writeFile(path.join(dir, 'app.js'), 'console.log("app")');
  const outside = path.join(base, 'secrets');
  await mkdir(outside);
  await writeFile(path.join(outside, 'credentials'), 'aws_secret_access_key=SHOULD-NOT-LEAK');
  return { dir, outside };
}

describe('docs serve: the site folder only', () => {
  it('refuses symlinks that lead out of the site, serves those that stay inside', async () => {
    const { dir, outside } = await site();
    await symlink(path.join(outside, 'credentials'), path.join(dir, 'data', 'leak.js'));
    await symlink(outside, path.join(dir, 'data', 'out'));
    await symlink(path.join(dir, 'app.js'), path.join(dir, 'data', 'alias.js'));
    const logged: string[] = [];
    server = await startDocsServer({ dir, port: 0, log: (l) => logged.push(l) });
    for (const p of ['/data/leak.js', '/data/out/credentials']) {
      const res = await get(server.port, p);
      expect(res.status, p).toBe(403);
      expect(res.body).not.toContain('SHOULD-NOT-LEAK');
    }
    expect(logged.join('\n')).toMatch(/symbolic link to .*secrets.*outside the site folder/);
    expect(await get(server.port, '/data/alias.js')).toMatchObject({ status: 200, body: 'console.log("app")' });
  });

  it('answers a file it cannot read with 500, logs it, and keeps serving (real CLI)', async () => {
    const { dir } = await site();
    await writeFile(path.join(dir, 'locked.js'), 'x');
    await chmod(path.join(dir, 'locked.js'), 0o000);
    // Root reads any file: run the server as `nobody` then, so open() really fails with EACCES.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const child = spawn(process.execPath, [ETL, 'docs', 'serve', '--dir', dir, '--port', '0', '--no-open'], {
      cwd: repoRoot,
      env: { ...process.env, HOME: path.dirname(dir), NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asNobody,
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
    try {
      const port = await new Promise<number>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
          if (m) ok(Number(m[1]));
        });
        void exited.then((code) => fail(new Error(`docs serve exited early (${code}): ${out}${stderr}`)));
      });
      const res = await get(port, '/locked.js');
      expect(res.status).toBe(500);
      expect(res.body).not.toMatch(/\n\s+at /);
      expect((await get(port, '/')).status).toBe(200); // still up
      expect(stderr).toMatch(/GET \/locked\.js failed: EACCES/);
    } finally {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('answers a file system error (a symlink loop) with 500 and a log line', async () => {
    const { dir } = await site();
    await symlink(path.join(dir, 'b.js'), path.join(dir, 'a.js'));
    await symlink(path.join(dir, 'a.js'), path.join(dir, 'b.js'));
    const logged: string[] = [];
    server = await startDocsServer({ dir, port: 0, log: (l) => logged.push(l) });
    expect((await get(server.port, '/a.js')).status).toBe(500);
    expect(logged.join('\n')).toMatch(/GET \/a\.js failed: ELOOP/);
    expect((await get(server.port, '/')).status).toBe(200);
  });
});

describe('docs serve: Host header and exposure', () => {
  it('answers only requests whose Host names this server (DNS rebinding gets 421)', async () => {
    const { dir } = await site();
    const logged: string[] = [];
    server = await startDocsServer({ dir, port: 0, log: (l) => logged.push(l), allowedHosts: ['docs.internal.example'] });
    const port = server.port;
    expect(server.warnings).toEqual([]);
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `docs.internal.example:${port}`]) {
      expect((await get(port, '/', host)).status, host).toBe(200);
    }
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, `a@localhost:${port}`]) {
      const res = await get(port, '/', host);
      expect(res.status, host).toBe(421);
      expect(res.body).not.toContain('docs</p>');
    }
    expect(await getWithoutHost(port)).toMatch(/ 421 /);
    expect(logged.join('\n')).toMatch(/refused GET \/: Host 'evil\.example:\d+' is not this server \(bound to 127\.0\.0\.1:\d+\)/);
  });

  it('bound to every interface: warns, serves IP literals and localhost, still refuses other names', async () => {
    const { dir } = await site();
    server = await startDocsServer({ dir, port: 0, host: '0.0.0.0', log: () => undefined });
    expect(server.warnings.join('\n')).toMatch(/listening on 0\.0\.0\.0, beyond loopback/);
    expect((await get(server.port, '/', `127.0.0.1:${server.port}`)).status).toBe(200);
    expect((await get(server.port, '/', `localhost:${server.port}`)).status).toBe(200);
    expect((await get(server.port, '/', `rebind.evil.example:${server.port}`)).status).toBe(421);
  });

  it('from the CLI: --host 0.0.0.0 prints the warning on stderr; the default prints none', async () => {
    const { dir } = await site();
    for (const [args, warned] of [[['--host', '0.0.0.0'], true], [[], false]] as const) {
      const child = spawn(process.execPath, [ETL, 'docs', 'serve', '--dir', dir, '--port', '0', '--no-open', ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
      await new Promise<void>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (/Serving .* at http/.test(out)) ok();
        });
        void exited.then((code) => fail(new Error(`docs serve exited early (${code}): ${out}${stderr}`)));
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      if (warned) expect(stderr.replace(/\s*›\s*/g, ' ')).toMatch(/Warning: docs serve is listening on 0\.0\.0\.0, beyond loopback.*--host 127\.0\.0\.1/);
      else expect(stderr).toBe('');
    }
  });
});
