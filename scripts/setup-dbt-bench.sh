#!/usr/bin/env bash
# Installs dbt-core and dbt-duckdb from PyPI into a project-local venv (.etl/venv-dbt) for the
# side-by-side compile benchmark (bench/compile-bench.ts --dbt). Optional: setup.sh does not call it.
# Idempotent: a venv that already has the pinned versions is left alone; pip's cache makes reinstalls fast.
set -euo pipefail

DBT_CORE_VERSION="1.11.16"
DBT_DUCKDB_VERSION="1.11.1"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.etl/venv-dbt"
PYTHON="${PYTHON:-python3}"

want="dbt-core==$DBT_CORE_VERSION dbt-duckdb==$DBT_DUCKDB_VERSION"
stamp="$VENV/.installed"
if [ -x "$VENV/bin/dbt" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "dbt already in $VENV ($want)"
  exit 0
fi

mkdir -p "$ROOT/.etl"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# shellcheck disable=SC2086
"$VENV/bin/pip" install --quiet $want
"$VENV/bin/dbt" --version >/dev/null
echo "$want" > "$stamp"
echo "dbt installed in $VENV ($want)"
