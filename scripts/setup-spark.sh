#!/usr/bin/env bash
# Installs the local Spark engine into project-local, gitignored places:
#   .etl/venv-spark  Python venv with pyspark + delta-spark (pip cache makes reruns fast)
#   .etl/jars        Delta jars copied from the local Maven repository (fetched once from Maven Central)
# Idempotent: a stamp file records what is installed, so a second run only checks and exits.
set -euo pipefail

PYSPARK_VERSION=3.5.6
DELTA_VERSION=3.3.2
SCALA_BINARY=2.12

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.etl/venv-spark"
jars="$root/.etl/jars"
stamp="$root/.etl/spark-setup.stamp"
want="pyspark=$PYSPARK_VERSION delta=$DELTA_VERSION scala=$SCALA_BINARY"

command -v java >/dev/null || { echo "setup-spark: java not found; Spark $PYSPARK_VERSION needs Java 17 on PATH" >&2; exit 1; }

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/python" \
      && -f "$jars/delta-spark_$SCALA_BINARY-$DELTA_VERSION.jar" && -f "$jars/delta-storage-$DELTA_VERSION.jar" ]]; then
  echo "setup-spark: up to date ($want)"
  exit 0
fi

python="${PYTHON:-python3}"
command -v "$python" >/dev/null || { echo "setup-spark: $python not found; install Python 3.9+" >&2; exit 1; }

if [[ ! -x "$venv/bin/python" ]]; then
  echo "setup-spark: creating venv $venv"
  "$python" -m venv "$venv"
fi
echo "setup-spark: installing pyspark==$PYSPARK_VERSION delta-spark==$DELTA_VERSION"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "pyspark==$PYSPARK_VERSION" "delta-spark==$DELTA_VERSION"

# pip's delta-spark ships no jars; the Thrift server needs them on its class path.
mkdir -p "$jars"
for artifact in "io.delta:delta-spark_$SCALA_BINARY:$DELTA_VERSION" "io.delta:delta-storage:$DELTA_VERSION"; do
  command -v mvn >/dev/null || { echo "setup-spark: mvn not found; it fetches $artifact from Maven Central" >&2; exit 1; }
  mvn -q -B -Dstyle.color=never org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact="$artifact:jar" -DoutputDirectory="$jars" -Dmdep.overWriteReleases=false
done

echo "$want" > "$stamp"
echo "setup-spark: ready ($want) in $venv and $jars"
