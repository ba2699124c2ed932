#!/usr/bin/env bash
# Installs everything the tool and its tests need, into project-local places (node_modules, .etl/).
# Idempotent and cached: a second run takes seconds. Large downloads come from the pip cache and ~/.m2.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules/.bin || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi
for part in spark kafka moto browser actionlint; do
  if [[ -f "scripts/setup-$part.sh" ]]; then
    bash "scripts/setup-$part.sh"
  fi
done
# dist/: compiled JavaScript, what bin/etl.js runs while it is current (else it runs the sources via tsx;
# a failed build is reported by the package spec, whose `npm pack` builds again).
bash scripts/build.sh || echo "setup: build failed: bin/etl.js will run the TypeScript sources through tsx"
echo "setup: done"
