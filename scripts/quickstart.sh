#!/usr/bin/env bash
# From a fresh clone to built silver and gold tables in one command:
#   installs everything (scripts/setup.sh), generates sample bronze data with planted dirt,
#   builds every model on a local Spark + Delta, runs the data tests, and prints where the tables are.
# SCALE=N sizes the sample data (default 1: about 1,000 orders and 5,000 user events).
# INGEST=1 lands bronze through `etl ingest --dev-sources` instead (ROWS=N per table, default 2000).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SCALE="${SCALE:-1}"
etl() { node bin/etl.js "$@"; }

bash scripts/setup.sh

if [[ "${INGEST:-0}" == "1" ]]; then
  # Data flows from the three sources: loopback Snowflake and Salesforce servers and a real Kafka
  # broker, filled with generated rows, ingested exactly once into bronze.
  echo "quickstart: ingesting from local Snowflake, Salesforce and Kafka"
  rm -rf data/warehouse/bronze
  etl ingest --dev-sources --rows "${ROWS:-2000}"
else
  echo "quickstart: generating sample data (scale ${SCALE})"
  # Extracted now, so source freshness checks see fresh data; --force replaces an earlier sample.
  node --import tsx scripts/generate-sample-data.ts --scale "${SCALE}" --now --force
fi

# One warm Spark for the build and the tests; stopped however the script ends.
etl spark start
trap 'etl spark stop >/dev/null 2>&1 || true' EXIT

# The bronze data was just replaced: rebuild incremental models from scratch.
etl build --full-refresh
etl test

echo
echo "quickstart: done. Tables (Delta) and their locations:"
for layer in silver gold; do
  for table in data/warehouse/"${layer}"/*/; do
    [[ -d "${table}" ]] || continue
    name="$(basename "${table}")"
    printf '  %-36s %s\n' "${layer}.${name}" "$(cd "${table}" && pwd)"
  done
done
echo "Bronze Parquet lands under $(pwd)/data/warehouse/bronze; the planted bad rows are listed in data/warehouse/expected-dirt.json."
echo "Query them from Spark SQL, e.g.: node bin/etl.js spark start, then connect to the Thrift port it prints."
