/**
 * Writes the static site. Data goes into `<script>` files (not fetched JSON) so the site opens from
 * file:// with no server. The site is built in a sibling temp folder and swapped in by rename, so a
 * failed generate never leaves a half-written site behind. Only a folder the tool owns is replaced
 * (see out-dir.ts): it is checked before building and again just before the swap.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { checkOutDir, markerText, SITE_MARKER } from './out-dir.js';
import { encodeIndex } from '../shared/index-codec.js';
import { DOCS_GLOBAL, NODES_PER_CHUNK } from '../shared/site-data.js';
import type { SiteData } from './build-site-data.js';
import type { ClientBundle } from './bundle-client.js';

/** A JS statement calling `fn` with `data`; JSON.parse of a string literal parses faster than an object literal. */
function dataScript(fn: string, data: unknown): string {
  return `${fn}(JSON.parse(${JSON.stringify(JSON.stringify(data))}));\n`;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export function indexHtml(projectName: string, css: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(projectName)} · lakehouse-etl docs</title>
<style>${css}</style>
</head>
<body>
<div id="app"><p class="loading">Loading docs…</p></div>
<script>window.${DOCS_GLOBAL}Pending = [];</script>
<script src="data/index.js"></script>
<script src="app.js"></script>
</body>
</html>
`;
}

export interface WriteStats {
  files: number;
  bytes: number;
  indexBytes: number;
  largestChunkBytes: number;
}

export async function writeSite(outDir: string, data: SiteData, client: ClientBundle, protect: { projectDir?: string } = {}): Promise<WriteStats> {
  outDir = resolve(outDir);
  checkOutDir(outDir, protect);
  await mkdir(dirname(outDir), { recursive: true });
  // Unique names (never a folder that happens to exist): only what this call created is removed.
  const tmp = await mkdtemp(`${outDir}.tmp-`);
  await mkdir(join(tmp, 'data'), { recursive: true });
  const stats: WriteStats = { files: 0, bytes: 0, indexBytes: 0, largestChunkBytes: 0 };
  const put = async (rel: string, text: string) => {
    await writeFile(join(tmp, rel), text);
    stats.files++;
    stats.bytes += Buffer.byteLength(text);
    return Buffer.byteLength(text);
  };
  try {
    await writeFile(join(tmp, SITE_MARKER), markerText());
    await put('index.html', indexHtml(data.index.project.name, client.css));
    await put('app.js', client.js);
    const wire = encodeIndex(data.index, NODES_PER_CHUNK);
    stats.indexBytes = await put('data/index.js', `window.${DOCS_GLOBAL}Index = JSON.parse(${JSON.stringify(JSON.stringify(wire))});\n`);
    await put('data/pii.js', dataScript(`window.${DOCS_GLOBAL}.pii`, data.piiGold));
    await put('data/governance.js', dataScript(`window.${DOCS_GLOBAL}.governance`, data.governance));
    await put('data/search.js', dataScript(`window.${DOCS_GLOBAL}.search`, data.searchColumns));
    await put('data/tests.js', dataScript(`window.${DOCS_GLOBAL}.tests`, data.tests));
    for (const chunk of data.chunks) {
      const size = await put(`data/chunk-${chunk.chunk}.js`, dataScript(`window.${DOCS_GLOBAL}.chunk`, chunk));
      stats.largestChunkBytes = Math.max(stats.largestChunkBytes, size);
    }
    await swapIn(tmp, outDir, protect);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return stats;
}

/** Replaces `outDir` by `tmp`, re-checking ownership first (the folder may have changed meanwhile). */
async function swapIn(tmp: string, outDir: string, protect: { projectDir?: string }): Promise<void> {
  checkOutDir(outDir, protect);
  const old = `${outDir}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
  let moved = false;
  await rename(outDir, old).then(
    () => (moved = true),
    (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    },
  );
  try {
    await rename(tmp, outDir);
  } catch (err) {
    if (moved) await rename(old, outDir); // put the previous site back: nothing lost
    throw err;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}
