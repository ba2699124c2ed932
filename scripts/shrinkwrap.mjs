// npm-shrinkwrap.json for the published package (run by `npm pack`/`npm publish` through prepack;
// postpack removes it with --remove). It pins every run-time dependency, direct and transitive, to
// the versions this repository's package-lock.json tests with, as npm recommends for command-line
// tools; an install then needs no registry metadata, so it also works offline from the npm cache
// the repository's own `npm ci` filled. Dev-only entries are dropped. Never left in the checkout:
// npm would prefer it to package-lock.json.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const file = `${root}npm-shrinkwrap.json`;
if (process.argv.includes('--remove')) {
  rmSync(file, { force: true });
} else {
  const lock = JSON.parse(readFileSync(`${root}package-lock.json`, 'utf8'));
  const packages = {};
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (key === '') {
      const { devDependencies: _dev, ...rest } = entry;
      packages[key] = rest;
    } else if (!entry.dev) packages[key] = entry;
  }
  writeFileSync(file, `${JSON.stringify({ ...lock, packages }, null, 2)}\n`);
}
