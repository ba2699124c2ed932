#!/usr/bin/env bash
# Installs moto's AWS API emulator (moto_server) into a project-local venv for the AWS specs.
# Idempotent: a venv that already has the pinned version is left alone; pip's cache makes reinstalls fast.
set -euo pipefail

MOTO_VERSION="5.2.5"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.etl/venv-moto"
PYTHON="${PYTHON:-python3}"

if [ -x "$VENV/bin/moto_server" ] && "$VENV/bin/python" -c "import moto,sys; sys.exit(0 if moto.__version__=='$MOTO_VERSION' else 1)" 2>/dev/null; then
  echo "moto $MOTO_VERSION already in $VENV"
  exit 0
fi

mkdir -p "$ROOT/.etl"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# Only the extras the specs exercise (S3, Glue, EMR, CloudWatch, STS) plus the HTTP server.
"$VENV/bin/pip" install --quiet "moto[server,s3,glue,emr,cloudwatch]==$MOTO_VERSION"
"$VENV/bin/moto_server" --help >/dev/null
echo "moto $MOTO_VERSION installed in $VENV"
