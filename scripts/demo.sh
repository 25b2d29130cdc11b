#!/usr/bin/env bash
# Sets everything up and runs the main job on the embedded offline defaults (no API key):
# builds the sample creator's avatar from persona_data/ and answers a scripted fan conversation.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export ANONYMIZED_TELEMETRY=False HF_HUB_OFFLINE=1
exec "${AVATAR_VENV:-.venv}/bin/avatar" demo "$@"
