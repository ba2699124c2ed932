#!/usr/bin/env bash
# Installs dbt-core and dbt-spark[session] from PyPI into a project-local venv (.etl/venv-dbt-spark),
# on the SAME pyspark and delta-spark the local engine uses (scripts/setup-spark.sh), for the
# side-by-side Spark benchmark (bench/spark-bench.ts --dbt). Optional: setup.sh does not call it.
# The Delta jars come from .etl/jars (installed by setup-spark.sh).
# Idempotent: a venv that already has the pinned versions is left alone; pip's cache makes reinstalls fast.
set -euo pipefail

DBT_CORE_VERSION="1.11.16"
DBT_SPARK_VERSION="1.11.0"
PYSPARK_VERSION="$(sed -n 's/^PYSPARK_VERSION=//p' "$(dirname "${BASH_SOURCE[0]}")/setup-spark.sh")"
DELTA_VERSION="$(sed -n 's/^DELTA_VERSION=//p' "$(dirname "${BASH_SOURCE[0]}")/setup-spark.sh")"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.etl/venv-dbt-spark"
PYTHON="${PYTHON:-python3}"

want="dbt-core==$DBT_CORE_VERSION dbt-spark[session]==$DBT_SPARK_VERSION pyspark==$PYSPARK_VERSION delta-spark==$DELTA_VERSION"
stamp="$VENV/.installed"
if [ -x "$VENV/bin/dbt" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "dbt-spark already in $VENV ($want)"
  exit 0
fi

bash "$ROOT/scripts/setup-spark.sh" >/dev/null
mkdir -p "$ROOT/.etl"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check --upgrade pip
# shellcheck disable=SC2086
"$VENV/bin/pip" install --quiet --disable-pip-version-check $want
"$VENV/bin/dbt" --version >/dev/null
echo "$want" > "$stamp"
echo "dbt-spark installed in $VENV ($want)"
