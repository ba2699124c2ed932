import { Command, Flags } from '@oclif/core';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DocsError } from '../../../docs-site/generator/errors.js';
import { startDocsServer } from '../../../docs-site/server/static-server.js';

/** Opens the URL with the desktop's opener when there is one; a headless box just prints it. */
function openInBrowser(url: string): boolean {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'start' : 'xdg-open';
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return false;
  if (process.platform === 'linux' && !['/usr/bin/xdg-open', '/usr/local/bin/xdg-open'].some(existsSync)) return false;
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true, shell: process.platform === 'win32' });
  child.on('error', () => undefined);
  child.unref();
  return true;
}

export default class DocsServe extends Command {
  static override summary = 'Serve the generated docs site on localhost and open it.';
  static override description =
    'Listens on loopback by default. Only requests whose Host header names this server are answered (a defence against DNS ' +
    'rebinding); binding beyond loopback (--host 0.0.0.0) prints a warning, and a DNS name to reach it by is allowed with --allow-host.';
  static override examples = [
    '<%= config.bin %> docs serve',
    '<%= config.bin %> docs serve --port 9000 --no-open',
    '<%= config.bin %> docs serve --host 0.0.0.0 --allow-host docs.internal.example',
  ];

  static override flags = {
    project: Flags.string({ description: 'Project directory (holds project.yaml)', default: '.' }),
    dir: Flags.string({ description: 'Site folder (default: target/docs).' }),
    port: Flags.integer({ description: 'Port (0 = any free port).', default: 8580, min: 0, max: 65535 }),
    host: Flags.string({ description: 'Address to listen on.', default: '127.0.0.1' }),
    open: Flags.boolean({ description: 'Open a browser.', default: true, allowNo: true }),
    'allow-host': Flags.string({ description: 'A further name the Host header may carry (repeatable), e.g. the DNS name of this machine.', multiple: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DocsServe);
    const dir = resolve(flags.project, flags.dir ?? join('target', 'docs'));
    try {
      const server = await startDocsServer({ dir, port: flags.port, host: flags.host, allowedHosts: flags['allow-host'] ?? [] });
      // Signal handlers first: whoever reads the address below may stop the server at once.
      const stopped = new Promise<void>((done) => {
        const stop = () => void server.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      for (const w of server.warnings) this.warn(w);
      this.log(`Serving ${dir} at ${server.url} (Ctrl+C to stop)`);
      if (flags.open && !process.env.CI && !openInBrowser(server.url)) this.log('No desktop browser found: open the address above yourself.');
      await stopped;
    } catch (err) {
      if (err instanceof DocsError) this.error(err.message, { exit: 1, ...(err.hint ? { suggestions: [err.hint] } : {}) });
      throw err;
    }
  }
}
