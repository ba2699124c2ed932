// The fingerprint of the tool's TypeScript sources that dist/ was built from (scripts/build.mjs
// writes it to dist/.build-stamp.json; bin/etl.js compares it before running dist/). Cheap on
// purpose, it runs on every start in a checkout: the path, size and modification time of every
// file under the source folders, no file contents.
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders compiled into dist/, mirrored there. */
export const SOURCE_DIRS = ['compiler', 'cli', 'runtime', 'connectors', 'docs-site'];
export const STAMP_FILE = '.build-stamp.json';

function walk(dir, rel, out) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    const relPath = `${rel}/${entry.name}`;
    if (entry.isDirectory()) walk(abs, relPath, out);
    else if (entry.isFile()) {
      const s = statSync(abs);
      out.push(`${relPath}\u0000${s.size}\u0000${s.mtimeMs}`);
    }
  }
}

/** The files under SOURCE_DIRS, as one hash; undefined when the sources are not there (an installed package). */
export function sourceFingerprint(root) {
  const lines = [];
  try {
    for (const dir of SOURCE_DIRS) walk(path.join(root, dir), dir, lines);
  } catch {
    return undefined;
  }
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex');
}
