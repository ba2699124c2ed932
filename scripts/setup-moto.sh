#!/usr/bin/env bash
# Installs moto's AWS API emulator (moto_server) into a project-local venv for the AWS specs.
# Idempotent: a venv that already has the pinned version is left alone; pip's cache makes reinstalls fast.
set -euo pipefail

MOTO_VERSION="5.2.5"
# cfn-lint checks the template `etl infra generate` writes (spec/aws/infra-lint.spec.ts).
CFN_LINT_VERSION="1.58.0"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.etl/venv-moto"
PYTHON="${PYTHON:-python3}"

if [ -x "$VENV/bin/moto_server" ] && [ -x "$VENV/bin/cfn-lint" ] \
  && "$VENV/bin/python" -c "import moto,sys; sys.exit(0 if moto.__version__=='$MOTO_VERSION' else 1)" 2>/dev/null \
  && [ "$("$VENV/bin/cfn-lint" --version 2>/dev/null)" = "cfn-lint $CFN_LINT_VERSION" ]; then
  echo "moto $MOTO_VERSION and cfn-lint $CFN_LINT_VERSION already in $VENV"
  exit 0
fi

mkdir -p "$ROOT/.etl"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet --upgrade pip
# Only the extras the specs exercise (S3, Glue, EMR, CloudWatch, STS; CloudFormation with the
# services of the infra stack: IAM, KMS, SNS, EventBridge, Scheduler) plus the HTTP server.
"$VENV/bin/pip" install --quiet "moto[server,s3,glue,emr,cloudwatch,cloudformation,iam,kms,sns,events,scheduler]==$MOTO_VERSION" "cfn-lint==$CFN_LINT_VERSION"
"$VENV/bin/moto_server" --help >/dev/null
"$VENV/bin/cfn-lint" --version
echo "moto $MOTO_VERSION and cfn-lint $CFN_LINT_VERSION installed in $VENV"
