#!/usr/bin/env bash
# Sets everything up (system library, venv, package, offline models) and runs the test suite.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k disclosure -x`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1 GRADIO_ANALYTICS_ENABLED=False
VENV="${AVATAR_VENV:-.venv}"
echo "test: ruff check"; "$VENV/bin/ruff" check avatar tests bench examples
echo "test: mypy";       "$VENV/bin/mypy" avatar
exec "$VENV/bin/python" -m pytest "$@"
