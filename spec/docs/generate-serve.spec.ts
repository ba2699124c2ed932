// `etl docs generate` / `etl docs serve`: files written, user errors reported plainly, the site
// replaced whole, and the static server confined to the site folder.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { DocsError, generateDocs } from '../../docs-site/generator/index.js';
import { startDocsServer, type DocsServer } from '../../docs-site/server/static-server.js';
import { fixtureManifest } from './fixtures/manifest.js';
import { fixtureProject, fixtureSite } from './helpers/fixture-site.js';

const run = promisify(execFile);
const ETL = fileURLToPath(new URL('../../bin/etl.js', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function etl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('node', [ETL, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('docs generate', () => {
  it('writes a static site with the index, one script per chunk, search, tests and PII data', async () => {
    const { projectDir, result } = await fixtureSite();
    dirs.push(projectDir);
    expect(result.outDir).toBe(join(projectDir, 'target', 'docs'));
    const files = (await readdir(join(result.outDir, 'data'))).sort();
    expect(files).toEqual(['chunk-0.js', 'governance.js', 'index.js', 'pii.js', 'search.js', 'tests.js']);
    const html = await readFile(result.entry, 'utf8');
    // Data is embedded as scripts (file:// cannot fetch JSON); no network URL anywhere.
    expect(html).toContain('<script src="data/index.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const chunk = await readFile(join(result.outDir, 'data', 'chunk-0.js'), 'utf8');
    expect(chunk.startsWith('window.__etlDocs.chunk(JSON.parse(')).toBe(true);
    // The model's own file is shown next to its compiled SQL.
    expect(chunk).toContain('{{source \\\\\\"snowflake\\\\\\" \\\\\\"customer_orders\\\\\\"}}');
    expect(result).toMatchObject({ models: 7, sources: 4, tests: 7, runStatusShown: true });
  });

  it('never writes an environment variable value, only its name', async () => {
    process.env.SNOWFLAKE_USERNAME = 'value-that-must-not-leak';
    try {
      const { projectDir, result } = await fixtureSite();
      dirs.push(projectDir);
      let all = '';
      for (const f of await readdir(join(result.outDir, 'data'))) all += await readFile(join(result.outDir, 'data', f), 'utf8');
      expect(all).toContain('SNOWFLAKE_USERNAME');
      expect(all).not.toContain('value-that-must-not-leak');
    } finally {
      delete process.env.SNOWFLAKE_USERNAME;
    }
  });

  it('replaces the previous site whole: no stale chunk survives a smaller project', async () => {
    const projectDir = await fixtureProject();
    dirs.push(projectDir);
    const stale = join(projectDir, 'target', 'docs', 'data', 'chunk-99.js');
    await generateDocs({ projectDir });
    await writeFile(stale, 'stale');
    await generateDocs({ projectDir });
    await expect(readFile(stale)).rejects.toThrow(/ENOENT/);
    expect((await readdir(join(projectDir, 'target'))).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  it('explains a missing or foreign manifest instead of crashing', async () => {
    const projectDir = await fixtureProject();
    dirs.push(projectDir);
    await rm(join(projectDir, 'target', 'manifest.json'));
    await expect(generateDocs({ projectDir })).rejects.toThrow(DocsError);
    await expect(generateDocs({ projectDir })).rejects.toMatchObject({ hint: expect.stringContaining('etl compile') });
    await writeFile(join(projectDir, 'target', 'manifest.json'), JSON.stringify({ ...fixtureManifest(), manifestVersion: 99 }));
    await expect(generateDocs({ projectDir })).rejects.toThrow(/manifestVersion 99/);
    await writeFile(join(projectDir, 'target', 'manifest.json'), '{"manifestVersion": 1, "mod');
    await expect(generateDocs({ projectDir })).rejects.toThrow(/not valid JSON/);
  });

  it('still generates when run_results.json is unreadable, and says why status is missing', async () => {
    const projectDir = await fixtureProject();
    dirs.push(projectDir);
    await writeFile(join(projectDir, 'target', 'run_results.json'), '{ truncated');
    const result = await generateDocs({ projectDir });
    expect(result.runStatusShown).toBe(false);
    expect(result.warnings.join('\n')).toMatch(/target\/run_results.json is not valid JSON/);
  });

  it('from the CLI: documents an existing manifest, and fails cleanly without one', async () => {
    const projectDir = await fixtureProject();
    dirs.push(projectDir);
    const ok = await etl(['docs', 'generate', '--no-compile', '--project', projectDir]);
    expect(ok.stderr).not.toMatch(/\n\s+at /);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Docs for 7 models, 4 source tables, 49 columns and 7 tests \(with last-run status\)/);
    await rm(join(projectDir, 'target', 'manifest.json'));
    const bad = await etl(['docs', 'generate', '--no-compile', '--project', projectDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no manifest at .*manifest\.json/);
    expect(bad.stderr).toMatch(/etl compile/);
    expect(bad.stderr).not.toMatch(/\n\s+at /); // no stack trace for a user mistake
  });

  it('from the CLI: compiles first, and writes no docs for a project that does not compile', async () => {
    const out = await mkdtemp(join(tmpdir(), 'etl-docs-broken-'));
    dirs.push(out);
    const broken = fileURLToPath(new URL('../compiler/fixtures/many-errors', import.meta.url));
    const res = await etl(['docs', 'generate', '--project', broken, '--out', join(out, 'docs')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/error\(s\)/);
    expect(res.stderr).toMatch(/did not compile, so no docs were generated/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await readdir(out)).toEqual([]);
  });
});

describe('docs serve', () => {
  let server: DocsServer | undefined;
  afterAll(async () => {
    await server?.close();
  });

  const get = (path: string, base = server!.url) =>
    new Promise<{ status: number; type: string; body: string }>((ok, fail) => {
      // A raw path: `new URL` would normalise `..` away before it reached the server.
      const u = new URL(base);
      const req = request({ host: u.hostname, port: u.port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => ok({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
      });
      req.on('error', fail);
      req.end();
    });

  it('serves the site on loopback and nothing outside it', async () => {
    const { projectDir, result } = await fixtureSite();
    dirs.push(projectDir);
    server = await startDocsServer({ dir: result.outDir, port: 0 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.type).toMatch(/text\/html/);
    expect((await get('/data/index.js')).type).toMatch(/javascript/);
    expect((await get('/nope.js')).status).toBe(404);
    for (const evil of ['/../manifest.json', '/..%2f..%2fmanifest.json', '/data/..%2f..%2fmanifest.json']) {
      expect([403, 404], evil).toContain((await get(evil)).status);
    }
  });

  it('says to generate first when there is no site, and names a busy port', async () => {
    const projectDir = await fixtureProject();
    dirs.push(projectDir);
    await expect(startDocsServer({ dir: join(projectDir, 'target', 'docs'), port: 0 })).rejects.toMatchObject({ hint: expect.stringContaining('etl docs generate') });
    const { result } = await fixtureSite();
    dirs.push(result.outDir.replace(/\/target\/docs$/, ''));
    const first = await startDocsServer({ dir: result.outDir, port: 0 });
    try {
      await expect(startDocsServer({ dir: result.outDir, port: first.port })).rejects.toThrow(new RegExp(`port ${first.port} .* in use`));
    } finally {
      await first.close();
    }
  });

  it('from the CLI: serves until stopped, then exits cleanly', async () => {
    const { projectDir } = await fixtureSite();
    dirs.push(projectDir);
    const child = spawn('node', [ETL, 'docs', 'serve', '--project', projectDir, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) ok(m[1]!);
        });
        child.on('exit', (code) => fail(new Error(`docs serve exited early (${code}): ${out}`)));
      });
      const res = await get('/', url);
      expect(res.status).toBe(200);
      expect(res.body).toContain('data/index.js');
    } finally {
      const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
