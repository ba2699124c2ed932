/** Bundles the client app (plain TS + DOM) into one IIFE script with esbuild. */
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { ownModule } from '../../compiler/own-files.js';

const CLIENT_DIR = fileURLToPath(new URL('../client/', import.meta.url));

export interface ClientBundle {
  js: string;
  css: string;
}

export async function bundleClient(): Promise<ClientBundle> {
  const result = await build({
    entryPoints: [fileURLToPath(ownModule('../client/main', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    // Debian's chromium is current; es2020 keeps the output readable by any recent browser.
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text;
  if (!js) throw new Error('esbuild produced no output for the docs client');
  const css = await readFile(CLIENT_DIR + 'style.css', 'utf8');
  return { js, css };
}
