#!/usr/bin/env bash
# Installs the browser the docs-site tests drive: Debian's chromium package, driven through
# playwright-core (which ships no browser of its own here). Idempotent: does nothing when present.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  echo "chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Another apt run (a parallel setup script) may hold the lock: wait for it rather than fail.
export DEBIAN_FRONTEND=noninteractive
for attempt in 1 2 3 4 5 6; do
  if $SUDO apt-get -o DPkg::Lock::Timeout=120 update -qq \
    && $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends chromium fonts-dejavu-core; then
    break
  fi
  echo "apt-get failed (attempt $attempt), retrying in 10 s" >&2
  sleep 10
done

if [ ! -x "$CHROMIUM" ]; then
  echo "setup-browser: $CHROMIUM is still missing after apt-get install chromium" >&2
  exit 1
fi
echo "chromium installed: $("$CHROMIUM" --version)"
