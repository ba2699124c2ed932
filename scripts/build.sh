#!/usr/bin/env bash
# Compiles the tool into dist/ (JavaScript, the authoring API's declarations, oclif's manifest, the
# build stamp bin/etl.js checks). See scripts/build.mjs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node scripts/build.mjs "$@"   # --force: rebuild even when dist/ is up to date
